import type { Point } from './point.js';

/**
 * Why an input lost points: counted under the input's name and `reason`, and logged once, by
 * the collector (Telegraf's AddError). Inputs never count or log their own failures.
 */
export interface InputError {
  /** A short, bounded label value: `timeout`, `http_404`, `derive`, `scrape_failed`, ... */
  reason: string;
  /** One sentence for the log. */
  message: string;
  /** The thrown error, when there is one. */
  error?: unknown;
  /** The container it concerns, when it concerns one (an id or a name). */
  container?: string;
  /** Anything else worth a log field (a URL, a count). */
  detail?: Readonly<Record<string, unknown>>;
  /** `debug` for errors that are part of normal life (a container gone mid-call); default `warn`. */
  level?: 'debug' | 'warn' | 'error';
}

/** Where an input reports: its points, and the errors that cost it points. */
export interface Accumulator {
  add(point: Point): void;
  addError(error: InputError): void;
}

/** An accumulator that keeps points and errors in memory (used by --once and by tests). */
export class ArrayAccumulator implements Accumulator {
  readonly points: Point[] = [];
  readonly errors: InputError[] = [];
  add(point: Point): void {
    this.points.push(point);
  }
  addError(error: InputError): void {
    this.errors.push(error);
  }
}

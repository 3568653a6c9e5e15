import type { Point } from '../model/point.js';
import { FieldKinds } from './field-rules.js';
import { SeriesKeys } from './series-key.js';
import { SeriesWindow } from './series-window.js';

const NS_PER_MS = 1_000_000n;

/**
 * Rolls raw points up into one point per series and aligned window (start = floor(t / window)
 * × window, as InfluxQL's GROUP BY time()), by the field rules of field-rules.ts. Pure: no
 * I/O, no clock; time is the points' own.
 *
 * Windows close together: `closeComplete()` returns every window that ended at or before the
 * newest point time seen, for all series, and from then on a point of a closed window is
 * late: `add()` refuses it (returns false) and the caller counts it. `drain()` returns the
 * open windows too (partial ones), for shutdown.
 */
export class RollupAggregator {
  readonly windowNs: bigint;
  /** Open windows by start, then by series. */
  private readonly open = new Map<bigint, Map<string, SeriesWindow>>();
  private readonly keys = new SeriesKeys();
  private readonly kinds = new Map<string, FieldKinds>();
  private newest: bigint | undefined;
  /** Windows starting before this are closed: the end of the last closed window. */
  private closedBefore: bigint | undefined;

  constructor(windowMs: number) {
    if (!Number.isInteger(windowMs) || windowMs <= 0)
      throw new RangeError(`bad rollup window ${windowMs} ms`);
    this.windowNs = BigInt(windowMs) * NS_PER_MS;
  }

  /** Adds a raw point to its window; false (and nothing kept) when that window is already closed. */
  add(point: Point): boolean {
    const time = point.time;
    const start = time - (((time % this.windowNs) + this.windowNs) % this.windowNs);
    if (this.closedBefore !== undefined && start < this.closedBefore) return false;
    if (this.newest === undefined || time > this.newest) this.newest = time;
    let windows = this.open.get(start);
    if (windows === undefined) {
      windows = new Map();
      this.open.set(start, windows);
    }
    const key = this.keys.key(point.measurement, point.tags);
    let window = windows.get(key);
    if (window === undefined) {
      window = new SeriesWindow(point.measurement, point.tags, start);
      windows.set(key, window);
    }
    window.add(point, this.kindsOf(point.measurement));
    return true;
  }

  /** The rollup points of every window that ended at or before the newest point seen. */
  closeComplete(): Point[] {
    if (this.newest === undefined) return [];
    const end = this.newest - (this.newest % this.windowNs);
    return this.closeBefore(end);
  }

  /** The rollup points of every open window, complete or not; the aggregator is empty after. */
  drain(): Point[] {
    if (this.newest === undefined) return [];
    return this.closeBefore(this.newest - (this.newest % this.windowNs) + this.windowNs);
  }

  /** Series-windows still open: a measure of the memory held. */
  get openWindows(): number {
    let count = 0;
    for (const windows of this.open.values()) count += windows.size;
    return count;
  }

  private closeBefore(end: bigint): Point[] {
    const points: Point[] = [];
    for (const start of [...this.open.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (start >= end) break;
      for (const window of this.open.get(start)?.values() ?? []) points.push(window.point());
      this.open.delete(start);
    }
    if (this.closedBefore === undefined || end > this.closedBefore) this.closedBefore = end;
    return points;
  }

  private kindsOf(measurement: string): FieldKinds {
    let kinds = this.kinds.get(measurement);
    if (kinds === undefined) {
      kinds = new FieldKinds(measurement);
      this.kinds.set(measurement, kinds);
    }
    return kinds;
  }
}

/** All rollup points of `points` at one window, partial windows included (a whole data set at once). */
export function rollupPoints(points: Iterable<Point>, windowMs: number): Point[] {
  const aggregator = new RollupAggregator(windowMs);
  for (const point of points) aggregator.add(point);
  return aggregator.drain();
}

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
  /** Open windows by start (ms: a number key, cheaper than a bigint), then by series. */
  private readonly open = new Map<number, Map<string, SeriesWindow>>();
  /** The window of the last point: most points fall in it, and bigint arithmetic allocates. */
  private recent: { start: bigint; end: bigint; windows: Map<string, SeriesWindow> } | undefined;
  private readonly keys = new SeriesKeys();
  /** Closed windows by series, for that series' next window to reuse (see SeriesWindow.reset). */
  private spares = new Map<string, SeriesWindow>();
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
    let recent = this.recent;
    if (recent === undefined || time < recent.start || time >= recent.end) {
      const start = time - (((time % this.windowNs) + this.windowNs) % this.windowNs);
      if (this.closedBefore !== undefined && start < this.closedBefore) return false;
      const startMs = Number(start / NS_PER_MS);
      let windows = this.open.get(startMs);
      if (windows === undefined) {
        windows = new Map();
        this.open.set(startMs, windows);
      }
      recent = { start, end: start + this.windowNs, windows };
      this.recent = recent;
    }
    if (this.newest === undefined || time > this.newest) this.newest = time;
    const key = this.keys.key(point.measurement, point.tags);
    let window = recent.windows.get(key);
    if (window === undefined) {
      window = this.spares.get(key);
      if (window === undefined) {
        window = new SeriesWindow(point.measurement, point.tags, recent.start);
      } else {
        this.spares.delete(key);
        window.reset(point.tags, recent.start);
      }
      recent.windows.set(key, window);
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
    const endMs = Number(end / NS_PER_MS);
    let spares: Map<string, SeriesWindow> | undefined;
    for (const startMs of [...this.open.keys()].sort((a, b) => a - b)) {
      if (startMs >= endMs) break;
      spares ??= new Map();
      for (const [key, window] of this.open.get(startMs) ?? []) {
        points.push(window.point());
        spares.set(key, window);
      }
      this.open.delete(startMs);
    }
    // Spares not taken since the last close belong to series that have gone quiet: let them go.
    if (spares !== undefined) this.spares = spares;
    if (this.closedBefore === undefined || end > this.closedBefore) this.closedBefore = end;
    if (this.recent !== undefined && this.recent.start < this.closedBefore) this.recent = undefined;
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

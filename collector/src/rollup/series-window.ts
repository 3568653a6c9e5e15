import type { FieldValue, Point } from '../model/point.js';
import type { FieldKind } from '../schema/metrics.js';
import { type FieldKinds, maxField, SAMPLES_FIELD } from './field-rules.js';

/** What a window has seen of one raw field. */
interface FieldState {
  kind: FieldKind;
  /** Numeric values seen (finite numbers and bigints). */
  count: number;
  sum: number;
  /** In the raw type: a bigint stays an integer field. */
  max: number | bigint;
  /** The latest value, by point time; arrival order breaks ties. */
  last: FieldValue | undefined;
  lastTime: bigint;
}

/**
 * One series' aggregate over one aligned window: a gauge keeps sum, count and max (no panel
 * reads a minimum, so none is kept); a counter its max; anything non-numeric its last value.
 * `point()` is the rollup point.
 */
export class SeriesWindow {
  private readonly fields = new Map<string, FieldState>();
  private samples = 0;
  /** The time of the latest point so far. */
  private latestTime = 0n;

  constructor(
    readonly measurement: string,
    public tags: Readonly<Record<string, string>>,
    /** The window's start, ns since the epoch: the rollup point's time. */
    public start: bigint,
  ) {}

  /**
   * Empties the window for reuse by the same series' next window: its field states are kept
   * (allocating ~10 objects per series and window would churn the heap every window), and
   * those no raw point sets again stay out of the next rollup point.
   */
  reset(tags: Readonly<Record<string, string>>, start: bigint): void {
    this.tags = tags;
    this.start = start;
    this.samples = 0;
    for (const state of this.fields.values()) {
      state.count = 0;
      state.sum = 0;
      state.last = undefined;
    }
  }

  add(point: Point, kinds: FieldKinds): void {
    this.samples++;
    // One bigint comparison per point, not per field: points mostly arrive in time order.
    const time = point.time;
    const latest = this.samples === 1 || time >= this.latestTime;
    if (latest) this.latestTime = time;
    const fields = point.fields;
    const names = Object.keys(fields);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const value = fields[name];
      if (value === undefined) continue;
      // InfluxDB cannot store NaN or infinities; the raw line leaves them out too.
      if (typeof value === 'number' && !Number.isFinite(value)) continue;
      let state = this.fields.get(name);
      if (state === undefined) {
        state = { kind: kinds.kind(name), count: 0, sum: 0, max: 0, last: value, lastTime: time };
        this.fields.set(name, state);
      } else if (latest || state.last === undefined || time >= state.lastTime) {
        state.last = value;
        state.lastTime = time;
      }
      if (typeof value !== 'bigint' && typeof value !== 'number') continue;
      if (state.count === 0 || value > state.max) state.max = value;
      if (state.kind === 'gauge') state.sum += Number(value);
      state.count++;
    }
  }

  /**
   * The rollup point. A field name derived for one field (`f_max`) gives way to a raw field
   * of the same name, and `samples` to nothing.
   */
  point(): Point {
    const derived: Record<string, FieldValue> = {};
    const own: Record<string, FieldValue> = {};
    for (const [name, state] of this.fields) {
      if (state.last === undefined) continue;
      if (state.count === 0 || state.kind === 'info') {
        own[name] = state.last;
      } else if (state.kind === 'counter') {
        own[name] = state.max;
      } else {
        own[name] = state.sum / state.count;
        derived[maxField(name)] = state.max;
      }
    }
    return {
      measurement: this.measurement,
      tags: this.tags,
      fields: { ...derived, ...own, [SAMPLES_FIELD]: BigInt(this.samples) },
      time: this.start,
    };
  }
}

import type { FieldValue, Point } from '../model/point.js';
import type { FieldKind } from '../schema/metrics.js';
import { type FieldKinds, maxField, minField, SAMPLES_FIELD } from './field-rules.js';

/** What a window has seen of one raw field. */
interface FieldState {
  kind: FieldKind;
  /** Numeric values seen (finite numbers and bigints). */
  count: number;
  sum: number;
  /** In the raw type: a bigint stays an integer field. */
  min: number | bigint;
  max: number | bigint;
  /** The latest value, by point time; arrival order breaks ties. */
  last: FieldValue | undefined;
  lastTime: bigint;
}

/**
 * One series' aggregate over one aligned window: a gauge keeps sum, count, min and max; a
 * counter its max; anything non-numeric its last value. `point()` is the rollup point.
 */
export class SeriesWindow {
  private readonly fields = new Map<string, FieldState>();
  private samples = 0;

  constructor(
    readonly measurement: string,
    readonly tags: Readonly<Record<string, string>>,
    /** The window's start, ns since the epoch: the rollup point's time. */
    readonly start: bigint,
  ) {}

  add(point: Point, kinds: FieldKinds): void {
    this.samples++;
    const fields = point.fields;
    for (const name in fields) {
      const value = fields[name];
      if (value === undefined) continue;
      let state = this.fields.get(name);
      if (state === undefined) {
        state = { kind: kinds.kind(name), count: 0, sum: 0, min: 0, max: 0, last: undefined, lastTime: 0n };
        this.fields.set(name, state);
      }
      // InfluxDB cannot store NaN or infinities; the raw line leaves them out too.
      if (typeof value === 'number' && !Number.isFinite(value)) continue;
      if (state.last === undefined || point.time >= state.lastTime) {
        state.last = value;
        state.lastTime = point.time;
      }
      if (typeof value === 'bigint' || typeof value === 'number') {
        if (state.count === 0) {
          state.min = value;
          state.max = value;
        } else {
          if (value < state.min) state.min = value;
          if (value > state.max) state.max = value;
        }
        state.sum += Number(value);
        state.count++;
      }
    }
  }

  /**
   * The rollup point. Field names derived for one field (`f_min`, `f_max`) give way to a raw
   * field of the same name, and `samples` to nothing.
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
        derived[minField(name)] = state.min;
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

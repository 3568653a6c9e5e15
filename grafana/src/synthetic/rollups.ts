// Rollup points from raw points, by the rollups contract (issue #18), so the dashboards can be
// proved and benchmarked at every resolution without the collector's rollup stage: one point
// per series (measurement + tags) and aligned window, stamped at the window's start, with
// gauge `f` the mean and `f_min`/`f_max`, counter `f` the window's max, info `f` the last
// value, and `samples` the number of raw points.
import { type FieldValue, type Point, toLineProtocol } from '@dockwatch/collector';
import { type Resolution, ROLLUP_FIELD, rollupKind } from '../queries/resolution.js';

interface FieldState {
  /** The value the rollup writes for max/last, and the extremes (same type as raw). */
  last: FieldValue;
  min: number | bigint;
  max: number | bigint;
  sum: number;
  count: number;
  numeric: boolean;
}

interface WindowState {
  measurement: string;
  tags: Readonly<Record<string, string>>;
  startNs: bigint;
  samples: number;
  fields: Map<string, FieldState>;
}

function isNumeric(value: FieldValue): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

function seriesKey(point: Point): string {
  const tags = Object.keys(point.tags)
    .sort()
    .map((key) => `${key}=${point.tags[key]}`);
  return [point.measurement, ...tags].join(',');
}

function add(window: WindowState, point: Point): void {
  window.samples += 1;
  for (const [name, value] of Object.entries(point.fields)) {
    const state = window.fields.get(name);
    const numeric = isNumeric(value);
    if (!state) {
      window.fields.set(name, {
        last: value,
        min: numeric ? value : 0,
        max: numeric ? value : 0,
        sum: numeric ? Number(value) : 0,
        count: 1,
        numeric,
      });
      continue;
    }
    state.last = value;
    state.count += 1;
    if (numeric && state.numeric) {
      if (value < state.min) state.min = value;
      if (value > state.max) state.max = value;
      state.sum += Number(value);
    } else state.numeric = false;
  }
}

function toPoint(window: WindowState): Point {
  const fields: Record<string, FieldValue> = {};
  for (const [name, state] of window.fields) {
    const kind = state.numeric ? rollupKind(window.measurement, name) : 'info';
    if (kind === 'gauge') {
      fields[name] = state.sum / state.count;
      fields[`${name}${ROLLUP_FIELD.minSuffix}`] = state.min;
      fields[`${name}${ROLLUP_FIELD.maxSuffix}`] = state.max;
    } else if (kind === 'counter') fields[name] = state.max;
    else fields[name] = state.last;
  }
  fields[ROLLUP_FIELD.samples] = BigInt(window.samples);
  return { measurement: window.measurement, tags: window.tags, fields, time: window.startNs };
}

/**
 * The rollup points of `points` (in time order, give or take one collector interval: a dying
 * container's status point comes a few seconds ahead of the other points of its gather) at
 * `resolution`. A window is closed once a point `settleSeconds` past its end arrives, as the
 * collector closes windows at its flush after each gather; a point for a closed window is
 * late and left out, as the collector leaves it to raw only. Open windows are emitted at the
 * end (partial windows, as on the collector's shutdown).
 */
export function* rollupPoints(
  points: Iterable<Point>,
  resolution: Resolution,
  settleSeconds = 10,
): Generator<Point> {
  const windowNs = BigInt(resolution.windowSeconds) * 1_000_000_000n;
  const settleNs = BigInt(settleSeconds) * 1_000_000_000n;
  const open = new Map<string, WindowState>();
  // Windows starting before this are closed.
  let closedBefore = 0n;
  let nextCheck = 0n;
  for (const point of points) {
    if (point.time >= nextCheck) {
      closedBefore = ((point.time - settleNs) / windowNs) * windowNs;
      for (const [key, window] of open) {
        if (window.startNs < closedBefore) {
          yield toPoint(window);
          open.delete(key);
        }
      }
      nextCheck = closedBefore + windowNs + settleNs;
    }
    const startNs = (point.time / windowNs) * windowNs;
    if (startNs < closedBefore) continue;
    const key = `${startNs}|${seriesKey(point)}`;
    let window = open.get(key);
    if (!window) {
      window = { measurement: point.measurement, tags: point.tags, startNs, samples: 0, fields: new Map() };
      open.set(key, window);
    }
    add(window, point);
  }
  for (const window of open.values()) yield toPoint(window);
}

/** The rollup points of `points` at `resolution`, as line protocol (ns precision). */
export function* rollupLines(points: Iterable<Point>, resolution: Resolution): Generator<string> {
  for (const p of rollupPoints(points, resolution)) yield toLineProtocol(p);
}

import type { FieldValue, Point } from '../model/point.js';
import type { EngineStats } from './engine-stats.js';
import type { ContainerSampleInput } from './input.js';
import type { InspectData } from './inspect-data.js';
import type { DeriveMemo } from './memo.js';
import { containerTags } from './tags.js';
import { optionalTimestampNs } from './timestamp.js';

/** What every stats family reads: one container's previous and current sample, prepared once. */
export interface SampleContext {
  /** Undefined on the first sample, or when the previous one cannot serve as a baseline. */
  previous: EngineStats | undefined;
  current: EngineStats;
  inspect: InspectData;
  tags: Readonly<Record<string, string>>;
  /** The current sample's `read`, ns. */
  time: bigint;
  containerId: string;
  perDevice: boolean;
  /** The caller's memo (see withTag), when it keeps one. */
  memo: DeriveMemo | undefined;
}

/**
 * The context for the stats families, or undefined when the current sample carries no data:
 * a stopped container's stats have only id/name and the zero `read` time, which is a gap
 * in the series, not a row of zeros.
 */
export function sampleContext(input: ContainerSampleInput): SampleContext | undefined {
  const current: EngineStats = input.current;
  const inspect: InspectData = input.inspect;
  const memo = input.options.memo;
  const time = input.time ?? optionalTimestampNs(current.read);
  if (time === undefined || current.cpu_stats === undefined || current.cpu_stats === null) return undefined;
  return {
    previous: usableBaseline(input.previous, current),
    current,
    inspect,
    tags: containerTags(inspect, input.engine, input.options.labelAllowlist, memo),
    time,
    containerId: inspect.Id,
    perDevice: input.options.perDevice,
    memo,
  };
}

/**
 * A previous sample of another container (id reused by a caller bug) or of a stopped one (the
 * zero `read`) is no baseline. (The fast path's samples carry their time apart, not as `read`.)
 */
function usableBaseline(previous: EngineStats | undefined, current: EngineStats): EngineStats | undefined {
  if (previous === undefined) return undefined;
  if (previous.id !== undefined && current.id !== undefined && previous.id !== current.id) return undefined;
  if (previous.read !== undefined && optionalTimestampNs(previous.read) === undefined) return undefined;
  return previous;
}

export function makePoint(
  measurement: string,
  tags: Readonly<Record<string, string>>,
  fields: Record<string, FieldValue>,
  time: bigint,
): Point {
  return { measurement, tags, fields, time };
}

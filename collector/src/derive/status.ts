import type { FieldValue, Point } from '../model/point.js';
import { makePoint } from './context.js';
import type { EngineInfo } from './input.js';
import type { InspectData } from './inspect-data.js';
import type { DeriveMemo } from './memo.js';
import { containerTags } from './tags.js';
import { optionalTimestampNs } from './timestamp.js';
import { MEASUREMENT } from '../schema/names.js';

export const STATUS_MEASUREMENT = MEASUREMENT.status;

/**
 * `docker_container_status` from inspect data alone, so it is also written for stopped
 * containers (e.g. on a `die` event). `time` is when the state was observed, ns.
 */
export function statusPoint(
  inspect: InspectData,
  engine: EngineInfo,
  labelAllowlist: readonly string[],
  time: bigint,
  memo?: DeriveMemo,
): Point {
  const state = inspect.State;
  const fields: Record<string, FieldValue> = {
    container_id: inspect.Id,
    oomkilled: state.OOMKilled,
    pid: BigInt(state.Pid),
    exitcode: BigInt(state.ExitCode),
    restart_count: BigInt(inspect.RestartCount),
    // "default" is what the Engine itself records when no mode was asked for.
    network_mode: inspect.HostConfig.NetworkMode || 'default',
  };
  const startedAt = optionalTimestampNs(state.StartedAt, memo);
  const finishedAt = optionalTimestampNs(state.FinishedAt, memo);
  if (startedAt !== undefined) fields.started_at = startedAt;
  if (finishedAt !== undefined) fields.finished_at = finishedAt;
  if (state.Running && startedAt !== undefined && time >= startedAt) fields.uptime_ns = time - startedAt;
  return makePoint(STATUS_MEASUREMENT, containerTags(inspect, engine, labelAllowlist, memo), fields, time);
}

import type { Point } from '../model/point.js';
import { makePoint } from './context.js';
import type { EngineInfo } from './input.js';
import type { InspectData } from './inspect-data.js';
import type { DeriveMemo } from './memo.js';
import { containerTags } from './tags.js';
import { MEASUREMENT } from '../schema/names.js';

export const HEALTH_MEASUREMENT = MEASUREMENT.health;

/** `docker_container_health`, or null when the container has no healthcheck. */
export function healthPoint(
  inspect: InspectData,
  engine: EngineInfo,
  labelAllowlist: readonly string[],
  time: bigint,
  memo?: DeriveMemo,
): Point | null {
  const health = inspect.State.Health;
  if (health === undefined || health === null) return null;
  return makePoint(
    HEALTH_MEASUREMENT,
    containerTags(inspect, engine, labelAllowlist, memo),
    {
      health_status: health.Status,
      failing_streak: BigInt(health.FailingStreak),
      container_id: inspect.Id,
    },
    time,
  );
}

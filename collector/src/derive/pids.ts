import type { FieldValue, Point } from '../model/point.js';
import { makePoint, type SampleContext } from './context.js';
import { putInt, toInt64 } from './integer.js';
import { MEASUREMENT } from '../schema/names.js';

export const PIDS_MEASUREMENT = MEASUREMENT.pids;

/** `docker_container_pids` (not in Telegraf): current task count and the limit when one is set. */
export function pidsPoints(context: SampleContext): Point[] {
  const pids = context.current.pids_stats;
  const current = toInt64(pids?.current);
  if (current === undefined) return [];
  const fields: Record<string, FieldValue> = { current, container_id: context.containerId };
  // 0 (or an absent key) means "no limit".
  if ((toInt64(pids?.limit) ?? 0n) > 0n) putInt(fields, 'limit', pids?.limit);
  return [makePoint(PIDS_MEASUREMENT, context.tags, fields, context.time)];
}

import type { FieldValue, Point } from '../model/point.js';
import { makePoint, type SampleContext } from './context.js';
import type { EngineMemoryStats } from './engine-stats.js';
import { putInt, toInt64 } from './integer.js';
import { MEASUREMENT } from '../schema/names.js';

export const MEMORY_MEASUREMENT = MEASUREMENT.memory;

/**
 * `docker stats`' memory usage: `usage` minus the inactive file cache (`total_inactive_file`
 * on cgroup v1, `inactive_file` on v2) when that is smaller than usage, else `usage`.
 * tmpfs and /dev/shm pages are not inactive *file* pages, so they stay counted (unlike
 * subtracting `cache`). Undefined when the sample has no usage.
 */
export function memoryUsed(memory: EngineMemoryStats): bigint | undefined {
  const usage = toInt64(memory.usage);
  if (usage === undefined) return undefined;
  const stats = memory.stats ?? {};
  const v1InactiveFile = toInt64(stats.total_inactive_file);
  if (v1InactiveFile !== undefined && v1InactiveFile < usage) return usage - v1InactiveFile;
  // The CLI falls through to the v2 key here, also on v1; an absent key subtracts nothing.
  const inactiveFile = toInt64(stats.inactive_file) ?? 0n;
  return inactiveFile < usage ? usage - inactiveFile : usage;
}

/** used / limit x 100, undefined without a positive limit. */
export function memoryPercent(used: bigint, limit: bigint | undefined): number | undefined {
  if (limit === undefined || limit <= 0n) return undefined;
  return (Number(used) / Number(limit)) * 100;
}

/** cgroup v1 is the only one with hierarchical `total_*` keys and `max_usage`. */
function isCgroupV1(memory: EngineMemoryStats): boolean {
  return memory.max_usage !== undefined || toInt64(memory.stats?.total_inactive_file) !== undefined;
}

/**
 * `docker_container_mem`: every memory.stat key as an integer, plus usage, usage_raw, limit,
 * percent and (when the sampler knows them) OOM kills. `usage` is the `docker stats` figure: Telegraf's field of that name is what
 * community dashboards plot as memory in use, so that is where the correct number goes.
 */
export function memoryPoints(context: SampleContext): Point[] {
  const memory = context.current.memory_stats;
  if (memory === undefined || memory === null) return [];
  const used = memoryUsed(memory);
  if (used === undefined) return [];
  const fields: Record<string, FieldValue> = {};
  const stats = memory.stats ?? {};
  for (const key in stats) putInt(fields, key, stats[key]);
  fields.usage = used;
  putInt(fields, 'usage_raw', memory.usage);
  const limit = toInt64(memory.limit);
  if (limit !== undefined) fields.limit = limit;
  const percent = memoryPercent(used, limit);
  if (percent !== undefined) fields.usage_percent = percent;
  putInt(fields, 'max_usage', memory.max_usage);
  // The Engine omits failcnt when it is 0; on v1 the counter always exists, so 0 is a fact.
  putInt(fields, 'failcnt', memory.failcnt ?? (isCgroupV1(memory) ? 0 : undefined));
  // Whichever sampler read the sample put it there (kernel counter or counted events).
  putInt(fields, 'oom_kills', memory.oom_kills);
  fields.container_id = context.containerId;
  return [makePoint(MEMORY_MEASUREMENT, context.tags, fields, context.time)];
}

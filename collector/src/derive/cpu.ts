import type { FieldValue, Point } from '../model/point.js';
import { makePoint, type SampleContext } from './context.js';
import { withTag } from './tags.js';
import type { EngineCpuStats } from './engine-stats.js';
import type { InspectHostConfig } from './inspect-data.js';
import { putInt, toInt64 } from './integer.js';
import { MEASUREMENT, TAG, TOTAL } from '../schema/names.js';

export const CPU_MEASUREMENT = MEASUREMENT.cpu;

/** The kernel's CFS period when a container sets a quota but no period, µs. */
const DEFAULT_CFS_PERIOD_US = 100_000;

/**
 * The container's CPU limit in cores, from `--cpus` (NanoCpus) or from `--cpu-quota` /
 * `--cpu-period`; undefined when it may use every core. (A cpuset is not a limit in cores.)
 */
export function cpuLimitCores(hostConfig: InspectHostConfig): number | undefined {
  const nanoCpus = hostConfig.NanoCpus ?? 0;
  if (nanoCpus > 0) return nanoCpus / 1e9;
  const quota = hostConfig.CpuQuota ?? 0;
  if (quota > 0) {
    const period = hostConfig.CpuPeriod ?? 0;
    return quota / (period > 0 ? period : DEFAULT_CFS_PERIOD_US);
  }
  return undefined;
}

/** CPUs the percentage is scaled by: `online_cpus`, or the length of `percpu_usage` when that is 0/absent. */
export function onlineCpus(stats: EngineCpuStats): number {
  const online = toInt64(stats.online_cpus) ?? 0n;
  return online > 0n ? Number(online) : (stats.cpu_usage?.percpu_usage?.length ?? 0);
}

/**
 * `docker stats`' CPU %: container CPU time delta over host CPU time delta, times online
 * CPUs, times 100 (100 % = one core). 0 when either delta is <= 0 (e.g. the counters reset
 * because the container restarted); undefined without a baseline.
 */
export function cpuPercent(
  previous: EngineCpuStats | undefined,
  current: EngineCpuStats,
): number | undefined {
  if (previous === undefined) return undefined;
  const previousTotal = toInt64(previous.cpu_usage?.total_usage);
  const previousSystem = toInt64(previous.system_cpu_usage);
  const currentTotal = toInt64(current.cpu_usage?.total_usage);
  const currentSystem = toInt64(current.system_cpu_usage);
  if (
    previousTotal === undefined ||
    previousSystem === undefined ||
    currentTotal === undefined ||
    currentSystem === undefined
  ) {
    return undefined;
  }
  // Deltas in bigint: the counters are ns since boot and exceed 2^53 on long-running hosts.
  const cpuDelta = currentTotal - previousTotal;
  const systemDelta = currentSystem - previousSystem;
  if (cpuDelta <= 0n || systemDelta <= 0n) return 0;
  return (Number(cpuDelta) / Number(systemDelta)) * onlineCpus(current) * 100;
}

/** `docker_container_cpu`: the `cpu-total` point, plus `cpuN` points when per-device and v1 percpu data exist. */
export function cpuPoints(context: SampleContext): Point[] {
  const stats = context.current.cpu_stats;
  if (stats === undefined || stats === null) return [];
  const usage = stats.cpu_usage;
  const fields: Record<string, FieldValue> = { container_id: context.containerId };
  putInt(fields, 'usage_total', usage?.total_usage);
  putInt(fields, 'usage_in_kernelmode', usage?.usage_in_kernelmode);
  putInt(fields, 'usage_in_usermode', usage?.usage_in_usermode);
  putInt(fields, 'usage_system', stats.system_cpu_usage);
  putInt(fields, 'throttling_periods', stats.throttling_data?.periods);
  putInt(fields, 'throttling_throttled_periods', stats.throttling_data?.throttled_periods);
  putInt(fields, 'throttling_throttled_time', stats.throttling_data?.throttled_time);
  const percent = cpuPercent(context.previous?.cpu_stats ?? undefined, stats);
  const limit = cpuLimitCores(context.inspect.HostConfig);
  if (limit !== undefined) fields.limit_cores = limit;
  if (percent !== undefined) {
    fields.usage_percent = percent;
    if (limit !== undefined) fields.usage_percent_of_limit = percent / limit;
  }
  const points = [
    makePoint(CPU_MEASUREMENT, withTag(context.tags, TAG.cpu, TOTAL.cpu, context.memo), fields, context.time),
  ];

  const perCpu = usage?.percpu_usage ?? [];
  if (context.perDevice && perCpu.length > 0) {
    // percpu_usage may list possible-but-offline CPUs after the online ones.
    const online = Number(toInt64(stats.online_cpus) ?? 0n);
    const shown = online > 0 ? perCpu.slice(0, online) : perCpu;
    shown.forEach((value, index) => {
      const cpuFields: Record<string, FieldValue> = { container_id: context.containerId };
      putInt(cpuFields, 'usage_total', value);
      points.push(
        makePoint(
          CPU_MEASUREMENT,
          withTag(context.tags, TAG.cpu, `cpu${index}`, context.memo),
          cpuFields,
          context.time,
        ),
      );
    });
  }
  return points;
}

// Per-container queries over the collector's docker_container_* measurements. Each takes the
// WHERE scope so dashboards (variables) and alert rules (everything) share the same InfluxQL.
import { MEASUREMENT, TAG, TOTAL } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { CONTAINER_TAGS, groupByInterval, ident, literal, ratePerSecond, where } from './influxql.js';

const BY_CONTAINER = groupByInterval(...CONTAINER_TAGS);
const BY_CONTAINER_AND_STATUS = groupByInterval(...CONTAINER_TAGS, TAG.containerStatus);
const CPU_TOTAL = `${ident(TAG.cpu)} = ${literal(TOTAL.cpu)}`;
const LEGEND = `$tag_${TAG.containerName}`;

export function cpuPercent(scope: string): QuerySpec {
  return {
    query: `SELECT mean("usage_percent") FROM ${ident(MEASUREMENT.cpu)} ${where(CPU_TOTAL, scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'all' },
  };
}

export function cpuPercentOfLimit(scope: string): QuerySpec {
  return {
    query: `SELECT mean("usage_percent_of_limit") FROM ${ident(MEASUREMENT.cpu)} ${where(CPU_TOTAL, scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'cpuLimited' },
  };
}

/**
 * CPU % of one core for containers WITHOUT a CPU limit. Those have no usage_percent_of_limit,
 * so count() of that field, filled with 0, tells them apart inside one query.
 */
export function cpuPercentOfCoreUnlimited(scope: string): QuerySpec {
  const inner = `SELECT mean("usage_percent") AS "of_core", count("usage_percent_of_limit") AS "limited" FROM ${ident(MEASUREMENT.cpu)} ${where(CPU_TOTAL, scope)} ${BY_CONTAINER} fill(0)`;
  return {
    query: `SELECT max("of_core") FROM (${inner}) ${where('"limited" = 0')} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'cpuUnlimited' },
  };
}

export function cpuThrottledPeriodsRate(scope: string): QuerySpec {
  return {
    query: `SELECT ${ratePerSecond('throttling_throttled_periods')} FROM ${ident(MEASUREMENT.cpu)} ${where(CPU_TOTAL, scope)} ${BY_CONTAINER} fill(none)`,
    alias: `${LEGEND} throttled periods/s`,
    proof: { kind: 'containers', set: 'all' },
  };
}

/** docker stats MEM USAGE: the collector's `usage` (raw usage minus inactive file cache). */
export function memoryUsed(scope: string): QuerySpec {
  return {
    query: `SELECT mean("usage") FROM ${ident(MEASUREMENT.memory)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'all' },
  };
}

/** The memory limit (host memory when the container has none). */
export function memoryLimit(scope: string): QuerySpec {
  return {
    query: `SELECT max("limit") FROM ${ident(MEASUREMENT.memory)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: `${LEGEND} limit`,
    proof: { kind: 'containers', set: 'all' },
  };
}

export function memoryPercentOfLimit(scope: string): QuerySpec {
  return {
    query: `SELECT mean("usage_percent") FROM ${ident(MEASUREMENT.memory)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'all' },
  };
}

function networkRate(field: 'rx_bytes' | 'tx_bytes', scope: string): QuerySpec {
  return {
    query: `SELECT ${ratePerSecond(field)} FROM ${ident(MEASUREMENT.network)} ${where(`${ident(TAG.network)} = ${literal(TOTAL.network)}`, scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'networked' },
  };
}

export function networkReceiveRate(scope: string): QuerySpec {
  return networkRate('rx_bytes', scope);
}

export function networkTransmitRate(scope: string): QuerySpec {
  return networkRate('tx_bytes', scope);
}

function blockRate(field: string, scope: string): QuerySpec {
  return {
    query: `SELECT ${ratePerSecond(field)} FROM ${ident(MEASUREMENT.blkio)} ${where(`${ident(TAG.device)} = ${literal(TOTAL.device)}`, scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'all' },
  };
}

export function blockReadRate(scope: string): QuerySpec {
  return blockRate('io_service_bytes_recursive_read', scope);
}

export function blockWriteRate(scope: string): QuerySpec {
  return blockRate('io_service_bytes_recursive_write', scope);
}

export function pidsCurrent(scope: string): QuerySpec {
  return {
    query: `SELECT max("current") FROM ${ident(MEASUREMENT.pids)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'all' },
  };
}

export function pidsLimit(scope: string): QuerySpec {
  return {
    query: `SELECT max("limit") FROM ${ident(MEASUREMENT.pids)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: `${LEGEND} limit`,
    proof: { kind: 'containers', set: 'pidsLimited' },
  };
}

/**
 * Containers running, per interval: the status point is written for each running container
 * every interval, so counting the containers that have one in the interval counts them.
 */
export function runningContainers(scope: string): QuerySpec {
  const inner = `SELECT last("uptime_ns") AS "uptime" FROM ${ident(MEASUREMENT.status)} ${where(`${ident(TAG.containerStatus)} = 'running'`, scope)} ${BY_CONTAINER}`;
  return {
    query: `SELECT count("uptime") FROM (${inner}) ${where()} ${groupByInterval()} fill(0)`,
    alias: 'running',
    proof: { kind: 'values' },
  };
}

function restartIncreases(scope: string): string {
  return `SELECT non_negative_difference(max("restart_count")) AS "restarts" FROM ${ident(MEASUREMENT.status)} ${where(scope)} ${BY_CONTAINER} fill(none)`;
}

/** Restarts per container and interval: increases of Docker's RestartCount. */
export function restarts(scope: string): QuerySpec {
  return { query: restartIncreases(scope), alias: LEGEND, proof: { kind: 'containers', set: 'all' } };
}

/** Restarts of all selected containers, per interval (a stat panel sums them over the range). */
export function restartsTotal(scope: string): QuerySpec {
  return {
    query: `SELECT sum("restarts") FROM (${restartIncreases(scope)}) ${where()} ${groupByInterval()} fill(0)`,
    alias: 'restarts',
    proof: { kind: 'values' },
  };
}

/** Increases of the `oom_kills` counter per interval; a reset (the cgroup recreated on restart) is dropped, not negative. */
function oomKillCounterIncreases(scope: string): string {
  return `SELECT non_negative_difference(max("oom_kills")) AS "kills" FROM ${ident(MEASUREMENT.memory)} ${where(scope)} ${BY_CONTAINER_AND_STATUS}`;
}

/** Deaths with OOMKilled set: the status point written when a container dies carries oomkilled=true. */
function oomKilledDeaths(scope: string): string {
  return `SELECT count("oomkilled") AS "kills" FROM ${ident(MEASUREMENT.status)} ${where('"oomkilled" = true', scope)} ${BY_CONTAINER_AND_STATUS}`;
}

/**
 * OOM kills per container and interval, from both sources: increases of the `oom_kills`
 * counter (a process killed inside the container, which may keep running; series tagged with
 * the container's status then, e.g. running) and deaths with OOMKilled set (tagged exited).
 * The two come from two measurements, which InfluxQL keeps as two series; grouping by
 * container_status gives them distinct labels, so an alert rule never sees two series with the
 * same labels. Only intervals with a kill are returned.
 */
export function oomKills(scope: string): QuerySpec {
  return {
    query: `SELECT sum("kills") FROM (${oomKillCounterIncreases(scope)}), (${oomKilledDeaths(scope)}) ${where('"kills" > 0')} ${BY_CONTAINER_AND_STATUS} fill(none)`,
    alias: `${LEGEND} (${`$tag_${TAG.containerStatus}`})`,
    proof: { kind: 'containers', set: 'oomAny' },
  };
}

/** Increases of the `oom_kills` counter of all selected containers, per interval. */
export function oomKillCounterTotal(scope: string): QuerySpec {
  return {
    query: `SELECT sum("kills") FROM (${oomKillCounterIncreases(scope)}) ${where()} ${groupByInterval()} fill(0)`,
    alias: 'OOM kills (counter)',
    proof: { kind: 'values', whenAny: 'oomKillCounted' },
  };
}

/** Deaths with OOMKilled set of all selected containers, per interval. */
export function oomKilledDeathsTotal(scope: string): QuerySpec {
  return {
    query: `SELECT count("oomkilled") FROM ${ident(MEASUREMENT.status)} ${where('"oomkilled" = true', scope)} ${groupByInterval()} fill(0)`,
    alias: 'OOM-killed deaths',
    proof: { kind: 'values', whenAny: 'oomKilled' },
  };
}

/** The container's writable layer (docker ps -s SIZE), from GET /system/df every DISK_USAGE_INTERVAL. */
export function writableLayerSize(scope: string): QuerySpec {
  return {
    query: `SELECT last("size_rw") FROM ${ident(MEASUREMENT.diskUsage)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'diskUsage' },
  };
}

/** The container's root filesystem: its writable layer plus its image. */
export function rootFsSize(scope: string): QuerySpec {
  return {
    query: `SELECT last("size_root_fs") FROM ${ident(MEASUREMENT.diskUsage)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: `${LEGEND} root filesystem`,
    proof: { kind: 'containers', set: 'diskUsage' },
  };
}

/** Health as reported by Docker's healthcheck: starting, healthy or unhealthy. */
export function healthStatus(scope: string): QuerySpec {
  return {
    query: `SELECT last("health_status") FROM ${ident(MEASUREMENT.health)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'healthchecked' },
  };
}

export function healthFailingStreak(scope: string): QuerySpec {
  return {
    query: `SELECT max("failing_streak") FROM ${ident(MEASUREMENT.health)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: `${LEGEND} failing streak`,
    proof: { kind: 'containers', set: 'healthchecked' },
  };
}

/** Unhealthy reports per container and interval (an alert fires on any). */
export function unhealthyReports(scope: string): QuerySpec {
  return {
    query: `SELECT count("health_status") FROM ${ident(MEASUREMENT.health)} ${where(`"health_status" = 'unhealthy'`, scope)} ${BY_CONTAINER} fill(none)`,
    alias: LEGEND,
    proof: { kind: 'containers', set: 'unhealthy' },
  };
}

/** Unhealthy reports of all selected containers, per interval. */
export function unhealthyReportsTotal(scope: string): QuerySpec {
  return {
    query: `SELECT count("health_status") FROM ${ident(MEASUREMENT.health)} ${where(`"health_status" = 'unhealthy'`, scope)} ${groupByInterval()} fill(0)`,
    alias: 'unhealthy reports',
    proof: { kind: 'values', whenAny: 'unhealthy' },
  };
}

export function uptime(scope: string): QuerySpec {
  return {
    query: `SELECT last("uptime_ns") FROM ${ident(MEASUREMENT.status)} ${where(scope)} ${BY_CONTAINER} fill(none)`,
    alias: `${LEGEND} uptime`,
    proof: { kind: 'containers', set: 'all' },
  };
}

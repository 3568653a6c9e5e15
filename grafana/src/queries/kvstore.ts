// KV service queries over the scraped `prometheus` measurement (one field per metric).
// Counters become per-second rates per series first (subquery GROUP BY *), then are summed,
// so a counter reset or a new label set never shows as a negative spike.
import { MEASUREMENT, TAG } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { groupByInterval, ident, ratePerSecond, where } from './influxql.js';

const BY_INSTANCE = groupByInterval(TAG.containerName);
const KV = { source: 'kvstore' } as const;

/** Per-second rate of `field` per series, summed by `tags`. */
function summedRate(field: string, scope: string, alias: string, ...tags: string[]): string {
  const inner = `SELECT ${ratePerSecond(field)} AS ${ident(alias)} FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} GROUP BY time($__interval), *`;
  return `SELECT sum(${ident(alias)}) FROM (${inner}) ${where()} ${groupByInterval(...tags)}`;
}

export function requestRateByRoute(scope: string): QuerySpec {
  return {
    query: `${summedRate('http_request_duration_seconds_count', scope, 'rps', 'route')} fill(none)`,
    alias: '$tag_route',
    proof: { kind: 'metric', ...KV, groupTag: 'route' },
  };
}

export function requestRateByStatus(scope: string): QuerySpec {
  return {
    query: `${summedRate('http_request_duration_seconds_count', scope, 'rps', 'status_code')} fill(none)`,
    alias: '$tag_status_code',
    proof: { kind: 'metric', ...KV, groupTag: 'status_code' },
  };
}

/**
 * Share of requests answered 5xx, per instance. InfluxQL has no conditional sum, so two
 * subqueries (5xx rate, all rate) are read together and divided per interval.
 */
export function errorRatio(scope: string): QuerySpec {
  const rate = (alias: string, ...conditions: string[]) =>
    `SELECT ${ratePerSecond('http_request_duration_seconds_count')} AS ${ident(alias)} FROM ${ident(MEASUREMENT.prometheus)} ${where(...conditions, scope)} GROUP BY time($__interval), *`;
  return {
    query: `SELECT sum("errors") / sum("requests") FROM (${rate('errors', '"status_code" =~ /^5/')}), (${rate('requests')}) ${where()} ${BY_INSTANCE} fill(0)`,
    alias: `$tag_${TAG.containerName}`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

/**
 * Share of requests slower than a bucket bound: 1 - rate(bucket{le})/rate(count). With the
 * 0.25 s bound, this above 1 % is exactly "p99 above 250 ms".
 */
export function slowerThanRatio(scope: string, le: string): QuerySpec {
  const bucket = `SELECT ${ratePerSecond('http_request_duration_seconds_bucket')} AS "within" FROM ${ident(MEASUREMENT.prometheus)} ${where(`${ident(TAG.le)} = '${le}'`, scope)} GROUP BY time($__interval), *`;
  const count = `SELECT ${ratePerSecond('http_request_duration_seconds_count')} AS "requests" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} GROUP BY time($__interval), *`;
  return {
    query: `SELECT 1 - sum("within") / sum("requests") FROM (${bucket}), (${count}) ${where()} ${BY_INSTANCE} fill(none)`,
    alias: `$tag_${TAG.containerName} slower than ${le} s`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

/** Requests per second that finished within each bucket bound (cumulative, one series per le). */
export function requestRateWithinBucket(scope: string): QuerySpec {
  return {
    query: `${summedRate('http_request_duration_seconds_bucket', scope, 'within', 'le')} fill(none)`,
    alias: 'le $tag_le',
    proof: { kind: 'metric', ...KV, groupTag: TAG.le },
  };
}

/** All requests per second: the denominator of the per-bucket shares. */
export function requestRate(scope: string): QuerySpec {
  return {
    query: `${summedRate('http_request_duration_seconds_count', scope, 'rps')} fill(none)`,
    alias: 'requests',
    proof: { kind: 'metric', ...KV },
  };
}

/** Mean latency: increase of the histogram's sum over increase of its count. */
export function meanLatency(scope: string): QuerySpec {
  const inner = `SELECT non_negative_difference(max("http_request_duration_seconds_sum")) AS "seconds", non_negative_difference(max("http_request_duration_seconds_count")) AS "requests" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} GROUP BY time($__interval), *`;
  return {
    query: `SELECT sum("seconds") / sum("requests") FROM (${inner}) ${where()} ${groupByInterval('route')} fill(none)`,
    alias: '$tag_route mean',
    proof: { kind: 'metric', ...KV, groupTag: 'route' },
  };
}

export function operationsByTypeAndResult(scope: string): QuerySpec {
  return {
    query: `${summedRate('kvstore_operations_total', scope, 'ops', 'op', 'result')} fill(none)`,
    alias: '$tag_op $tag_result',
    proof: { kind: 'metric', ...KV, groupTag: 'op' },
  };
}

export function keys(scope: string): QuerySpec {
  return {
    query: `SELECT mean("kvstore_keys") FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} ${BY_INSTANCE} fill(none)`,
    alias: `$tag_${TAG.containerName} keys`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

export function expirationRate(scope: string): QuerySpec {
  return {
    query: `${summedRate('kvstore_expired_keys_total', scope, 'expired', 'mode')} fill(none)`,
    alias: 'expired ($tag_mode)',
    proof: { kind: 'metric', ...KV, groupTag: 'mode' },
  };
}

export function storeSize(scope: string): QuerySpec {
  return {
    query: `SELECT mean("kvstore_storage_size_bytes") FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} ${BY_INSTANCE} fill(none)`,
    alias: `$tag_${TAG.containerName}`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

export function eventLoopLag(scope: string): QuerySpec {
  return {
    query: `SELECT mean("nodejs_eventloop_lag_seconds") AS "lag", max("nodejs_eventloop_lag_p99_seconds") AS "lag p99" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} ${BY_INSTANCE} fill(none)`,
    alias: `$tag_${TAG.containerName} $col`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

/** Process CPU in percent of one core: rate of CPU seconds x 100. */
export function processCpuPercent(scope: string): QuerySpec {
  return {
    query: `SELECT ${ratePerSecond('process_cpu_seconds_total')} * 100 FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} ${BY_INSTANCE} fill(none)`,
    alias: `$tag_${TAG.containerName}`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

export function processMemory(scope: string): QuerySpec {
  return {
    query: `SELECT mean("process_resident_memory_bytes") AS "resident", mean("nodejs_heap_size_used_bytes") AS "heap used" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} ${BY_INSTANCE} fill(none)`,
    alias: `$tag_${TAG.containerName} $col`,
    proof: { kind: 'metric', ...KV, groupTag: TAG.containerName },
  };
}

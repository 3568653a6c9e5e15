// The collector's own metrics: it scrapes its registry each interval into `prometheus`
// with job=collector and engine_host.
import { MEASUREMENT, TAG } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { groupByInterval, ident, ratePerSecond, where } from './influxql.js';

const COLLECTOR = { source: 'collector' } as const;

/** Mean gather duration per source (docker, prometheus): increase of sum over increase of count. */
export function gatherDuration(scope: string): QuerySpec {
  const inner = `SELECT non_negative_difference(max("collector_gather_duration_seconds_sum")) AS "seconds", non_negative_difference(max("collector_gather_duration_seconds_count")) AS "gathers" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} GROUP BY time($__interval), *`;
  return {
    query: `SELECT sum("seconds") / sum("gathers") FROM (${inner}) ${where()} ${groupByInterval(TAG.engineHost, 'source')} fill(none)`,
    alias: `$tag_source ($tag_${TAG.engineHost})`,
    proof: { kind: 'metric', ...COLLECTOR, groupTag: 'source' },
  };
}

/**
 * Points written, failed and dropped per second. Dropped points carry a `reason` label, so each
 * counter is turned into a rate per series first and summed per host after.
 */
export function pointsRates(scope: string): QuerySpec {
  const inner = `SELECT ${ratePerSecond('collector_points_written_total')} AS "written", ${ratePerSecond('collector_points_failed_total')} AS "failed", ${ratePerSecond('collector_points_dropped_total')} AS "dropped" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} GROUP BY time($__interval), *`;
  return {
    query: `SELECT sum("written") AS "written", sum("failed") AS "failed", sum("dropped") AS "dropped" FROM (${inner}) ${where()} ${groupByInterval(TAG.engineHost)} fill(none)`,
    alias: `$col ($tag_${TAG.engineHost})`,
    proof: { kind: 'metric', ...COLLECTOR, groupTag: TAG.engineHost },
  };
}

/** Failed stats calls per second, by reason. The counter has no series until the first error. */
export function statsErrorRate(scope: string): QuerySpec {
  const inner = `SELECT ${ratePerSecond('collector_stats_errors_total')} AS "errors" FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} GROUP BY time($__interval), *`;
  return {
    query: `SELECT sum("errors") FROM (${inner}) ${where()} ${groupByInterval(TAG.engineHost, 'reason')} fill(none)`,
    alias: `$tag_reason ($tag_${TAG.engineHost})`,
    proof: { kind: 'runs' },
  };
}

export function containersTracked(scope: string): QuerySpec {
  return {
    query: `SELECT last("collector_containers_tracked") FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)} ${groupByInterval(TAG.engineHost)} fill(none)`,
    alias: `$tag_${TAG.engineHost}`,
    proof: { kind: 'metric', ...COLLECTOR, groupTag: TAG.engineHost },
  };
}

/** Any point from any collector in the range; the "no data" alert fires when there is none. */
export function collectorSamples(scope: string): QuerySpec {
  return {
    query: `SELECT count("collector_containers_tracked") FROM ${ident(MEASUREMENT.prometheus)} ${where(scope)}`,
    alias: 'samples',
    proof: { kind: 'metric', ...COLLECTOR },
  };
}

// Template variable queries. SHOW TAG VALUES reads the series index, so it is cheap. Each is
// bounded by the dashboard's range ($timeFilter; the variables refresh when it changes): InfluxDB
// 3 otherwise looks back only 24 h, and containers older than that would vanish from the lists.
// 1.x before TSI ignores the bound and lists every value it retains, which is harmless.
//
// They read the 1-minute rollups, not raw points: raw points are kept 7 days, so a range older
// than that would list nothing on 2.x and 3 (separate buckets and databases per resolution),
// while every series also has 1-minute points, kept 90 days, from one minute after its first
// raw point. The cost is that a container appears in the list a minute after it starts (its
// panels show it at once with All, which is the default). Without a bound InfluxDB 3 would look
// back only 24 h; the 1-hour rollups would hide a new container for up to an hour. On 1.x the
// series index is per database, so the policy does not narrow the list at all.
import { COLLECTOR_JOB, MEASUREMENT, TAG } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { ident, literal } from './influxql.js';
import { measurementAt, ROLLUP_1M } from './resolution.js';

/** Variables list what the 1-minute rollups hold in the range (see above). */
export function variableSource(measurement: string): string {
  return measurementAt(measurement, ROLLUP_1M);
}

export function hostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.cpu)} WITH KEY = ${ident(TAG.engineHost)} WHERE $timeFilter`,
    proof: { kind: 'variable-hosts' },
  };
}

export function containersQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.cpu)} WITH KEY = ${ident(TAG.containerName)} WHERE ${ident(TAG.engineHost)} =~ /^$host$/ AND $timeFilter`,
    proof: { kind: 'variable-containers', set: 'all' },
  };
}

/** Containers whose Prometheus endpoint the collector scrapes (the kvstore among them). */
export function scrapedContainersQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.prometheus)} WITH KEY = ${ident(TAG.containerName)} WHERE $timeFilter`,
    proof: { kind: 'variable-containers', set: 'kvstore' },
  };
}

export function collectorHostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.prometheus)} WITH KEY = ${ident(TAG.engineHost)} WHERE ${ident(TAG.job)} = ${literal(COLLECTOR_JOB)} AND $timeFilter`,
    proof: { kind: 'variable-hosts' },
  };
}

/** Engine hosts, from the engine's own measurement (written every interval, with or without containers). */
export function engineHostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.engine)} WITH KEY = ${ident(TAG.engineHost)} WHERE $timeFilter`,
    proof: { kind: 'variable-engine-hosts', set: 'all' },
  };
}

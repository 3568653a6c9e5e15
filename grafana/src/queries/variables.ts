// Template variable queries. SHOW TAG VALUES reads the series index, so it is cheap. Each is
// bounded by the dashboard's range ($timeFilter; the variables refresh when it changes): InfluxDB
// 3 otherwise looks back only 24 h, and containers older than that would vanish from the lists.
// 1.x before TSI ignores the bound and lists every value it retains, which is harmless.
import { COLLECTOR_JOB, MEASUREMENT, TAG } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { ident, literal } from './influxql.js';

export function hostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.cpu)} WITH KEY = ${ident(TAG.engineHost)} WHERE $timeFilter`,
    proof: { kind: 'variable-hosts' },
  };
}

export function containersQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.cpu)} WITH KEY = ${ident(TAG.containerName)} WHERE ${ident(TAG.engineHost)} =~ /^$host$/ AND $timeFilter`,
    proof: { kind: 'variable-containers', set: 'all' },
  };
}

/** Containers whose Prometheus endpoint the collector scrapes (the kvstore among them). */
export function scrapedContainersQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.prometheus)} WITH KEY = ${ident(TAG.containerName)} WHERE $timeFilter`,
    proof: { kind: 'variable-containers', set: 'kvstore' },
  };
}

export function collectorHostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.prometheus)} WITH KEY = ${ident(TAG.engineHost)} WHERE ${ident(TAG.job)} = ${literal(COLLECTOR_JOB)} AND $timeFilter`,
    proof: { kind: 'variable-hosts' },
  };
}

/** Engine hosts, from the engine's own measurement (written every interval, with or without containers). */
export function engineHostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.engine)} WITH KEY = ${ident(TAG.engineHost)} WHERE $timeFilter`,
    proof: { kind: 'variable-engine-hosts', set: 'all' },
  };
}

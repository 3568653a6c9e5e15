// Template variable queries. SHOW TAG VALUES reads the series index, so it is cheap and
// lists every container seen while the data is retained.
import { COLLECTOR_JOB, MEASUREMENT, TAG } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { ident, literal } from './influxql.js';

export function hostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.cpu)} WITH KEY = ${ident(TAG.engineHost)}`,
    proof: { kind: 'variable-hosts' },
  };
}

export function containersQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.cpu)} WITH KEY = ${ident(TAG.containerName)} WHERE ${ident(TAG.engineHost)} =~ /^$host$/`,
    proof: { kind: 'variable-containers', set: 'all' },
  };
}

/** Containers whose Prometheus endpoint the collector scrapes (the kvstore among them). */
export function scrapedContainersQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.prometheus)} WITH KEY = ${ident(TAG.containerName)}`,
    proof: { kind: 'variable-containers', set: 'kvstore' },
  };
}

export function collectorHostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${ident(MEASUREMENT.prometheus)} WITH KEY = ${ident(TAG.engineHost)} WHERE ${ident(TAG.job)} = ${literal(COLLECTOR_JOB)}`,
    proof: { kind: 'variable-hosts' },
  };
}

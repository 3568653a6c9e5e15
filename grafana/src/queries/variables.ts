// Template variable queries. SHOW TAG VALUES reads the series index, so it is cheap and
// lists every container seen while the data is retained.
import type { QuerySpec } from '../model/proof.js';

export function hostsQuery(): QuerySpec {
  return {
    query: 'SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "engine_host"',
    proof: { kind: 'variable-hosts' },
  };
}

export function containersQuery(): QuerySpec {
  return {
    query:
      'SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "container_name" WHERE "engine_host" =~ /^$host$/',
    proof: { kind: 'variable-containers', set: 'all' },
  };
}

/** Containers whose Prometheus endpoint the collector scrapes (the kvstore among them). */
export function scrapedContainersQuery(): QuerySpec {
  return {
    query: 'SHOW TAG VALUES FROM "prometheus" WITH KEY = "container_name"',
    proof: { kind: 'variable-containers', set: 'kvstore' },
  };
}

export function collectorHostsQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM "prometheus" WITH KEY = "engine_host" WHERE "job" = 'collector'`,
    proof: { kind: 'variable-hosts' },
  };
}

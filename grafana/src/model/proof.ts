// What each generated query must return on real data. Kept next to the query, stripped from
// the dashboard JSON, and checked by the harness against a real InfluxDB.

/** Named sets of containers the caller of the harness knows about. */
export type ContainerSet =
  | 'all'
  | 'cpuLimited'
  /** Every container of 'all' that is not in 'cpuLimited'. */
  | 'cpuUnlimited'
  | 'pidsLimited'
  /** Every container of 'all' with its own network stack (host-network containers have no net points). */
  | 'networked'
  | 'healthchecked'
  | 'restarted'
  /** Containers that died OOM-killed (a status point with oomkilled=true). */
  | 'oomKilled'
  /** Containers whose `oom_kills` counter rose (a process killed inside a running container). */
  | 'oomKillCounted'
  /** Either of the two above. */
  | 'oomAny'
  | 'unhealthy'
  | 'kvstore'
  /** Containers with docker_disk_usage points (their writable layer and root filesystem sizes). */
  | 'diskUsage'
  /** Containers whose writable layer is above the alert's threshold. */
  | 'largeWritableLayer';

/** Named sets of engine hosts (engine_host, and the `host` tag of the host measurements). */
export type HostSet =
  /** Hosts that write the host measurements (cpu, mem, system, disk) and the engine's (docker, docker_disk_usage). */
  | 'all'
  /** Hosts whose data-root filesystem grows. */
  | 'diskFilling'
  /** Hosts whose data-root filesystem is above the alert's threshold. */
  | 'diskAlmostFull'
  /** Hosts with at least one volume. */
  | 'withVolumes';

/** Named sets of swarm objects (service names, node hostnames and ids, cluster ids). */
export type SwarmSet =
  /** Services in docker_swarm (every mode). */
  | 'services'
  /** Replicated and global services (not jobs): the ones the below-desired rule watches. */
  | 'longRunningServices'
  /** Services with task containers in the range (their com.docker.swarm.service.name). */
  | 'servicesWithTasks'
  /** Node hostnames in docker_swarm_node. */
  | 'nodes'
  /** Manager hostnames in docker_swarm_node (workers have no reachability nor leader field). */
  | 'managers'
  /** Node ids with task containers in the range (their com.docker.swarm.node.id). */
  | 'nodeIdsWithTasks'
  /** Stacks (com.docker.stack.namespace) of the task containers. */
  | 'stacks'
  /** Swarm ids in docker_swarm_cluster. */
  | 'clusters'
  /** Manager hostnames in docker_swarm_manager (managers whose own collector writes). */
  | 'reportingManagers';

export type Proof =
  /** Non-empty series whose `container_name` tags cover the named set (an empty set: the query must only run). */
  | {
      kind: 'containers';
      set: ContainerSet;
      /**
       * The query is scoped by the host dashboard's $host, which lists the engine's `docker`
       * measurement: checked only when the caller expects hosts (a collector without the engine
       * input lists no host to select).
       */
      onlyWithHosts?: boolean;
    }
  /** Non-empty series with numbers; when `groupTag` is set, every series carries that tag. */
  | { kind: 'metric'; source: 'kvstore' | 'collector'; groupTag?: string }
  /**
   * Non-empty series with at least one number (counts and totals that are not per container).
   * With `whenAny`, only when that set is non-empty: a count of events filtered in WHERE
   * matches nothing, in InfluxQL, until such an event happens.
   */
  | { kind: 'values'; whenAny?: ContainerSet }
  /** Only that the query runs: its series may legitimately not exist yet (a labelled counter never incremented). */
  | { kind: 'runs' }
  /** A template variable: its options include every container of the set. */
  | { kind: 'variable-containers'; set: ContainerSet }
  /** A template variable listing hosts: non-empty. */
  | { kind: 'variable-hosts' }
  /** A template variable listing engine hosts: its options include every host of the set. */
  | { kind: 'variable-engine-hosts'; set: HostSet }
  /** Non-empty series whose `tag` (host or engine_host) values cover the named set of hosts. */
  | { kind: 'hosts'; tag: 'host' | 'engine_host'; set: HostSet }
  /** Non-empty series whose `tag` values cover the named swarm set (none expected: the query must only run). */
  | { kind: 'swarm'; tag: string; set: SwarmSet }
  /** A template variable: its options include every member of the swarm set. */
  | { kind: 'variable-swarm'; set: SwarmSet };

/** A query function's result: the InfluxQL, its legend alias and what it must return. */
export interface QuerySpec {
  query: string;
  alias?: string;
  proof: Proof;
}

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
  | 'oomKilled'
  | 'unhealthy'
  | 'kvstore';

export type Proof =
  /** Non-empty series whose `container_name` tags cover the named set (an empty set: the query must only run). */
  | { kind: 'containers'; set: ContainerSet }
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
  | { kind: 'variable-hosts' };

/** A query function's result: the InfluxQL, its legend alias and what it must return. */
export interface QuerySpec {
  query: string;
  alias?: string;
  proof: Proof;
}

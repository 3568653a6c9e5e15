import type { Point } from '../model/point.js';
import { MEASUREMENT, TAG } from '../schema/names.js';

/** The part of /info that says what this engine is in a swarm. */
export interface SwarmInfo {
  /** The engine's host name (engine_host). */
  Name?: string;
  Swarm?: {
    NodeID?: string;
    /** inactive, pending, active, error or locked. */
    LocalNodeState?: string;
    /** True on managers. */
    ControlAvailable?: boolean;
    Cluster?: { ID?: string } | null;
  };
}

/** One entry of GET /nodes. */
export interface SwarmNode {
  ID: string;
  Spec?: { Role?: string; Availability?: string };
  Description?: { Hostname?: string };
  Status?: { State?: string };
  ManagerStatus?: { Leader?: boolean; Reachability?: string } | null;
}

/** One entry of GET /services?status=true (API 1.41+). */
export interface SwarmService {
  ID: string;
  Spec?: {
    Name?: string;
    Mode?: {
      Replicated?: { Replicas?: number };
      Global?: object;
      ReplicatedJob?: { MaxConcurrent?: number; TotalCompletions?: number };
      GlobalJob?: object;
    };
  };
  ServiceStatus?: { RunningTasks?: number; DesiredTasks?: number; CompletedTasks?: number };
}

/**
 * What this engine does at a gather: `inactive` outside a swarm (or joining, locked, failed),
 * `worker` when it cannot answer cluster calls, `manager` when it can (the node listing then
 * says whether it leads).
 */
export type SwarmMembership = 'inactive' | 'worker' | 'manager';

export function swarmMembership(info: SwarmInfo): SwarmMembership {
  if (info.Swarm?.LocalNodeState !== 'active') return 'inactive';
  return info.Swarm.ControlAvailable === true ? 'manager' : 'worker';
}

/**
 * Whether this engine is the swarm's leader, from its own entry in the node listing. Only the
 * leader writes the swarm measurements, so N collectors of one swarm write them once.
 */
export function isSwarmLeader(info: SwarmInfo, nodes: readonly SwarmNode[]): boolean {
  const self = info.Swarm?.NodeID;
  return nodes.some((node) => node.ID === self && node.ManagerStatus?.Leader === true);
}

/** Telegraf's service_mode values; undefined for a mode this collector does not know. */
export function serviceMode(service: SwarmService): string | undefined {
  const mode = service.Spec?.Mode;
  if (mode?.Replicated) return 'replicated';
  if (mode?.Global) return 'global';
  if (mode?.ReplicatedJob) return 'replicated_job';
  if (mode?.GlobalJob) return 'global_job';
  return undefined;
}

const integer = (value: number | undefined): bigint => BigInt(Math.trunc(value ?? 0));

/**
 * docker_swarm: one point per service, from the engine's own task counts (ServiceStatus of
 * /services?status=true), so no task listing is needed. `unknown` lists services skipped
 * because their mode is not one of the four known, or because the engine sent no status.
 */
export function swarmServicePoints(
  services: readonly SwarmService[],
  time: bigint,
): { points: Point[]; unknown: string[] } {
  const points: Point[] = [];
  const unknown: string[] = [];
  for (const service of services) {
    const mode = serviceMode(service);
    const status = service.ServiceStatus;
    if (mode === undefined || status === undefined) {
      unknown.push(service.Spec?.Name ?? service.ID);
      continue;
    }
    const fields: Record<string, bigint> = {
      tasks_running: integer(status.RunningTasks),
      tasks_desired: integer(status.DesiredTasks),
    };
    if (mode === 'replicated_job' || mode === 'global_job') {
      fields.tasks_completed = integer(status.CompletedTasks);
      const job = service.Spec?.Mode?.ReplicatedJob;
      if (job?.MaxConcurrent !== undefined) fields.max_concurrent = integer(job.MaxConcurrent);
      if (job?.TotalCompletions !== undefined) fields.total_completions = integer(job.TotalCompletions);
    }
    const tags: Record<string, string> = { [TAG.serviceId]: service.ID, [TAG.serviceMode]: mode };
    // Line protocol cannot carry an empty tag value.
    if (service.Spec?.Name) tags[TAG.serviceName] = service.Spec.Name;
    points.push({ measurement: MEASUREMENT.swarm, tags, fields, time });
  }
  return { points, unknown };
}

/**
 * docker_swarm_node: one point per node. Role and availability are tags (set by an operator,
 * rarely changed); state, reachability and leadership are fields, so an election or a node
 * going down does not start a new series.
 */
export function swarmNodePoints(
  nodes: readonly SwarmNode[],
  clusterId: string | undefined,
  time: bigint,
): Point[] {
  return nodes.map((node) => {
    const tags: Record<string, string> = {
      [TAG.nodeId]: node.ID,
      [TAG.role]: node.Spec?.Role || 'unknown',
      [TAG.availability]: node.Spec?.Availability || 'unknown',
    };
    if (node.Description?.Hostname) tags[TAG.nodeHostname] = node.Description.Hostname;
    if (clusterId) tags[TAG.clusterId] = clusterId;
    const state = node.Status?.State || 'unknown';
    const fields: Record<string, string | boolean | bigint> = { state, ready: state === 'ready' ? 1n : 0n };
    const manager = node.ManagerStatus;
    if (manager) {
      fields.reachability = manager.Reachability || 'unknown';
      fields.leader = manager.Leader === true;
    }
    return { measurement: MEASUREMENT.swarmNode, tags, fields, time };
  });
}

/**
 * docker_swarm_cluster: the node and manager counts. Quorum is a majority of the managers
 * reachable (Raft). Only a leader writes this point and a leader needs quorum, so quorum is
 * false only while the leader's view of reachability lags; a swarm without quorum has no
 * leader and writes no point at all (alert on the point's absence, and on managers_reachable).
 */
export function swarmClusterPoint(
  nodes: readonly SwarmNode[],
  clusterId: string | undefined,
  time: bigint,
): Point {
  const managers = nodes.filter((node) => node.ManagerStatus);
  const reachable = managers.filter((node) => node.ManagerStatus?.Reachability === 'reachable');
  const tags: Record<string, string> = clusterId ? { [TAG.clusterId]: clusterId } : {};
  return {
    measurement: MEASUREMENT.swarmCluster,
    tags,
    fields: {
      nodes: BigInt(nodes.length),
      nodes_ready: BigInt(nodes.filter((node) => node.Status?.State === 'ready').length),
      managers: BigInt(managers.length),
      managers_reachable: BigInt(reachable.length),
      quorum: reachable.length > managers.length / 2,
    },
    time,
  };
}

/**
 * docker_swarm_manager: one point per manager and gather, from every manager's collector (each
 * writes its own series, so this is no duplicate of the cluster's points). It is the signal left
 * when a swarm loses quorum: there is then no leader, so no cluster point, while the surviving
 * managers still write here that they reach none. The cluster's id is unknown to a manager
 * without a leader (/info gives ""), so the tag is left out then.
 */
export function swarmManagerPoint(
  info: SwarmInfo,
  view: { leaderReachable: boolean; leader: boolean },
  time: bigint,
): Point {
  const tags: Record<string, string> = {};
  if (info.Name) tags[TAG.engineHost] = info.Name;
  const clusterId = info.Swarm?.Cluster?.ID;
  if (clusterId) tags[TAG.clusterId] = clusterId;
  return {
    measurement: MEASUREMENT.swarmManager,
    tags,
    fields: { leader_reachable: view.leaderReachable ? 1n : 0n, leader: view.leader ? 1n : 0n },
    time,
  };
}

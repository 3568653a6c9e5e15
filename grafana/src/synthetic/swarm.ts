// A synthetic Docker Swarm in the collector's schema: what the leader's collector writes
// (docker_swarm, docker_swarm_node, docker_swarm_cluster), each manager's docker_swarm_manager, and the task containers each node's
// collector writes, tagged with Docker's swarm and stack labels. Nodes can go down, a node's
// collector can fall silent while the managers still see the node ready, and managers can
// become unreachable until the swarm loses its leader.
import { MEASUREMENT, TAG } from '@dockwatch/collector';
import { SWARM_LABEL } from '../queries/swarm.js';
import type { SyntheticContainer } from './containers.js';
import { type FieldValue, line } from './line-protocol.js';

export interface SyntheticSwarmNode {
  id: string;
  hostname: string;
  role: 'manager' | 'worker';
  availability: 'active' | 'pause' | 'drain';
  leader?: boolean;
  /** Epoch seconds from which the managers see the node down (its engine and collector stop too). */
  downFrom?: number;
  /** Epoch seconds from which the node's collector writes nothing, the node itself staying ready. */
  collectorSilentFrom?: number;
}

/** One task: a container on a node, alive from `from` (default always) until `until` or its node goes down. */
export interface SyntheticTask {
  node: string;
  from?: number;
  until?: number;
}

export interface SyntheticService {
  id: string;
  name: string;
  mode: 'replicated' | 'global' | 'replicated_job';
  stack?: string;
  /** Replicas (replicated), or the job's completions; a global service wants one task per ready node. */
  desired?: number;
  tasks: SyntheticTask[];
  cpuPercent: number;
  memoryBytes: number;
}

/** Managers unreachable over [from, to): the leader reports no quorum for `reportsFor` seconds, then there is no leader. */
export interface QuorumLoss {
  from: number;
  to: number;
  unreachable: string[];
  reportsFor: number;
}

export interface SyntheticSwarm {
  clusterId: string;
  nodes: SyntheticSwarmNode[];
  services: SyntheticService[];
  quorumLoss?: QuorumLoss;
}

function isDown(node: SyntheticSwarmNode, t: number): boolean {
  return node.downFrom !== undefined && t >= node.downFrom;
}

function nodeByHostname(swarm: SyntheticSwarm, hostname: string): SyntheticSwarmNode {
  const node = swarm.nodes.find((n) => n.hostname === hostname);
  if (!node) throw new Error(`task on unknown node ${hostname}`);
  return node;
}

/** Whether the task's container runs at t (the leader's view). */
export function taskRunning(swarm: SyntheticSwarm, task: SyntheticTask, t: number): boolean {
  return (
    (task.from === undefined || t >= task.from) &&
    (task.until === undefined || t < task.until) &&
    !isDown(nodeByHostname(swarm, task.node), t)
  );
}

/** The task containers, as each node's collector writes them (nothing once its node is down or its collector silent). */
export function swarmContainers(swarm: SyntheticSwarm): SyntheticContainer[] {
  return swarm.services.flatMap((service) =>
    service.tasks.map((task, index): SyntheticContainer => {
      const node = nodeByHostname(swarm, task.node);
      const ends = [task.until, node.downFrom, node.collectorSilentFrom].filter(
        (at): at is number => at !== undefined,
      );
      const taskName = `${service.name}.${index + 1}`;
      return {
        name: `${taskName}.${service.id.slice(0, 6)}${index}`,
        host: node.hostname,
        image: 'busybox:1',
        labels: {
          [SWARM_LABEL.serviceName]: service.name,
          'com.docker.swarm.service.id': service.id,
          'com.docker.swarm.task.name': taskName,
          'com.docker.swarm.task.id': `${service.id.slice(0, 12)}task${index}`,
          [SWARM_LABEL.nodeId]: node.id,
          ...(service.stack ? { [SWARM_LABEL.stack]: service.stack } : {}),
        },
        ...(task.from !== undefined ? { startsAt: task.from } : {}),
        ...(ends.length > 0 ? { silentFrom: Math.min(...ends) } : {}),
        cpuPercent: service.cpuPercent,
        memoryBytes: service.memoryBytes,
      };
    }),
  );
}

function reachable(swarm: SyntheticSwarm, node: SyntheticSwarmNode, t: number): boolean {
  const loss = swarm.quorumLoss;
  const lost =
    loss !== undefined && t >= loss.from && t < loss.to && loss.unreachable.includes(node.hostname);
  return !isDown(node, t) && !lost;
}

/** The leader's points at second t: nothing while the swarm has no leader. */
export function* swarmLeaderPoints(swarm: SyntheticSwarm, t: number): Generator<string> {
  const loss = swarm.quorumLoss;
  if (loss && t >= loss.from + loss.reportsFor && t < loss.to) return;
  const ready = swarm.nodes.filter((n) => !isDown(n, t));
  const managers = swarm.nodes.filter((n) => n.role === 'manager');
  const reachableManagers = managers.filter((n) => reachable(swarm, n, t));
  for (const node of swarm.nodes) {
    const fields: Record<string, FieldValue> = {
      state: isDown(node, t) ? 'down' : 'ready',
      ready: { int: isDown(node, t) ? 0 : 1 },
    };
    if (node.role === 'manager') {
      fields.reachability = reachable(swarm, node, t) ? 'reachable' : 'unreachable';
      fields.leader = node.leader === true;
    }
    yield line(
      MEASUREMENT.swarmNode,
      {
        [TAG.nodeId]: node.id,
        [TAG.nodeHostname]: node.hostname,
        [TAG.role]: node.role,
        [TAG.availability]: node.availability,
        [TAG.clusterId]: swarm.clusterId,
      },
      fields,
      t,
    );
  }
  yield line(
    MEASUREMENT.swarmCluster,
    { [TAG.clusterId]: swarm.clusterId },
    {
      nodes: { int: swarm.nodes.length },
      nodes_ready: { int: ready.length },
      managers: { int: managers.length },
      managers_reachable: { int: reachableManagers.length },
      quorum: 2 * reachableManagers.length > managers.length,
    },
    t,
  );
  const eligible = ready.filter((n) => n.availability === 'active').length;
  for (const service of swarm.services) {
    const running = service.tasks.filter((task) => taskRunning(swarm, task, t)).length;
    const tags = {
      [TAG.serviceId]: service.id,
      [TAG.serviceName]: service.name,
      [TAG.serviceMode]: service.mode,
    };
    if (service.mode === 'replicated_job') {
      const completions = service.desired ?? 1;
      yield line(
        MEASUREMENT.swarm,
        tags,
        {
          tasks_running: { int: 0 },
          tasks_desired: { int: completions },
          tasks_completed: { int: completions },
          max_concurrent: { int: 1 },
          total_completions: { int: completions },
        },
        t,
      );
      continue;
    }
    const desired = service.mode === 'global' ? eligible : (service.desired ?? service.tasks.length);
    yield line(
      MEASUREMENT.swarm,
      tags,
      { tasks_running: { int: running }, tasks_desired: { int: desired } },
      t,
    );
  }
}

/**
 * Each manager's own point at second t (docker_swarm_manager), from every manager whose engine
 * and collector run: it reaches the leader, except while the swarm has none.
 */
export function* swarmManagerPoints(swarm: SyntheticSwarm, t: number): Generator<string> {
  const loss = swarm.quorumLoss;
  const leaderless = loss !== undefined && t >= loss.from + loss.reportsFor && t < loss.to;
  for (const node of swarm.nodes) {
    if (node.role !== 'manager' || isDown(node, t)) continue;
    if (node.collectorSilentFrom !== undefined && t >= node.collectorSilentFrom) continue;
    yield line(
      MEASUREMENT.swarmManager,
      {
        [TAG.engineHost]: node.hostname,
        ...(leaderless ? {} : { [TAG.clusterId]: swarm.clusterId }),
      },
      {
        leader_reachable: { int: leaderless ? 0 : 1 },
        leader: { int: !leaderless && node.leader === true ? 1 : 0 },
      },
      t,
    );
  }
}

/** The leader's and the managers' points over [from, to] every `stepSeconds`. */
export function* swarmLines(
  swarm: SyntheticSwarm,
  { from, to, stepSeconds }: { from: number; to: number; stepSeconds: number },
): Generator<string> {
  for (let t = from; t <= to; t += stepSeconds) {
    yield* swarmLeaderPoints(swarm, t);
    yield* swarmManagerPoints(swarm, t);
  }
}

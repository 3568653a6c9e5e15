// A 3-manager swarm for the Swarm dashboard and rules: a replicated service, a global one, a
// service no node can run (its constraint matches none), a completed job; node swarm-3 goes
// down 8 minutes before the end (its web task is rescheduled onto swarm-1), swarm-2's collector
// falls silent 10 minutes before the end while the managers still see it ready, and from 20 to
// 17 minutes before the end two managers are unreachable: the leader reports no quorum for 30 s,
// then there is no leader. The quiet swarm has none of these.
import {
  quietHost,
  type SyntheticHost,
  type SyntheticService,
  type SyntheticSwarm,
  swarmContainers,
} from '@dockwatch/grafana';
import type { ContainerExpectations } from './grafana-harness.js';

const MiB = 1024 ** 2;

export const SWARM_CLUSTER_ID = 'sj0w2tyyu5wvg7ekgg72896b2';
export const AGENT_MEMORY_BYTES = 50 * MiB;

export interface SwarmTimeline {
  /** swarm-3 is down from here. */
  nodeDownAt: number;
  /** swarm-2's collector writes nothing from here. */
  collectorSilentAt: number;
  quorumLostAt: number;
  quorumBackAt: number;
}

export function swarmTimeline(nowS: number): SwarmTimeline {
  return {
    nodeDownAt: nowS - 8 * 60,
    collectorSilentAt: nowS - 10 * 60,
    quorumLostAt: nowS - 20 * 60,
    quorumBackAt: nowS - 17 * 60,
  };
}

export function syntheticSwarm(nowS: number, incidents: boolean): SyntheticSwarm {
  const at = swarmTimeline(nowS);
  const node = (n: number) => ({
    id: `node${n}aaaaaaaaaaaaaaaaaaaa`,
    hostname: `swarm-${n}`,
    role: 'manager' as const,
    availability: 'active' as const,
  });
  const services: SyntheticService[] = [
    {
      id: 'websvc0000000000000000000',
      name: 'shop_web',
      mode: 'replicated',
      stack: 'shop',
      desired: 3,
      tasks: [
        { node: 'swarm-1' },
        { node: 'swarm-2' },
        { node: 'swarm-3' },
        // swarm-3's task, rescheduled 30 s after its node went down.
        ...(incidents ? [{ node: 'swarm-1', from: at.nodeDownAt + 30 }] : []),
      ],
      cpuPercent: 20,
      memoryBytes: 100 * MiB,
    },
    {
      id: 'agentsvc00000000000000000',
      name: 'shop_agent',
      mode: 'global',
      stack: 'shop',
      tasks: [{ node: 'swarm-1' }, { node: 'swarm-2' }, { node: 'swarm-3' }],
      cpuPercent: 5,
      memoryBytes: AGENT_MEMORY_BYTES,
    },
    {
      id: 'migratesvc000000000000000',
      name: 'migrate',
      mode: 'replicated_job',
      desired: 1,
      tasks: [],
      cpuPercent: 0,
      memoryBytes: 0,
    },
  ];
  if (incidents)
    services.push({
      // placement constraint node.labels.gpu == true: no node has it.
      id: 'pinnedsvc0000000000000000',
      name: 'shop_pinned',
      mode: 'replicated',
      stack: 'shop',
      desired: 2,
      tasks: [],
      cpuPercent: 0,
      memoryBytes: 0,
    });
  return {
    clusterId: SWARM_CLUSTER_ID,
    nodes: [
      { ...node(1), leader: true },
      incidents ? { ...node(2), collectorSilentFrom: at.collectorSilentAt } : node(2),
      incidents ? { ...node(3), downFrom: at.nodeDownAt } : node(3),
    ],
    services,
    ...(incidents
      ? {
          quorumLoss: {
            from: at.quorumLostAt,
            to: at.quorumBackAt,
            unreachable: ['swarm-2', 'swarm-3'],
            reportsFor: 30,
          },
        }
      : {}),
  };
}

/** Each node's engine and host points, stopping with its node or its collector. */
export function swarmHosts(swarm: SyntheticSwarm, nowS: number): SyntheticHost[] {
  return swarm.nodes.map((node) => {
    const ends = [node.downFrom, node.collectorSilentFrom].filter((at): at is number => at !== undefined);
    return {
      ...quietHost(node.hostname, nowS),
      ...(ends.length > 0 ? { silentFrom: Math.min(...ends) } : {}),
    };
  });
}

export function swarmExpectations(swarm: SyntheticSwarm): ContainerExpectations {
  // The harness asks every container and host of these for data in each alert's window too,
  // which ends now: the ones still written at the end (the swarm sets cover the silent nodes).
  const containers = swarmContainers(swarm).filter((c) => c.silentFrom === undefined);
  return {
    all: containers.map((c) => c.name),
    diskUsage: containers.map((c) => c.name),
    hosts: {
      all: swarm.nodes
        .filter((n) => n.downFrom === undefined && n.collectorSilentFrom === undefined)
        .map((n) => n.hostname),
    },
    swarm: {
      services: swarm.services.map((s) => s.name),
      longRunningServices: swarm.services.filter((s) => s.mode !== 'replicated_job').map((s) => s.name),
      servicesWithTasks: swarm.services.filter((s) => s.tasks.length > 0).map((s) => s.name),
      nodes: swarm.nodes.map((n) => n.hostname),
      managers: swarm.nodes.filter((n) => n.role === 'manager').map((n) => n.hostname),
      nodeIdsWithTasks: swarm.nodes.map((n) => n.id),
      stacks: ['shop'],
      clusters: [swarm.clusterId],
      reportingManagers: swarm.nodes
        .filter(
          (n) => n.role === 'manager' && n.downFrom === undefined && n.collectorSilentFrom === undefined,
        )
        .map((n) => n.hostname),
    },
  };
}

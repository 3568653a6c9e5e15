// 6. Swarm: services (running vs desired tasks, and their tasks' CPU, memory and network summed
// across nodes), nodes (state, role, availability, reachability, leader, tasks per node) and
// the cluster's counts. The leader's collector writes the swarm measurements; every node's
// collector writes its own task containers.
import { assembleDashboard, type DashboardBuild } from '../build/dashboard.js';
import { row, stateTimeline, timeseries } from '../build/panels.js';
import type { ValueMapping } from '../model/dashboard.js';
import * as swarm from '../queries/swarm.js';
import { DASHBOARD_TAG, DASHBOARD_UIDS } from '../settings.js';

const tasks = swarm.SWARM_TASK_SCOPE;

const NODE_STATE_MAPPINGS: ValueMapping[] = [
  {
    type: 'value',
    options: {
      ready: { text: 'ready', color: 'green', index: 0 },
      down: { text: 'down', color: 'red', index: 1 },
      disconnected: { text: 'disconnected', color: 'orange', index: 2 },
      unknown: { text: 'unknown', color: 'yellow', index: 3 },
    },
  },
];

const REACHABILITY_MAPPINGS: ValueMapping[] = [
  {
    type: 'value',
    options: {
      reachable: { text: 'reachable', color: 'green', index: 0 },
      unreachable: { text: 'unreachable', color: 'red', index: 1 },
      unknown: { text: 'unknown', color: 'yellow', index: 2 },
    },
  },
];

const LEADER_MAPPINGS: ValueMapping[] = [
  {
    type: 'value',
    options: {
      true: { text: 'leader', color: 'blue', index: 0 },
      false: { text: 'follower', color: 'transparent', index: 1 },
    },
  },
];

export function swarmDashboard(): DashboardBuild {
  return assembleDashboard({
    uid: DASHBOARD_UIDS.swarm,
    title: 'Swarm',
    description:
      "Docker Swarm: each service's running and desired tasks and its tasks' resources summed over every node; each node's state, role, availability and tasks; the managers' reachability, the leader and the quorum.",
    tags: [DASHBOARD_TAG, 'docker', 'swarm'],
    variables: [
      { name: 'service', label: 'Service', spec: swarm.swarmServicesQuery(), multi: true, allValue: '.*' },
      { name: 'stack', label: 'Stack', spec: swarm.swarmStacksQuery(), multi: true, allValue: '.*' },
    ],
    items: [
      row('Services'),
      timeseries({
        title: 'Tasks running and desired',
        description: `Per service, tasks running and the tasks the orchestrator wants (replicas, eligible nodes of a global service, a job's current iteration), as the swarm leader counts them. The alert "Swarm service below its desired tasks" fires when a replicated or global service runs fewer for 2 minutes. $stack does not apply (the leader's counts carry no stack).`,
        unit: 'short',
        min: 0,
        width: 24,
        targets: [swarm.serviceTasks(swarm.SWARM_SERVICE_SCOPE)],
      }),
      timeseries({
        title: 'CPU per service',
        description:
          "docker stats CPU % of the service's tasks on every node, summed (100 = one core): each container's mean per interval, then the sum per service.",
        unit: 'percent',
        min: 0,
        targets: [swarm.serviceCpu(tasks)],
      }),
      timeseries({
        title: 'Memory per service',
        description: "docker stats MEM USAGE of the service's tasks on every node, summed per interval.",
        unit: 'bytes',
        min: 0,
        targets: [swarm.serviceMemory(tasks)],
      }),
      timeseries({
        title: 'Network received per service',
        description: "Bytes per second the service's tasks received, summed over tasks and nodes.",
        unit: 'Bps',
        min: 0,
        targets: [swarm.serviceNetworkReceived(tasks)],
      }),
      timeseries({
        title: 'Network sent per service',
        description: "Bytes per second the service's tasks sent, summed over tasks and nodes.",
        unit: 'Bps',
        min: 0,
        targets: [swarm.serviceNetworkSent(tasks)],
      }),
      row('Nodes'),
      timeseries({
        title: 'Tasks per node',
        description:
          "Running task containers of the selected services per node, from each node's own collector: a node whose collector is silent drops to no line while the leader still counts its tasks.",
        unit: 'short',
        min: 0,
        targets: [swarm.tasksPerNode(tasks)],
      }),
      timeseries({
        title: 'Nodes and managers',
        description:
          'Nodes, nodes ready, managers and managers reachable, as the leader sees them. No line means no leader (no quorum) or no collector on it.',
        unit: 'short',
        min: 0,
        targets: [swarm.clusterCounts()],
      }),
      stateTimeline({
        title: 'Node state',
        description:
          'Each node (hostname, role, availability) as the managers see it: ready, down, disconnected or unknown. A change of role or availability starts a new row.',
        mappings: NODE_STATE_MAPPINGS,
        targets: [swarm.nodeState()],
      }),
      stateTimeline({
        title: 'Manager reachability',
        description: 'Each manager as the leader reaches it. Raft needs a majority of managers reachable.',
        mappings: REACHABILITY_MAPPINGS,
        width: 12,
        targets: [swarm.managerReachability()],
      }),
      stateTimeline({
        title: 'Leader',
        description:
          'The manager that is the Raft leader, and whose collector writes the swarm measurements.',
        mappings: LEADER_MAPPINGS,
        width: 12,
        targets: [swarm.managerLeader()],
      }),
    ],
  });
}

// Docker Swarm: the leader's view (docker_swarm, docker_swarm_node, docker_swarm_cluster,
// written by the leader's collector only) and the task containers every node's collector
// writes, tagged with their swarm labels.
import { MEASUREMENT, TAG, TOTAL } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { groupByInterval, ident, literal, ratePerSecond, where } from './influxql.js';
import { variableSource } from './variables.js';

/** Docker's swarm labels on task containers, tags on every container point (collector Container tags). */
export const SWARM_LABEL = {
  serviceName: 'com.docker.swarm.service.name',
  nodeId: 'com.docker.swarm.node.id',
  stack: 'com.docker.stack.namespace',
} as const;

/** Service modes whose tasks should keep running; jobs complete and are left out of "below desired". */
export const LONG_RUNNING_MODES = ['replicated', 'global'] as const;

/** Grafana's bracket alias form: `$tag_x` stops at the first dot of `com.docker...`. */
function tagAlias(tag: string): string {
  return `[[tag_${tag}]]`;
}

const SERVICE_LEGEND = tagAlias(SWARM_LABEL.serviceName);
const BY_SERVICE = groupByInterval(SWARM_LABEL.serviceName);

/** Task containers of the selected services and stacks. */
export const SWARM_TASK_SCOPE = `${ident(SWARM_LABEL.serviceName)} != '' AND ${ident(SWARM_LABEL.serviceName)} =~ /^$service$/ AND ${ident(SWARM_LABEL.stack)} =~ /^$stack$/`;

/** docker_swarm of the selected services. */
export const SWARM_SERVICE_SCOPE = `${ident(TAG.serviceName)} =~ /^$service$/`;

/** Alert queries: every service of a long-running mode. */
export const LONG_RUNNING_SERVICES = `${ident(TAG.serviceMode)} =~ /^(${LONG_RUNNING_MODES.join('|')})$/`;

export function swarmServicesQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.swarm)} WITH KEY = ${ident(TAG.serviceName)} WHERE $timeFilter`,
    proof: { kind: 'variable-swarm', set: 'services' },
  };
}

export function swarmStacksQuery(): QuerySpec {
  return {
    query: `SHOW TAG VALUES FROM ${variableSource(MEASUREMENT.cpu)} WITH KEY = ${ident(SWARM_LABEL.stack)} WHERE $timeFilter`,
    proof: { kind: 'variable-swarm', set: 'stacks' },
  };
}

/** Running and desired tasks per service, as the leader counts them. */
export function serviceTasks(scope: string): QuerySpec {
  return {
    query: `SELECT last("tasks_running") AS "running", last("tasks_desired") AS "desired" FROM ${ident(MEASUREMENT.swarm)} ${where(scope)} ${groupByInterval(TAG.serviceName)} fill(none)`,
    alias: `$tag_${TAG.serviceName} $col`,
    proof: { kind: 'swarm', tag: TAG.serviceName, set: 'services' },
  };
}

/** Tasks the service lacks (desired - running), long-running services only: the alert's query. */
export function serviceTasksMissing(scope: string): QuerySpec {
  return {
    query: `SELECT last("tasks_desired") - last("tasks_running") FROM ${ident(MEASUREMENT.swarm)} ${where(scope)} ${groupByInterval(TAG.serviceName)} fill(none)`,
    alias: `$tag_${TAG.serviceName}`,
    proof: { kind: 'swarm', tag: TAG.serviceName, set: 'longRunningServices' },
  };
}

/**
 * A per-container aggregate summed per service: each container's value per interval first
 * (inner), then their sum per interval (outer), so a service's line is the total of its tasks
 * on every node, whatever number of samples each container had in the interval.
 */
function sumPerService(perContainer: string, measurement: string, filter: string[], scope: string): string {
  const inner = `SELECT ${perContainer} FROM ${ident(measurement)} ${where(...filter, scope)} GROUP BY time($__interval), *`;
  return `SELECT sum("value") FROM (${inner}) ${where()} ${BY_SERVICE} fill(none)`;
}

export function serviceCpu(scope: string): QuerySpec {
  return {
    query: sumPerService(
      `mean("usage_percent") AS "value"`,
      MEASUREMENT.cpu,
      [`${ident(TAG.cpu)} = ${literal(TOTAL.cpu)}`],
      scope,
    ),
    alias: SERVICE_LEGEND,
    proof: { kind: 'swarm', tag: SWARM_LABEL.serviceName, set: 'servicesWithTasks' },
  };
}

export function serviceMemory(scope: string): QuerySpec {
  return {
    query: sumPerService(`mean("usage") AS "value"`, MEASUREMENT.memory, [], scope),
    alias: SERVICE_LEGEND,
    proof: { kind: 'swarm', tag: SWARM_LABEL.serviceName, set: 'servicesWithTasks' },
  };
}

function serviceNetwork(field: 'rx_bytes' | 'tx_bytes', scope: string): QuerySpec {
  return {
    query: sumPerService(
      `${ratePerSecond(field)} AS "value"`,
      MEASUREMENT.network,
      [`${ident(TAG.network)} = ${literal(TOTAL.network)}`],
      scope,
    ),
    alias: SERVICE_LEGEND,
    proof: { kind: 'swarm', tag: SWARM_LABEL.serviceName, set: 'servicesWithTasks' },
  };
}

export function serviceNetworkReceived(scope: string): QuerySpec {
  return serviceNetwork('rx_bytes', scope);
}

export function serviceNetworkSent(scope: string): QuerySpec {
  return serviceNetwork('tx_bytes', scope);
}

/**
 * Running task containers per node in each interval: one row per container that wrote a
 * memory point while running (inner), counted per node (outer). From the containers' own
 * points, so a node whose collector is silent shows no tasks even when the leader counts some.
 */
export function tasksPerNode(scope: string): QuerySpec {
  const inner = `SELECT last("usage") AS "up" FROM ${ident(MEASUREMENT.memory)} ${where(`${ident(TAG.containerStatus)} = 'running'`, scope)} GROUP BY time($__interval), ${ident(TAG.engineHost)}, ${ident(TAG.containerName)}, ${ident(SWARM_LABEL.nodeId)}`;
  return {
    query: `SELECT count("up") FROM (${inner}) ${where()} ${groupByInterval(TAG.engineHost, SWARM_LABEL.nodeId)} fill(none)`,
    alias: `$tag_${TAG.engineHost} ${tagAlias(SWARM_LABEL.nodeId)}`,
    proof: { kind: 'swarm', tag: SWARM_LABEL.nodeId, set: 'nodeIdsWithTasks' },
  };
}

const NODE_TAGS = [TAG.nodeHostname, TAG.role, TAG.availability] as const;
const NODE_LEGEND = `$tag_${TAG.nodeHostname} ($tag_${TAG.role}, $tag_${TAG.availability})`;

/** Each node's state (ready, down, disconnected, unknown) over time. */
export function nodeState(): QuerySpec {
  return {
    query: `SELECT last("state") AS "state" FROM ${ident(MEASUREMENT.swarmNode)} ${where()} ${groupByInterval(...NODE_TAGS)} fill(none)`,
    alias: NODE_LEGEND,
    proof: { kind: 'swarm', tag: TAG.nodeHostname, set: 'nodes' },
  };
}

/** Managers' reachability over time (workers have none). */
export function managerReachability(): QuerySpec {
  return {
    query: `SELECT last("reachability") AS "reachability" FROM ${ident(MEASUREMENT.swarmNode)} ${where(`${ident(TAG.role)} = 'manager'`)} ${groupByInterval(TAG.nodeHostname)} fill(none)`,
    alias: `$tag_${TAG.nodeHostname}`,
    proof: { kind: 'swarm', tag: TAG.nodeHostname, set: 'managers' },
  };
}

/** The Raft leader over time: 1 on the manager that leads. */
export function managerLeader(): QuerySpec {
  return {
    query: `SELECT last("leader") AS "leader" FROM ${ident(MEASUREMENT.swarmNode)} ${where(`${ident(TAG.role)} = 'manager'`)} ${groupByInterval(TAG.nodeHostname)} fill(none)`,
    alias: `$tag_${TAG.nodeHostname}`,
    proof: { kind: 'swarm', tag: TAG.nodeHostname, set: 'managers' },
  };
}

/** Node and manager counts as the leader sees them. */
export function clusterCounts(): QuerySpec {
  return {
    query: `SELECT last("nodes") AS "nodes", last("nodes_ready") AS "nodes ready", last("managers") AS "managers", last("managers_reachable") AS "managers reachable" FROM ${ident(MEASUREMENT.swarmCluster)} ${where()} ${groupByInterval(TAG.clusterId)} fill(none)`,
    alias: '$col',
    proof: { kind: 'swarm', tag: TAG.clusterId, set: 'clusters' },
  };
}

/** Whether each node is ready (1) or not (0): the node-down alert's query. */
export function nodeReady(): QuerySpec {
  return {
    query: `SELECT last("ready") FROM ${ident(MEASUREMENT.swarmNode)} ${where()} ${groupByInterval(TAG.nodeHostname, TAG.nodeId)} fill(none)`,
    alias: `$tag_${TAG.nodeHostname}`,
    proof: { kind: 'swarm', tag: TAG.nodeHostname, set: 'nodes' },
  };
}

/**
 * Reachable managers above half of all managers: Raft has quorum while this is above 0 and
 * survives losing one more manager only while it is above 1 (2 of 3: 0.5; 3 of 3: 1.5; 4 of 5: 1.5).
 */
export function quorumMargin(): QuerySpec {
  return {
    query: `SELECT last("managers_reachable") - last("managers") / 2 FROM ${ident(MEASUREMENT.swarmCluster)} ${where()} ${groupByInterval(TAG.clusterId)} fill(none)`,
    alias: `$tag_${TAG.clusterId}`,
    proof: { kind: 'swarm', tag: TAG.clusterId, set: 'clusters' },
  };
}

/** Nodes the leader counts as ready, at its latest point of the window (one number). */
export function readyNodeCount(): QuerySpec {
  return {
    query: `SELECT last("nodes_ready") FROM ${ident(MEASUREMENT.swarmCluster)} ${where()}`,
    proof: { kind: 'swarm', tag: '', set: 'clusters' },
  };
}

/**
 * Engines whose collector wrote the engine's `docker` point in the window (one number): every
 * collector writes it each interval, with or without containers.
 */
export function reportingEngineCount(): QuerySpec {
  const inner = `SELECT last("n_containers") AS "reporting" FROM ${ident(MEASUREMENT.engine)} ${where()} GROUP BY ${ident(TAG.engineHost)}`;
  return {
    query: `SELECT count("reporting") FROM (${inner}) ${where()}`,
    proof: { kind: 'swarm', tag: '', set: 'clusters' },
  };
}

/**
 * Each manager's own view: 1 while it reaches a Raft leader, 0 while it reaches none (an
 * election, or the quorum lost). Written by every manager, so it outlives the leader's points.
 */
export function managerReachesLeader(): QuerySpec {
  return {
    query: `SELECT last("leader_reachable") FROM ${ident(MEASUREMENT.swarmManager)} ${where()} ${groupByInterval(TAG.engineHost)} fill(none)`,
    alias: `$tag_${TAG.engineHost}`,
    proof: { kind: 'swarm', tag: TAG.engineHost, set: 'reportingManagers' },
  };
}

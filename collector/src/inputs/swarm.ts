import {
  isSwarmLeader,
  type SwarmInfo,
  type SwarmMembership,
  swarmClusterPoint,
  swarmManagerPoint,
  swarmMembership,
  type SwarmNode,
  swarmNodePoints,
  type SwarmService,
  swarmServicePoints,
} from '../derive/swarm.js';
import type { Accumulator } from '../model/accumulator.js';
import { nowNs } from '../model/time.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/** What this collector's engine was at the last gather, for logging changes once. */
type Role = SwarmMembership | 'leader';

/**
 * docker_swarm, docker_swarm_node and docker_swarm_cluster, written by the collector of the
 * swarm's leader only: every node runs a collector, and the cluster's state must be written
 * once. Every manager also writes its own docker_swarm_manager point (does it reach a leader). Each gather asks /info what this engine is; a worker or an engine outside a swarm
 * stops there, a manager lists the nodes (its own entry says whether it leads), and the
 * leader also lists the services with their task counts (/services?status=true, API 1.41).
 */
export class SwarmInput implements Input {
  readonly name = 'swarm';
  private role: Role | undefined;

  constructor(private readonly context: InputContext) {}

  async gather(acc: Accumulator): Promise<void> {
    const { docker, config } = this.context;
    // The gather's start, not the answers' arrival: the loop keeps the starts one interval
    // apart, while the calls' latency varies (a loaded manager, an election).
    const time = nowNs();
    // A manager's cluster calls hang while the managers elect a leader (about 10 s); the
    // collector waits for every input, so they must not hold up the containers' gather.
    const timeoutMs = Math.min(config.statsTimeoutMs, config.intervalMs);
    const signal = () => AbortSignal.timeout(timeoutMs);
    // The gather's shared GET /info (the engine input reads it too).
    const info = (await this.context.engineInfo()) as SwarmInfo;
    const membership = swarmMembership(info);
    if (membership !== 'manager') {
      this.note(membership);
      return;
    }
    let nodes: SwarmNode[];
    try {
      // Answered through the leader: success says this manager reaches one.
      nodes = (await docker.listNodes({ abortSignal: signal() })) as SwarmNode[];
    } catch (error) {
      // 503: demoted to a worker since /info, no manager view to write. Otherwise (500 "no
      // leader", or no answer during an election) this manager reaches no leader.
      if ((error as { statusCode?: number }).statusCode !== 503) {
        acc.add(swarmManagerPoint(info, { leaderReachable: false, leader: false }, time));
      }
      this.unavailable(acc, error, 'node listing failed');
      return;
    }
    const leader = isSwarmLeader(info, nodes);
    acc.add(swarmManagerPoint(info, { leaderReachable: true, leader }, time));
    if (!leader) {
      this.note('manager');
      return;
    }
    let services: SwarmService[];
    try {
      services = (await docker.listServices({
        status: true,
        abortSignal: signal(),
      } as object)) as SwarmService[];
    } catch (error) {
      this.unavailable(acc, error, 'service listing failed');
      return;
    }
    this.note('leader');
    const clusterId = info.Swarm?.Cluster?.ID || undefined;
    const { points, unknown } = swarmServicePoints(services, time);
    for (const point of points) acc.add(point);
    for (const point of swarmNodePoints(nodes, clusterId, time)) acc.add(point);
    acc.add(swarmClusterPoint(nodes, clusterId, time));
    if (unknown.length > 0) {
      acc.addError({
        reason: 'unknown_service_mode',
        message: 'services without a known mode or task status skipped',
        detail: { services: unknown.slice(0, 5), count: unknown.length },
      });
    }
  }

  /**
   * 503 is a worker's answer (demoted between two calls): part of normal life, so counted at
   * debug level. A manager without a leader (no quorum) answers 500 after a while, and a
   * manager hangs during an election: those are warnings.
   */
  private unavailable(acc: Accumulator, error: unknown, message: string): void {
    const status = (error as { statusCode?: number }).statusCode;
    const timedOut = (error as { name?: string }).name === 'TimeoutError';
    acc.addError({
      reason: status ? `http_${status}` : timedOut ? 'timeout' : 'other',
      message,
      error,
      level: status === 503 ? 'debug' : 'warn',
    });
  }

  /** Logs when this collector starts or stops writing the swarm's measurements. */
  private note(role: Role): void {
    if (role === this.role) return;
    const { logger } = this.context;
    if (role === 'leader') logger.info('this engine leads the swarm: writing the swarm measurements');
    else if (this.role === 'leader') logger.info({ role }, 'this engine no longer leads the swarm');
    else logger.debug({ role }, 'swarm measurements are written by the leader, not this engine');
    this.role = role;
  }
}

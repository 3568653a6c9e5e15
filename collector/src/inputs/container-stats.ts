import { statusPoint } from '../derive/index.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Point } from '../model/point.js';
import { nowNs } from '../model/time.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/** The stats input's name: its errors are collector_stats_errors_total. */
export const STATS_INPUT = 'docker';

/**
 * docker_container_cpu, _mem, _net, _blkio, _pids, _status and _health of every followed
 * container, from the stats source; plus one last status point (exit code, OOM flag) of each
 * container that stopped since the previous gather.
 */
export class ContainerStatsInput implements Input {
  readonly name = STATS_INPUT;
  /** Status points of containers that stopped, stamped when they stopped. */
  private readonly stopped: Point[] = [];

  constructor(private readonly context: InputContext) {
    const labelTags = context.config.labelTags;
    context.tracker.subscribe({
      stopped: (inspect) => this.stopped.push(statusPoint(inspect, context.engine(), labelTags, nowNs())),
      removed: (id) => context.stats.evict(id),
      oom: (id) => context.stats.oomKilled(id),
    });
  }

  async gather(acc: Accumulator): Promise<void> {
    for (const point of this.stopped.splice(0)) acc.add(point);
    await this.context.stats.gatherContainers(this.context.tracker.all(), acc);
  }
}

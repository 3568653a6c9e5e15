import { type DiskUsage, diskUsagePoints } from '../derive/disk-usage.js';
import { ContainerFilter } from '../discovery/container-filter.js';
import type { Accumulator, InputError } from '../model/accumulator.js';
import type { Point } from '../model/point.js';
import { nowNs } from '../model/time.js';
import { engineCallReason, isObject, readEngine } from './engine-call.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/** A sweep's outcome, held until the next gather hands it over. */
type SweepOutcome = { points: Point[] } | { error: InputError };

/**
 * Telegraf's `docker_disk_usage`, from GET /system/df every DISK_USAGE_INTERVAL. The engine
 * walks every writable layer and volume to answer (seconds at 100 containers), so a sweep runs
 * in the background: the gather that finds one due starts it and returns at once, and the
 * first gather after it ends adds its points, stamped when the answer arrived. One sweep at a
 * time; one that outlasts the interval is aborted.
 */
export class DiskUsageInput implements Input {
  readonly name = 'docker_disk_usage';
  private readonly containers: ContainerFilter;
  private readonly closing = new AbortController();
  private sweeping = false;
  private lastSweepAt: number | undefined;
  private outcome: SweepOutcome | undefined;

  private readonly intervalMs: number;

  /** Only when DISK_USAGE_INTERVAL is set (undefined turns the input off). */
  constructor(private readonly context: InputContext) {
    if (context.config.diskUsageIntervalMs === undefined) throw new Error('DISK_USAGE_INTERVAL is off');
    this.intervalMs = context.config.diskUsageIntervalMs;
    this.containers = new ContainerFilter(context.config.filter);
  }

  gather(acc: Accumulator): Promise<void> {
    const outcome = this.outcome;
    this.outcome = undefined;
    if (outcome !== undefined) {
      if ('error' in outcome) acc.addError(outcome.error);
      else for (const point of outcome.points) acc.add(point);
    }
    if (!this.sweeping && this.due()) this.sweep();
    return Promise.resolve();
  }

  close(): void {
    this.closing.abort();
  }

  /** The first gather sweeps; then one every interval (half a gather early rather than one late). */
  private due(): boolean {
    if (this.lastSweepAt === undefined) return true;
    return Date.now() - this.lastSweepAt >= this.intervalMs - this.context.config.intervalMs / 2;
  }

  private sweep(): void {
    this.sweeping = true;
    this.lastSweepAt = Date.now();
    const signal = AbortSignal.any([this.closing.signal, AbortSignal.timeout(this.intervalMs)]);
    readEngine(this.context.docker, 'df', signal)
      .then(
        (answer) => {
          this.outcome = this.derive(answer, nowNs());
        },
        (error: unknown) => {
          if (this.closing.signal.aborted) return;
          this.outcome = {
            error: { reason: engineCallReason(error), message: 'GET /system/df failed', error },
          };
        },
      )
      .finally(() => {
        this.sweeping = false;
      });
  }

  private derive(answer: unknown, time: bigint): SweepOutcome {
    if (!isObject(answer)) {
      return { error: { reason: 'malformed', message: 'GET /system/df answered no object' } };
    }
    try {
      return { points: diskUsagePoints(answer as DiskUsage, this.context.engine(), time, this.containers) };
    } catch (error) {
      return { error: { reason: 'malformed', message: 'GET /system/df answer not understood', error } };
    }
  }
}

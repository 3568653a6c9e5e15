import type Docker from 'dockerode';
import pLimit, { type LimitFunction } from 'p-limit';
import type { EngineStats } from '../derive/engine-stats.js';
import type { DeriveOptions, EngineInfo } from '../derive/input.js';
import type { ContainerTracker, TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import { emitSample, type StatsSource } from './stats-source.js';

export interface DockerSourceSettings {
  statsTimeoutMs: number;
  statsConcurrency: number;
  derive: DeriveOptions;
}

/** A sample of a container that is not running carries no cpu_stats and a zero `read`. */
function isStoppedSample(stats: EngineStats): boolean {
  return !stats.cpu_stats || !stats.read || stats.read.startsWith('0001-01-01');
}

function errorReason(error: unknown): string {
  const e = error as { name?: string; code?: string; statusCode?: number };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  if (e.statusCode) return `http_${e.statusCode}`;
  return e.code ?? 'other';
}

/**
 * The API path: samples every followed container once per gather with one-shot stats calls,
 * keeping its own previous sample per container for the deltas. One failing container never
 * stops a gather; a stopped one is a gap, never zeros.
 */
export class DockerSource implements StatsSource {
  readonly name = 'api';
  private readonly limit: LimitFunction;

  constructor(
    private readonly docker: Docker,
    private readonly tracker: ContainerTracker,
    private readonly engine: () => EngineInfo,
    private readonly settings: DockerSourceSettings,
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
  ) {
    this.limit = pLimit(settings.statsConcurrency);
  }

  async gatherContainers(containers: readonly TrackedContainer[], acc: Accumulator): Promise<void> {
    await Promise.all(containers.map((container) => this.limit(() => this.sample(container, acc))));
  }

  /**
   * One one-shot stats call: the sample, `stopped` when the container is not running, or
   * `failed` (counted in collector_stats_errors_total). Also used by the self-check.
   */
  async fetch(container: TrackedContainer): Promise<EngineStats | 'stopped' | 'failed'> {
    let stats: EngineStats;
    try {
      stats = await this.docker.getContainer(container.id).stats({
        stream: false,
        'one-shot': true,
        abortSignal: AbortSignal.timeout(this.settings.statsTimeoutMs),
      } as { stream: false; 'one-shot': true });
    } catch (error) {
      const reason = errorReason(error);
      this.metrics.statsErrors.inc({ reason });
      if (reason === 'http_404') {
        this.tracker.forget(container.id);
      } else {
        this.logger.warn({ err: error, container: container.id, reason }, 'stats call failed');
      }
      return 'failed';
    }
    return isStoppedSample(stats) ? 'stopped' : stats;
  }

  private async sample(container: TrackedContainer, acc: Accumulator): Promise<void> {
    const stats = await this.fetch(container);
    // The container may have been forgotten (died) while the call was in flight.
    if (this.tracker.get(container.id) !== container) return;
    if (stats === 'failed') return;
    if (stats === 'stopped') {
      container.previous = undefined;
      return;
    }
    emitSample(container, stats, this.engine(), this.settings.derive, acc, this.metrics, this.logger);
  }
}

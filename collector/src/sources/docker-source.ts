import type Docker from 'dockerode';
import pLimit, { type LimitFunction } from 'p-limit';
import { deriveContainerPoints, healthPoint, parseTimestampNs, statusPoint } from '../derive/index.js';
import type { DeriveOptions, EngineInfo } from '../derive/input.js';
import type { ContainerTracker, TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';

export interface DockerSourceSettings {
  statsTimeoutMs: number;
  statsConcurrency: number;
  derive: DeriveOptions;
}

/** A sample of a container that is not running carries no cpu_stats and a zero `read`. */
function isStoppedSample(stats: Docker.ContainerStats): boolean {
  return !stats.cpu_stats || !stats.read || stats.read.startsWith('0001-01-01');
}

function errorReason(error: unknown): string {
  const e = error as { name?: string; code?: string; statusCode?: number };
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return 'timeout';
  if (e.statusCode) return `http_${e.statusCode}`;
  return e.code ?? 'other';
}

/**
 * Samples every followed container once per gather with one-shot stats calls, keeping its
 * own previous sample per container for the deltas. One failing container never stops a
 * gather; a stopped one is a gap, never zeros.
 */
export class DockerSource {
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

  async gather(acc: Accumulator): Promise<void> {
    await Promise.all(this.tracker.all().map((container) => this.limit(() => this.sample(container, acc))));
  }

  private async sample(container: TrackedContainer, acc: Accumulator): Promise<void> {
    let stats: Docker.ContainerStats;
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
      return;
    }
    // The container may have been forgotten (died) while the call was in flight.
    if (this.tracker.get(container.id) !== container) return;
    if (isStoppedSample(stats)) {
      container.previous = undefined;
      return;
    }
    try {
      const engine = this.engine();
      const { inspect } = container;
      const points = deriveContainerPoints({
        engine,
        inspect,
        previous: container.previous,
        current: stats,
        options: this.settings.derive,
      });
      const time = parseTimestampNs(stats.read);
      points.push(statusPoint(inspect, engine, this.settings.derive.labelAllowlist, time));
      const health = healthPoint(inspect, engine, this.settings.derive.labelAllowlist, time);
      if (health) points.push(health);
      for (const point of points) acc.add(point);
      container.previous = stats;
    } catch (error) {
      // A malformed sample must not cost the other containers their points.
      this.metrics.statsErrors.inc({ reason: 'derive' });
      this.logger.error({ err: error, container: container.id }, 'could not derive points from a sample');
    }
  }
}

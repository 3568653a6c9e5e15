import { deriveContainerPoints, healthPoint, parseTimestampNs, statusPoint } from '../derive/index.js';
import type { EngineStats } from '../derive/engine-stats.js';
import type { DeriveOptions, EngineInfo } from '../derive/input.js';
import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';

/** Where per-container stats come from: the Engine's stats API, or the cgroup tree and /proc. */
export type StatsSourceName = 'api' | 'cgroupfs';

/** A source of per-container stats points; every implementation emits the same points. */
export interface StatsSource {
  readonly name: StatsSourceName;
  /** Samples the given containers into `acc`. Never throws for a single container. */
  gatherContainers(containers: readonly TrackedContainer[], acc: Accumulator): Promise<void>;
}

/**
 * Derives one container's points from a sample (whichever path produced it), adds them with
 * its status and health points, and keeps the sample as the next baseline. A sample that
 * cannot be derived is counted and logged for this container only: a malformed sample must
 * not cost the other containers their points.
 * (The derivations read only `cpu_stats`, `id` and `read` of the previous sample.)
 */
export function emitSample(
  container: TrackedContainer,
  stats: EngineStats,
  engine: EngineInfo,
  options: DeriveOptions,
  acc: Accumulator,
  metrics: SelfMetrics,
  logger: Logger,
): void {
  try {
    deriveAndAdd(container, stats, engine, options, acc);
  } catch (error) {
    metrics.statsErrors.inc({ reason: 'derive' });
    logger.error({ err: error, container: container.id }, 'could not derive points from a sample');
  }
}

function deriveAndAdd(
  container: TrackedContainer,
  stats: EngineStats,
  engine: EngineInfo,
  options: DeriveOptions,
  acc: Accumulator,
): void {
  const { inspect } = container;
  const points = deriveContainerPoints({
    engine,
    inspect,
    previous: container.previous,
    current: stats,
    options,
  });
  const time = parseTimestampNs(stats.read ?? '');
  points.push(statusPoint(inspect, engine, options.labelAllowlist, time));
  const health = healthPoint(inspect, engine, options.labelAllowlist, time);
  if (health) points.push(health);
  for (const point of points) acc.add(point);
  // Only CPU % compares with the previous sample: keep what it reads, not the whole sample
  // (memory.stat, networks, blkio), which at 1,000 containers is megabytes held for nothing.
  container.previous = { id: stats.id, read: stats.read, cpu_stats: stats.cpu_stats };
}

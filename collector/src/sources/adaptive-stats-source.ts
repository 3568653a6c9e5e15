import type Docker from 'dockerode';
import pLimit, { type LimitFunction } from 'p-limit';
import { clockNs, HostFiles } from '../cgroup/index.js';
import {
  DeriveMemo,
  deriveContainerPoints,
  healthPoint,
  parseTimestampNs,
  statusPoint,
} from '../derive/index.js';
import type { EngineStats } from '../derive/engine-stats.js';
import type { DeriveOptions, EngineInfo } from '../derive/input.js';
import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import { ApiSampler } from './api-sampler.js';
import { CgroupSampler } from './cgroup-sampler.js';
import { SelfCheck, type SelfCheckResult } from './self-check.js';
import {
  chooseStatsSource,
  type EngineCgroupInfo,
  type SourceChoice,
  type StatsSourceMode,
} from './source-selection.js';
import type { StatsSource, StatsSourceName } from './stats-source.js';

export interface AdaptiveStatsSettings {
  mode: StatsSourceMode;
  host: { proc: string; cgroup: string };
  statsTimeoutMs: number;
  statsConcurrency: number;
  /** Undefined: the self-check is off. */
  selfCheckIntervalMs: number | undefined;
  derive: DeriveOptions;
}

/** What the source talks to and reports through. */
export interface AdaptiveStatsDependencies {
  docker: Docker;
  /** The engine's name and version, for the container tags. */
  engine: () => EngineInfo;
  /** The self-check counters and the source gauges are registered here. */
  metrics: SelfMetrics;
  logger: Logger;
}

/** What is kept per container between gathers: the baseline of the deltas. */
interface Baseline {
  /** Only what CPU % compares reads (`id`, `read`, `cpu_stats`), not the whole sample. */
  previous: EngineStats | undefined;
  /** The start the baseline belongs to: a restart resets the counters. */
  startedAt: string | undefined;
}

/** Sync reads hand the event loop back this often, so /metrics and the sink stay responsive. */
const YIELD_EVERY = 64;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The one per-container stats source (cAdvisor's factory: a handler per container behind one
 * interface). It chooses between the fast path (cgroupfs) and the API path at the first
 * connect, samples through the API the containers the fast path cannot locate, compares the
 * two paths now and then, and goes back to the API for good if they disagree (in auto mode).
 * It keeps each container's previous sample, so the deltas do not care which path read it.
 */
export class AdaptiveStatsSource implements StatsSource {
  private readonly api: ApiSampler;
  private readonly limit: LimitFunction;
  private fast: CgroupSampler | undefined;
  private selfCheck: SelfCheck | undefined;
  private selfCheckRunning: Promise<unknown> | undefined;
  private lastSelfCheckAt: number | undefined;
  private sourceChoice: SourceChoice | undefined;
  private readonly baselines = new Map<string, Baseline>();
  /** Tags and timestamps remembered between gathers, as long as this source lives. */
  private readonly memo = new DeriveMemo();
  private readonly deriveOptions: DeriveOptions;
  /** Containers the fast path could not locate, sampled through the API at the last gather. */
  private viaApiCount = 0;

  private readonly engine: () => EngineInfo;
  private readonly metrics: SelfMetrics;
  private readonly logger: Logger;

  constructor(
    private readonly settings: AdaptiveStatsSettings,
    deps: AdaptiveStatsDependencies,
  ) {
    this.engine = deps.engine;
    this.metrics = deps.metrics;
    this.logger = deps.logger;
    this.api = new ApiSampler(deps.docker, settings.statsTimeoutMs);
    this.limit = pLimit(settings.statsConcurrency);
    this.deriveOptions = { ...settings.derive, memo: this.memo };
    this.metrics.statsSource = () =>
      this.sourceChoice && { source: this.sourceChoice.source, reason: this.sourceChoice.reason };
    this.metrics.containersViaApi = () => (this.fast === undefined ? 0 : this.viaApiCount);
  }

  get name(): StatsSourceName {
    return this.fast === undefined ? 'api' : 'cgroupfs';
  }

  /** The path in use and why; undefined before the first choice. */
  get choice(): SourceChoice | undefined {
    return this.sourceChoice;
  }

  /** Open kernel files of the fast path, for the benchmark and tests. */
  get openFiles(): number {
    return this.fast?.openFiles ?? 0;
  }

  /** Chooses the path once, from GET /info and a probe of a few running containers. */
  choose(info: EngineCgroupInfo, running: readonly TrackedContainer[]): void {
    if (this.sourceChoice !== undefined) return;
    const { mode, host } = this.settings;
    const choice = chooseStatsSource(mode, new HostFiles(), host, info, running);
    this.sourceChoice = choice;
    if (choice.source === 'cgroupfs' && choice.version !== undefined) {
      this.fast = new CgroupSampler(
        { hostProc: host.proc, hostCgroup: host.cgroup, version: choice.version },
        this.logger,
      );
      this.selfCheck = new SelfCheck(this.fast, this.api, this.metrics, this.logger);
    }
    const log = mode !== 'auto' || choice.source === 'cgroupfs' ? 'info' : 'warn';
    this.logger[log](
      { source: choice.source, reason: choice.reason, detail: choice.detail, mode },
      `stats source: ${choice.source} (${choice.reason})`,
    );
  }

  async gatherContainers(containers: readonly TrackedContainer[], acc: Accumulator): Promise<void> {
    const fast = this.fast;
    if (fast === undefined) {
      await this.gatherViaApi(containers, acc);
      return;
    }
    const host = fast.hostSnapshot();
    const viaApi: TrackedContainer[] = [];
    // Containers read in one synchronous run (a few ms) share its time: one clock reading
    // per run instead of per container.
    let time = clockNs();
    let count = 0;
    for (const container of containers) {
      if (++count % YIELD_EVERY === 0) {
        await yieldToLoop();
        time = clockNs();
      }
      const sample = host === undefined ? 'unlocated' : fast.read(container, host, acc);
      if (sample === 'unlocated') viaApi.push(container);
      else if (sample === 'gone' || sample === 'failed') this.baselines.delete(container.id);
      else this.emit(container, sample, time, acc);
    }
    this.viaApiCount = viaApi.length;
    if (viaApi.length > 0) await this.gatherViaApi(viaApi, acc);
  }

  private async gatherViaApi(containers: readonly TrackedContainer[], acc: Accumulator): Promise<void> {
    await Promise.all(
      containers.map((container) =>
        this.limit(async () => {
          const baseline = this.baselineOf(container.id);
          const sample = await this.api.sample(container, acc);
          // Evicted (it died) while the call was in flight: nothing to emit or keep.
          if (this.baselines.get(container.id) !== baseline) return;
          if (sample === 'stopped') this.baselines.delete(container.id);
          else if (sample !== 'failed') this.emit(container, sample, undefined, acc);
        }),
      ),
    );
  }

  /**
   * Derives one container's points from a sample (whichever path read it), adds them with its
   * status and health points, and keeps the sample as the next baseline. `time` is the fast
   * path's clock reading; an API sample's `read` is parsed here, once. A sample that cannot
   * be derived costs this container its points, not the others theirs.
   */
  private emit(
    container: TrackedContainer,
    stats: EngineStats,
    time: bigint | undefined,
    acc: Accumulator,
  ): void {
    const { inspect } = container;
    const startedAt = inspect.State.StartedAt;
    const baseline = this.baselineOf(container.id);
    const previous = baseline.startedAt === startedAt ? baseline.previous : undefined;
    const engine = this.engine();
    const options = this.deriveOptions;
    try {
      const at = time ?? parseTimestampNs(stats.read ?? '');
      const points = deriveContainerPoints({ engine, inspect, previous, current: stats, time: at, options });
      points.push(statusPoint(inspect, engine, options.labelAllowlist, at, this.memo));
      const health = healthPoint(inspect, engine, options.labelAllowlist, at, this.memo);
      if (health) points.push(health);
      for (const point of points) acc.add(point);
    } catch (error) {
      acc.addError({
        reason: 'derive',
        message: 'could not derive points from a sample',
        error,
        container: container.id,
        level: 'error',
      });
      return;
    }
    // Only CPU % compares with the previous sample: keep what it reads, not the whole sample
    // (memory.stat, networks, blkio), which at 1,000 containers is megabytes held for nothing.
    baseline.previous = { id: stats.id, read: stats.read, cpu_stats: stats.cpu_stats };
    baseline.startedAt = startedAt;
  }

  private baselineOf(id: string): Baseline {
    let baseline = this.baselines.get(id);
    if (baseline === undefined) {
      baseline = { previous: undefined, startedAt: undefined };
      this.baselines.set(id, baseline);
    }
    return baseline;
  }

  evict(id: string): void {
    this.baselines.delete(id);
    this.api.evict(id);
    this.fast?.evict(id);
  }

  /**
   * Counted whichever path is in use: a container the fast path cannot locate, or every
   * container after a fallback, is sampled through the API and then needs its count.
   */
  oomKilled(id: string): void {
    this.api.countOomKill(id);
  }

  /**
   * Compares the fast path with the API on a few containers now; undefined when the API path
   * is in use. In auto mode a disagreement sends every container back to the API for good.
   */
  async runSelfCheck(
    containers: readonly TrackedContainer[],
    acc: Accumulator,
  ): Promise<SelfCheckResult | undefined> {
    const check = this.selfCheck;
    if (check === undefined) return undefined;
    this.lastSelfCheckAt = Date.now();
    const result = await check.run(containers, acc);
    const interval = this.settings.selfCheckIntervalMs;
    // Nothing compared yet (no containers): try again soon rather than in a full interval.
    if (result.compared === 0 && interval !== undefined) {
      this.lastSelfCheckAt = Date.now() - interval + Math.min(interval, 30_000);
    }
    if (result.disagreements.length > 0) this.fallBackToApi(result);
    return result;
  }

  /** Starts a self-check in the background when one is due; never two at once. */
  selfCheckIfDue(containers: readonly TrackedContainer[], acc: Accumulator): void {
    const interval = this.settings.selfCheckIntervalMs;
    if (interval === undefined || this.selfCheck === undefined || this.selfCheckRunning) return;
    // The first check runs at the first gather, to catch a bad mount early.
    if (this.lastSelfCheckAt !== undefined && Date.now() - this.lastSelfCheckAt < interval) return;
    this.selfCheckRunning = this.runSelfCheck(containers, acc)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'self-check failed'))
      .finally(() => {
        this.selfCheckRunning = undefined;
      });
  }

  private fallBackToApi(result: SelfCheckResult): void {
    if (this.settings.mode !== 'auto' || this.fast === undefined) return;
    this.fast.close();
    this.fast = undefined;
    this.selfCheck = undefined;
    this.sourceChoice = {
      source: 'api',
      reason: 'self_check_disagreed',
      detail: `the fast path disagreed with the API on ${result.disagreements.length} of ${result.compared} containers`,
    };
    this.logger.warn(
      { source: 'api', reason: 'self_check_disagreed', detail: this.sourceChoice.detail },
      'stats source: api (self_check_disagreed)',
    );
  }

  async close(): Promise<void> {
    await this.selfCheckRunning;
    this.fast?.close();
  }
}

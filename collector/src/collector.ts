import type Docker from 'dockerode';
import type { CollectorConfig } from './config/config.js';
import type { EngineInfo } from './derive/input.js';
import { ContainerFilter } from './discovery/container-filter.js';
import { ContainerTracker } from './discovery/container-tracker.js';
import { type ContainerEvent, EngineEventWatcher } from './discovery/engine-events.js';
import { createDockerClient } from './docker-client.js';
import type { InputContext } from './inputs/context.js';
import { readEngine } from './inputs/engine-call.js';
import type { Input } from './inputs/input.js';
import { type InputFactory, INPUTS } from './inputs/registry.js';
import { STATS_INPUT } from './inputs/container-stats.js';
import { SelfMetricsInput } from './inputs/self-metrics.js';
import type { PointConsumer, PointSink } from './model/point-sink.js';
import { AdaptiveStatsSource } from './sources/adaptive-stats-source.js';
import type { SelfCheckResult } from './sources/self-check.js';
import type { EngineCgroupInfo, SourceChoice } from './sources/source-selection.js';
import { InputErrors } from './telemetry/input-errors.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { SelfMetrics } from './telemetry/self-metrics.js';

export type { PointSink };

export interface CollectorDependencies {
  docker?: Docker;
  logger?: Logger;
  /** Shared with the sink, so write accounting lands in the same registry. */
  metrics?: SelfMetrics;
  /** Required by start(); --once gathers into its own accumulator instead. */
  sink?: PointSink;
  /** The inputs to gather from (default INPUTS): benches and tests run a chosen set. */
  inputs?: readonly InputFactory[];
}

/** A full listing every minute backs up the events stream, in case an event was missed. */
const RESYNC_EVERY_MS = 60_000;

/** Where the points of work that is not a gather go (the self-check samples): nowhere. */
const DISCARD: PointConsumer = { add: () => undefined };

export interface CollectorHealth {
  healthy: boolean;
  engineConnected: boolean;
  containers: number;
  lastGatherAgeMs: number | null;
}

/**
 * The collector daemon: follows the engine, gathers every interval from each input (see
 * inputs/registry.ts) and its own registry, and hands points to the sink.
 * Lifecycle is owned by the caller: start(), stop().
 */
export class Collector {
  readonly metrics: SelfMetrics;
  readonly logger: Logger;
  private readonly docker: Docker;
  private readonly tracker: ContainerTracker;
  private readonly watcher: EngineEventWatcher;
  private readonly errors: InputErrors;
  private readonly stats: AdaptiveStatsSource;
  private readonly inputs: readonly Input[];
  private readonly selfInput: SelfMetricsInput;
  private engineInfo: EngineInfo = { host: 'unknown', serverVersion: 'unknown' };
  /** This gather's GET /info, made when an input first asks for it (InputContext.engineInfo). */
  private gatherInfo: Promise<unknown> | undefined;
  private connected = false;
  private lastResyncAt = 0;
  private lastGatherEndedAt: number | undefined;
  private lastSelfMetricsAt: number | undefined;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly config: CollectorConfig,
    private readonly deps: CollectorDependencies = {},
  ) {
    this.logger = deps.logger ?? createLogger(config.logLevel);
    this.docker = deps.docker ?? createDockerClient(config.dockerHost);
    this.metrics = deps.metrics ?? new SelfMetrics();
    this.metrics.trackedContainers = () => this.tracker.size;
    this.errors = new InputErrors(this.metrics, this.logger);
    const discovery = { docker: this.docker, metrics: this.metrics, logger: this.logger };
    this.tracker = new ContainerTracker(new ContainerFilter(config.filter), discovery);
    this.watcher = new EngineEventWatcher(
      { onEvent: (event) => this.onEvent(event), onReconnect: () => this.resync() },
      discovery,
    );
    const engine = () => this.engineInfo;
    this.stats = new AdaptiveStatsSource(
      {
        mode: config.statsSource,
        host: config.host,
        statsTimeoutMs: config.statsTimeoutMs,
        statsConcurrency: config.statsConcurrency,
        selfCheckIntervalMs: config.selfCheckIntervalMs,
        derive: { labelAllowlist: config.labelTags, perDevice: config.perDevice },
      },
      { docker: this.docker, engine, metrics: this.metrics, logger: this.logger },
    );
    const context: InputContext = {
      config,
      docker: this.docker,
      tracker: this.tracker,
      engine,
      // At most an interval: a manager's /info counts the swarm's nodes through the leader, and
      // hangs while the managers elect one; waiting longer would skip the next gathers' points.
      engineInfo: () =>
        (this.gatherInfo ??= readEngine(
          this.docker,
          'info',
          AbortSignal.timeout(Math.min(config.statsTimeoutMs, config.intervalMs)),
        )),
      stats: this.stats,
      logger: this.logger,
    };
    this.inputs = (deps.inputs ?? INPUTS).flatMap((create) => create(context) ?? []);
    this.selfInput = new SelfMetricsInput(this.metrics, engine);
  }

  get trackedContainers(): number {
    return this.tracker.size;
  }

  /** Reads engine info, lists running containers and (optionally) follows events. */
  async connect({ followEvents = true } = {}): Promise<void> {
    const info = (await this.docker.info()) as { Name?: string; ServerVersion?: string } & EngineCgroupInfo;
    this.engineInfo = { host: info.Name ?? 'unknown', serverVersion: info.ServerVersion ?? 'unknown' };
    await this.resync();
    this.stats.choose(info, this.tracker.all());
    if (followEvents) await this.watcher.start();
    this.connected = true;
    this.logger.info({ engine: this.engineInfo, containers: this.tracker.size }, 'connected to the engine');
  }

  /** The stats source in use and why; undefined before the first connect. */
  get statsSourceChoice(): SourceChoice | undefined {
    return this.stats.choice;
  }

  /**
   * Compares the fast path with the API on a few containers now (the daemon does this every
   * STATS_SELF_CHECK_INTERVAL). Undefined when the API path is in use.
   */
  runSelfCheck(): Promise<SelfCheckResult | undefined> {
    return this.stats.runSelfCheck(this.tracker.all(), this.errors.accumulator(STATS_INPUT, DISCARD));
  }

  private async resync(): Promise<void> {
    await this.tracker.resync();
    this.lastResyncAt = Date.now();
  }

  private onEvent(event: ContainerEvent): void {
    const done = (() => {
      switch (event.action) {
        case 'die':
          return this.tracker.stopped(event.id);
        case 'destroy':
          this.tracker.forget(event.id);
          return Promise.resolve();
        case 'oom':
          this.tracker.oomKilled(event.id);
          return this.tracker.refresh(event.id);
        default: // start, rename, health_status, update: the inspect data changed
          return this.tracker.refresh(event.id);
      }
    })();
    void done.catch((error: unknown) => this.logger.warn({ err: error, event }, 'event handling failed'));
  }

  /** One gather from every input into `points`. Never throws for a single container. */
  async gather(points: PointConsumer, { includeSelf = true } = {}): Promise<void> {
    if (!this.connected) {
      await this.connect();
    } else if (!this.watcher.connected || Date.now() - this.lastResyncAt > RESYNC_EVERY_MS) {
      await this.resync().catch((error: unknown) => this.logger.warn({ err: error }, 'resync failed'));
    }
    this.gatherInfo = undefined;
    await Promise.all(this.inputs.map((input) => this.gatherInput(input, points)));
    if (includeSelf) {
      this.stats.selfCheckIfDue(this.tracker.all(), this.errors.accumulator(STATS_INPUT, DISCARD));
      // Untimed: its figures are read during its gather, so its own duration would never show.
      if (this.selfMetricsDue()) await this.gatherInput(this.selfInput, points, { timed: false });
    }
    this.lastGatherEndedAt = Date.now();
  }

  /** One input's gather, timed by default; a gather that fails as a whole is that input's error. */
  private async gatherInput(input: Input, points: PointConsumer, { timed = true } = {}): Promise<void> {
    const acc = this.errors.accumulator(input.name, points);
    const end = timed ? this.metrics.gatherDuration.startTimer({ source: input.name }) : undefined;
    try {
      await input.gather(acc);
    } catch (error) {
      acc.addError({ reason: 'gather', message: 'gather failed', error, level: 'error' });
    } finally {
      end?.();
    }
  }

  /**
   * Whether this gather writes the collector's own metrics: the first one does, then one
   * every SELF_METRICS_INTERVAL (half a gather interval early rather than a whole one late).
   */
  private selfMetricsDue(): boolean {
    const now = Date.now();
    const last = this.lastSelfMetricsAt;
    if (last !== undefined && now - last < this.config.selfMetricsIntervalMs - this.config.intervalMs / 2) {
      return false;
    }
    this.lastSelfMetricsAt = now;
    return true;
  }

  /** Starts the gather loop. Resolves once the first connection attempt is over. */
  async start(): Promise<void> {
    const sink = this.deps.sink;
    if (!sink) throw new Error('Collector.start() needs a sink');
    await this.connect().catch((error: unknown) => {
      this.logger.error({ err: error }, 'engine not reachable; retrying every interval');
    });
    this.loopDone = this.loop(sink);
  }

  private async loop(sink: PointSink): Promise<void> {
    const interval = this.config.intervalMs;
    while (!this.stopping) {
      const started = Date.now();
      try {
        await this.gather(sink);
        const gatherMs = Date.now() - started;
        await sink.flush();
        this.logger.debug(
          {
            durationMs: Date.now() - started,
            gatherMs,
            containers: this.tracker.size,
            source: this.stats.name,
          },
          'gather done',
        );
      } catch (error) {
        this.logger.error({ err: error }, 'gather failed');
      }
      // Keep the cadence: a late gather skips the ticks it missed instead of bunching up.
      const elapsed = Date.now() - started;
      const wait = interval * Math.max(1, Math.ceil(elapsed / interval)) - elapsed;
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  health(): CollectorHealth {
    const age = this.lastGatherEndedAt === undefined ? null : Date.now() - this.lastGatherEndedAt;
    const staleAfter = 3 * this.config.intervalMs + this.config.statsTimeoutMs;
    return {
      healthy: this.connected && age !== null && age <= staleAfter,
      engineConnected: this.watcher.connected,
      containers: this.tracker.size,
      lastGatherAgeMs: age,
    };
  }

  /**
   * Stops gathering, waits for the gather in progress, then flushes the sink (retry buffer
   * included). Bounded by SHUTDOWN_TIMEOUT; calling it again returns the same promise.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.watcher.stop();
      this.wake?.();
      const deadline = new Promise<void>((resolve) =>
        setTimeout(resolve, this.config.shutdownTimeoutMs).unref(),
      );
      await Promise.race([
        (async () => {
          await this.loopDone;
          for (const input of this.inputs) input.close?.();
          await this.stats.close();
          await this.deps.sink?.close();
        })(),
        deadline,
      ]);
      this.logger.info('collector stopped');
    })();
    return this.stopping;
  }
}

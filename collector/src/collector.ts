import type Docker from 'dockerode';
import type { CollectorConfig } from './config/config.js';
import { statusPoint } from './derive/index.js';
import type { EngineInfo } from './derive/input.js';
import { ContainerFilter } from './discovery/container-filter.js';
import { ContainerTracker } from './discovery/container-tracker.js';
import { type ContainerEvent, EngineEventWatcher } from './discovery/engine-events.js';
import { createDockerClient } from './docker-client.js';
import type { Accumulator } from './model/accumulator.js';
import { parseExposition } from './scrape/exposition-parser.js';
import { prometheusPoints } from './scrape/prometheus-points.js';
import { HostFiles } from './cgroup/index.js';
import { CgroupSource } from './sources/cgroup-source.js';
import { DockerSource } from './sources/docker-source.js';
import { SelfCheck, type SelfCheckResult } from './sources/self-check.js';
import { chooseStatsSource, type EngineCgroupInfo, type SourceChoice } from './sources/source-selection.js';
import type { StatsSource } from './sources/stats-source.js';
import { nowNs, PrometheusSource } from './sources/prometheus-source.js';
import { createLogger, type Logger } from './telemetry/logger.js';
import { SelfMetrics } from './telemetry/self-metrics.js';

/** Where gathered points go: an accumulator that can also flush and close. */
export interface PointSink extends Accumulator {
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface CollectorDependencies {
  docker?: Docker;
  logger?: Logger;
  /** Shared with the sink, so write accounting lands in the same registry. */
  metrics?: SelfMetrics;
  /** Required by start(); --once gathers into its own accumulator instead. */
  sink?: PointSink;
}

/** A full listing every minute backs up the events stream, in case an event was missed. */
const RESYNC_EVERY_MS = 60_000;

export interface CollectorHealth {
  healthy: boolean;
  engineConnected: boolean;
  containers: number;
  lastGatherAgeMs: number | null;
}

/**
 * The collector daemon: follows the engine, gathers every interval from the Docker source,
 * the Prometheus source and its own registry, and hands points to the sink.
 * Lifecycle is owned by the caller: start(), stop().
 */
export class Collector {
  readonly metrics: SelfMetrics;
  readonly logger: Logger;
  private readonly docker: Docker;
  private readonly tracker: ContainerTracker;
  private readonly watcher: EngineEventWatcher;
  private readonly dockerSource: DockerSource;
  /** The stats source in use: the API path until the first connect chooses. */
  private statsSource: StatsSource;
  private sourceChoice: SourceChoice | undefined;
  private selfCheck: SelfCheck | undefined;
  private selfCheckRunning: Promise<unknown> | undefined;
  private lastSelfCheckAt: number | undefined;
  private readonly prometheusSource: PrometheusSource;
  private engineInfo: EngineInfo = { host: 'unknown', serverVersion: 'unknown' };
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
    this.tracker = new ContainerTracker(
      this.docker,
      new ContainerFilter(config.filter),
      this.metrics,
      this.logger,
      (inspect) => this.reportStopped(inspect),
    );
    this.watcher = new EngineEventWatcher(
      this.docker,
      (event) => this.onEvent(event),
      () => this.resync(),
      this.metrics,
      this.logger,
    );
    const derive = { labelAllowlist: config.labelTags, perDevice: config.perDevice };
    this.dockerSource = new DockerSource(
      this.docker,
      this.tracker,
      () => this.engineInfo,
      { statsTimeoutMs: config.statsTimeoutMs, statsConcurrency: config.statsConcurrency, derive },
      this.metrics,
      this.logger,
    );
    this.statsSource = this.dockerSource;
    this.metrics.statsSource = () =>
      this.sourceChoice && { source: this.sourceChoice.source, reason: this.sourceChoice.reason };
    this.metrics.containersViaApi = () =>
      this.statsSource instanceof CgroupSource ? this.statsSource.viaApiCount : 0;
    this.prometheusSource = new PrometheusSource(
      this.tracker,
      () => this.engineInfo,
      { scrapeTimeoutMs: config.scrapeTimeoutMs, labelAllowlist: config.labelTags },
      this.metrics,
      this.logger,
    );
  }

  get trackedContainers(): number {
    return this.tracker.size;
  }

  /** Reads engine info, lists running containers and (optionally) follows events. */
  async connect({ followEvents = true } = {}): Promise<void> {
    const info = (await this.docker.info()) as { Name?: string; ServerVersion?: string } & EngineCgroupInfo;
    this.engineInfo = { host: info.Name ?? 'unknown', serverVersion: info.ServerVersion ?? 'unknown' };
    await this.resync();
    if (this.sourceChoice === undefined) this.chooseSource(info);
    if (followEvents) await this.watcher.start();
    this.connected = true;
    this.logger.info({ engine: this.engineInfo, containers: this.tracker.size }, 'connected to the engine');
  }

  /** The stats source in use and why; undefined before the first connect. */
  get statsSourceChoice(): SourceChoice | undefined {
    return this.sourceChoice;
  }

  private chooseSource(info: EngineCgroupInfo): void {
    const choice = chooseStatsSource(
      this.config.statsSource,
      new HostFiles(),
      this.config.host,
      info,
      this.tracker.all(),
    );
    this.sourceChoice = choice;
    if (choice.source === 'cgroupfs' && choice.version !== undefined) {
      const fast = new CgroupSource(
        {
          hostProc: this.config.host.proc,
          hostCgroup: this.config.host.cgroup,
          version: choice.version,
          derive: { labelAllowlist: this.config.labelTags, perDevice: this.config.perDevice },
        },
        this.dockerSource,
        () => this.engineInfo,
        this.metrics,
        this.logger,
      );
      this.statsSource = fast;
      this.selfCheck = new SelfCheck(fast, this.dockerSource, this.metrics, this.logger, (result) =>
        this.onSelfCheckDisagreement(result),
      );
    }
    const log = this.config.statsSource !== 'auto' || choice.source === 'cgroupfs' ? 'info' : 'warn';
    this.logger[log](
      { source: choice.source, reason: choice.reason, detail: choice.detail, mode: this.config.statsSource },
      `stats source: ${choice.source} (${choice.reason})`,
    );
  }

  /** In auto mode a disagreement sends every container back to the API path for good. */
  private onSelfCheckDisagreement(result: SelfCheckResult): void {
    if (this.config.statsSource !== 'auto' || this.statsSource === this.dockerSource) return;
    if (this.statsSource instanceof CgroupSource) this.statsSource.close();
    this.statsSource = this.dockerSource;
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

  /**
   * Compares the fast path with the API on a few containers now (the daemon does this every
   * STATS_SELF_CHECK_INTERVAL). Undefined when the API path is in use.
   */
  async runSelfCheck(): Promise<SelfCheckResult | undefined> {
    const check = this.selfCheck;
    if (check === undefined) return undefined;
    this.lastSelfCheckAt = Date.now();
    const result = await check.run(this.tracker.all());
    const interval = this.config.selfCheckIntervalMs;
    // Nothing compared yet (no containers): try again soon rather than in a full interval.
    if (result.compared === 0 && interval !== undefined) {
      this.lastSelfCheckAt = Date.now() - interval + Math.min(interval, 30_000);
    }
    return result;
  }

  /** Starts a self-check in the background when one is due; never two at once. */
  private maybeSelfCheck(): void {
    const interval = this.config.selfCheckIntervalMs;
    if (interval === undefined || this.selfCheck === undefined || this.selfCheckRunning) return;
    // The first check runs at the first gather, to catch a bad mount early.
    if (this.lastSelfCheckAt !== undefined && Date.now() - this.lastSelfCheckAt < interval) return;
    this.selfCheckRunning = this.runSelfCheck()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'self-check failed'))
      .finally(() => {
        this.selfCheckRunning = undefined;
      });
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
        default: // start, rename, health_status, oom, update: the inspect data changed
          return this.tracker.refresh(event.id);
      }
    })();
    void done.catch((error: unknown) => this.logger.warn({ err: error, event }, 'event handling failed'));
  }

  /** A stopped container's last word: one status point with its exit code and OOM flag. */
  private reportStopped(inspect: Docker.ContainerInspectInfo): void {
    const sink = this.deps.sink;
    if (!sink) return;
    sink.add(statusPoint(inspect, this.engineInfo, this.config.labelTags, nowNs()));
  }

  /** One gather from every source into `acc`. Never throws for a single container. */
  async gather(acc: Accumulator, { includeSelf = true } = {}): Promise<void> {
    if (!this.connected) {
      await this.connect();
    } else if (!this.watcher.connected || Date.now() - this.lastResyncAt > RESYNC_EVERY_MS) {
      await this.resync().catch((error: unknown) => this.logger.warn({ err: error }, 'resync failed'));
    }
    const timed = async (source: string, gather: () => Promise<void>) => {
      const end = this.metrics.gatherDuration.startTimer({ source });
      try {
        await gather();
      } finally {
        end();
      }
    };
    await Promise.all([
      timed('docker', () => this.statsSource.gatherContainers(this.tracker.all(), acc)),
      this.config.prometheusScrape ? timed('prometheus', () => this.prometheusSource.gather(acc)) : undefined,
    ]);
    if (includeSelf) {
      this.maybeSelfCheck();
      if (this.selfMetricsDue()) await this.gatherSelf(acc);
    }
    this.lastGatherEndedAt = Date.now();
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

  /** The collector's own metrics, as the `prometheus` measurement with job=collector. */
  private async gatherSelf(acc: Accumulator): Promise<void> {
    const { samples } = parseExposition(await this.metrics.registry.metrics());
    const tags = { job: 'collector', engine_host: this.engineInfo.host };
    for (const point of prometheusPoints(samples, tags, nowNs())) acc.add(point);
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
            source: this.statsSource.name,
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
          await this.selfCheckRunning;
          if (this.statsSource instanceof CgroupSource) this.statsSource.close();
          await this.deps.sink?.close();
        })(),
        deadline,
      ]);
      this.logger.info('collector stopped');
    })();
    return this.stopping;
  }
}

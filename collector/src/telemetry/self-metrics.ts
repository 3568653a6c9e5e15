import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the collector reports about itself on /metrics (and writes to InfluxDB with job=collector). */
export class SelfMetrics {
  readonly registry = new Registry();

  readonly gatherDuration = new Histogram({
    name: 'collector_gather_duration_seconds',
    help: 'Wall time of one gather, by source.',
    labelNames: ['source'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly pointsWritten = new Counter({
    name: 'collector_points_written_total',
    help: 'Points InfluxDB acknowledged.',
    registers: [this.registry],
  });
  readonly pointsFailed = new Counter({
    name: 'collector_points_failed_total',
    help: 'Points in write requests that failed (each failed attempt counts; retried points may still arrive).',
    registers: [this.registry],
  });
  readonly pointsDropped = new Counter({
    name: 'collector_points_dropped_total',
    help: 'Points given up for good: retry buffer overflow, retries exhausted, or unsent at shutdown.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly statsErrors = new Counter({
    name: 'collector_stats_errors_total',
    help: 'Failed or timed-out stats calls to the engine.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly scrapeErrors = new Counter({
    name: 'collector_scrape_errors_total',
    help: 'Failed Prometheus scrapes of labelled containers.',
    registers: [this.registry],
  });
  readonly inputErrors = new Counter({
    name: 'collector_input_errors_total',
    help: 'Errors of inputs other than the stats and scrape inputs (which keep the two counters above).',
    labelNames: ['input', 'reason'] as const,
    registers: [this.registry],
  });
  readonly engineErrors = new Counter({
    name: 'collector_engine_errors_total',
    help: 'Failed list, inspect or events calls to the engine.',
    labelNames: ['call'] as const,
    registers: [this.registry],
  });

  readonly rollupPoints = new Counter({
    name: 'collector_rollup_points_total',
    help: 'Rollup points handed to the sink (closed windows, partial ones at shutdown), by resolution.',
    labelNames: ['resolution'] as const,
    registers: [this.registry],
  });
  readonly rollupLatePoints = new Counter({
    name: 'collector_rollup_late_points_total',
    help: 'Raw points that arrived after their rollup window was written: in raw data only, by resolution.',
    labelNames: ['resolution'] as const,
    registers: [this.registry],
  });

  readonly selfChecks = new Counter({
    name: 'collector_stats_self_checks_total',
    help: 'Containers compared by the fast-path self-check: agree, disagree, or skipped (not sampled by both paths).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /**
   * Counts one error of an input. The stats and scrape inputs keep their own counters, which
   * dashboards and alerts read; every other input's errors share collector_input_errors_total.
   */
  countInputError(input: string, reason: string): void {
    if (input === 'docker' /* the stats input */) this.statsErrors.inc({ reason });
    else if (input === 'prometheus') this.scrapeErrors.inc();
    else this.inputErrors.inc({ input, reason });
  }

  /** Source of the containers-tracked gauge; the collector sets it. */
  trackedContainers: () => number = () => 0;
  /** The stats source in use and why it was chosen; the collector sets it. */
  statsSource: () => { source: string; reason: string } | undefined = () => undefined;
  /** Containers the fast path could not locate and sampled through the API at the last gather. */
  containersViaApi: () => number = () => 0;

  constructor() {
    const tracked: Gauge = new Gauge({
      name: 'collector_containers_tracked',
      help: 'Containers currently followed.',
      registers: [this.registry],
      // Computed when scraped, never by a timer.
      collect: () => {
        tracked.set(this.trackedContainers());
      },
    });
    const source: Gauge<'source' | 'reason'> = new Gauge({
      name: 'collector_stats_source',
      help: 'The per-container stats source in use (1): api or cgroupfs, with the reason it was chosen.',
      labelNames: ['source', 'reason'] as const,
      registers: [this.registry],
      collect: () => {
        source.reset();
        const current = this.statsSource();
        if (current) source.set(current, 1);
      },
    });
    const viaApi: Gauge = new Gauge({
      name: 'collector_stats_api_fallback_containers',
      help: 'Containers the fast path could not locate in the cgroup tree, sampled through the API at the last gather.',
      registers: [this.registry],
      collect: () => {
        viaApi.set(this.containersViaApi());
      },
    });
    // The event-loop delay monitor wakes the process every `precision` ms: prom-client's
    // 10 ms costs ~0.7 % of a core on its own, a third of the collector's budget at 100
    // containers. 100 ms still sees the loop blocked by a long gather.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }
}

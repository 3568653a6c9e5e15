import { containerTags } from '../derive/index.js';
import type { EngineInfo } from '../derive/input.js';
import { type ContainerTracker, containerName } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import { parseExposition } from '../scrape/exposition-parser.js';
import { prometheusPoints } from '../scrape/prometheus-points.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import { scrapeTarget } from './prometheus-target.js';

/** Scrapes are capped so one misbehaving endpoint cannot exhaust the collector's memory. */
const MAX_SCRAPE_BYTES = 10 * 1024 * 1024;

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** Scrapes the Prometheus endpoint of every followed container labelled for it. */
export class PrometheusSource {
  private readonly warnedSkips = new Set<string>();

  constructor(
    private readonly tracker: ContainerTracker,
    private readonly engine: () => EngineInfo,
    private readonly settings: { scrapeTimeoutMs: number; labelAllowlist: readonly string[] },
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
  ) {}

  async gather(acc: Accumulator): Promise<void> {
    await Promise.all(
      this.tracker.all().map(async ({ id, inspect }) => {
        const target = scrapeTarget(inspect);
        if (!target) return;
        if ('skip' in target) {
          if (!this.warnedSkips.has(id)) {
            this.warnedSkips.add(id);
            this.logger.warn(
              { container: containerName(inspect), reason: target.skip },
              'not scraping container',
            );
          }
          return;
        }
        try {
          const text = await this.fetchText(target.url);
          const tags = {
            ...containerTags(inspect, this.engine(), this.settings.labelAllowlist),
            url: target.url,
          };
          const { samples, errors } = parseExposition(text);
          if (errors.length > 0) {
            this.metrics.scrapeErrors.inc();
            this.logger.warn(
              { url: target.url, errors: errors.slice(0, 5), count: errors.length },
              'unparsable lines skipped',
            );
          }
          for (const point of prometheusPoints(samples, tags, nowNs())) acc.add(point);
        } catch (error) {
          this.metrics.scrapeErrors.inc();
          this.logger.warn(
            { err: error, url: target.url, container: containerName(inspect) },
            'scrape failed',
          );
        }
      }),
    );
  }

  private async fetchText(url: string): Promise<string> {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.settings.scrapeTimeoutMs),
      headers: { accept: 'text/plain;version=0.0.4' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_SCRAPE_BYTES) throw new Error(`response of ${length} bytes exceeds ${MAX_SCRAPE_BYTES}`);
    const text = await response.text();
    if (text.length > MAX_SCRAPE_BYTES) throw new Error(`response exceeds ${MAX_SCRAPE_BYTES} bytes`);
    return text;
  }
}

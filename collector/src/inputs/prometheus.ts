import { containerTags, DeriveMemo } from '../derive/index.js';
import { containerName } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import { nowNs } from '../model/time.js';
import { parseExposition } from '../scrape/exposition-parser.js';
import { prometheusPoints } from '../scrape/prometheus-points.js';
import { scrapeTarget } from '../scrape/prometheus-target.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/** Scrapes are capped so one misbehaving endpoint cannot exhaust the collector's memory. */
const MAX_SCRAPE_BYTES = 10 * 1024 * 1024;

/** Scrapes the Prometheus endpoint of every followed container labelled for it. */
export class PrometheusInput implements Input {
  readonly name = 'prometheus';
  /** Containers already warned about (labelled, but no usable endpoint). */
  private readonly warnedSkips = new Set<string>();
  /** Each container's tags, made once per inspect. */
  private readonly memo = new DeriveMemo();

  constructor(private readonly context: InputContext) {
    context.tracker.subscribe({ removed: (id) => this.warnedSkips.delete(id) });
  }

  async gather(acc: Accumulator): Promise<void> {
    const { tracker, engine, config, logger } = this.context;
    await Promise.all(
      tracker.all().map(async ({ id, inspect }) => {
        const target = scrapeTarget(inspect);
        if (!target) return;
        if ('skip' in target) {
          if (!this.warnedSkips.has(id)) {
            this.warnedSkips.add(id);
            logger.warn({ container: containerName(inspect), reason: target.skip }, 'not scraping container');
          }
          return;
        }
        try {
          const text = await this.fetchText(target.url);
          const tags = { ...containerTags(inspect, engine(), config.labelTags, this.memo), url: target.url };
          const { samples, errors } = parseExposition(text);
          if (errors.length > 0) {
            acc.addError({
              reason: 'unparsable_lines',
              message: 'unparsable lines skipped',
              container: containerName(inspect),
              detail: { url: target.url, errors: errors.slice(0, 5), count: errors.length },
            });
          }
          for (const point of prometheusPoints(samples, tags, nowNs())) acc.add(point);
        } catch (error) {
          acc.addError({
            reason: 'scrape_failed',
            message: 'scrape failed',
            error,
            container: containerName(inspect),
            detail: { url: target.url },
          });
        }
      }),
    );
  }

  private async fetchText(url: string): Promise<string> {
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.context.config.scrapeTimeoutMs),
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

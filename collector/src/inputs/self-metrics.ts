import type { MetricValueWithName, Registry } from 'prom-client';
import type { EngineInfo } from '../derive/input.js';
import type { Accumulator } from '../model/accumulator.js';
import { nowNs } from '../model/time.js';
import type { Sample } from '../scrape/exposition-parser.js';
import { prometheusPoints } from '../scrape/prometheus-points.js';
import { COLLECTOR_JOB, TAG } from '../schema/names.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { Input } from './input.js';

/**
 * The samples of a registry as a scrape of its /metrics would parse them (histograms as
 * `_bucket` with `le`, `_sum`, `_count`; label values as text), read from the registry's
 * values instead of rendering the exposition text and parsing it back.
 */
export async function registrySamples(registry: Registry): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    // Histograms name each value (`_bucket`, `_sum`, `_count`); the typings do not say so.
    for (const value of metric.values as MetricValueWithName<string>[]) {
      const labels: Record<string, string> = {};
      for (const [key, label] of Object.entries(value.labels)) labels[key] = String(label);
      samples.push({
        name: value.metricName ?? metric.name,
        labels,
        value: value.value,
        timestampMs: undefined,
      });
    }
  }
  return samples;
}

/** The collector's own metrics, as the `prometheus` measurement with job=collector. */
export class SelfMetricsInput implements Input {
  readonly name = 'collector';

  constructor(
    private readonly metrics: SelfMetrics,
    private readonly engine: () => EngineInfo,
  ) {}

  async gather(acc: Accumulator): Promise<void> {
    const samples = await registrySamples(this.metrics.registry);
    const tags = { [TAG.job]: COLLECTOR_JOB, [TAG.engineHost]: this.engine().host };
    for (const point of prometheusPoints(samples, tags, nowNs())) acc.add(point);
  }
}

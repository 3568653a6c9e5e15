import type { EngineInfo } from '../derive/input.js';
import type { Accumulator } from '../model/accumulator.js';
import { nowNs } from '../model/time.js';
import { parseExposition } from '../scrape/exposition-parser.js';
import { prometheusPoints } from '../scrape/prometheus-points.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { Input } from './input.js';

/** The collector's own metrics, as the `prometheus` measurement with job=collector. */
export class SelfMetricsInput implements Input {
  readonly name = 'collector';

  constructor(
    private readonly metrics: SelfMetrics,
    private readonly engine: () => EngineInfo,
  ) {}

  async gather(acc: Accumulator): Promise<void> {
    const { samples } = parseExposition(await this.metrics.registry.metrics());
    const tags = { job: 'collector', engine_host: this.engine().host };
    for (const point of prometheusPoints(samples, tags, nowNs())) acc.add(point);
  }
}

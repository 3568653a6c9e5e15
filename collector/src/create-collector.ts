import { Collector, type CollectorDependencies } from './collector.js';
import type { CollectorConfig } from './config/config.js';

/** A collector for a parsed configuration (see loadConfig); start() and stop() run it. */
export function createCollector(config: CollectorConfig, deps: CollectorDependencies = {}): Collector {
  return new Collector(config, deps);
}

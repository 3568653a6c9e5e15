import { ContainerStatsInput } from './container-stats.js';
import type { InputContext } from './context.js';
import { HostInput } from './host.js';
import { DataRootDiskInput } from './disk.js';
import { DiskUsageInput } from './disk-usage.js';
import { EngineInput } from './engine.js';
import type { Input } from './input.js';
import { PrometheusInput } from './prometheus.js';
import { SwarmInput } from './swarm.js';

/** Makes an input from the context, or undefined when the configuration turns it off. */
export type InputFactory = (context: InputContext) => Input | undefined;

/**
 * Every input the collector gathers from at each interval, concurrently. A new family of
 * metrics is one input file and one line here. (The collector's own metrics are gathered
 * after these, since they include these inputs' gather durations.)
 */
export const INPUTS: readonly InputFactory[] = [
  (context) => new ContainerStatsInput(context),
  (context) => (context.config.prometheusScrape ? new PrometheusInput(context) : undefined),
  (context) => new EngineInput(context),
  (context) => (context.config.diskUsageIntervalMs ? new DiskUsageInput(context) : undefined),
  (context) => (context.config.hostInputs ? new HostInput(context) : undefined),
  (context) => (context.config.hostInputs ? new DataRootDiskInput(context) : undefined),
  (context) => (context.config.swarmInput ? new SwarmInput(context) : undefined),
];

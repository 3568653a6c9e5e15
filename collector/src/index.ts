// The public API of @dockwatch/collector. Re-exports only.
export { Collector, type CollectorDependencies, type CollectorHealth } from './collector.js';
export { createCollector } from './create-collector.js';
export {
  type CollectorConfig,
  ENVIRONMENT,
  type InfluxTarget,
  loadConfig,
  type WriteSettings,
} from './config/config.js';
export { ConfigError } from './config/config-error.js';
export { parseDurationMs } from './config/duration.js';
export { runOnce } from './once.js';
export { createHttpServer, listen } from './http/server.js';

// Inputs: the contract, the registry, and the inputs themselves.
export type { InputContext } from './inputs/context.js';
export type { Input } from './inputs/input.js';
export { INPUTS, type InputFactory } from './inputs/registry.js';
export { ContainerStatsInput, STATS_INPUT } from './inputs/container-stats.js';
export { PrometheusInput } from './inputs/prometheus.js';
export { HOST_INPUT, HostInput } from './inputs/host.js';
export { SwarmInput } from './inputs/swarm.js';
export { EngineInput } from './inputs/engine.js';
export { DiskUsageInput } from './inputs/disk-usage.js';
export { DataRootDiskInput } from './inputs/disk.js';
export { registrySamples, SelfMetricsInput } from './inputs/self-metrics.js';
export { ArrayAccumulator, type Accumulator, type InputError } from './model/accumulator.js';
export type { FieldValue, Point } from './model/point.js';
export type { PointConsumer, PointSink } from './model/point-sink.js';
export { nowNs } from './model/time.js';

// The schema: names, the catalogue, and the line-protocol writer.
export * from './schema/index.js';

// Derivations (docker stats arithmetic) and the fast path's readers.
export * from './derive/index.js';
export * from './cgroup/index.js';

// Per-container stats sources.
export {
  type AdaptiveStatsDependencies,
  type AdaptiveStatsSettings,
  AdaptiveStatsSource,
} from './sources/adaptive-stats-source.js';
export { ApiSampler } from './sources/api-sampler.js';
export { CgroupSampler, type CgroupSamplerSettings } from './sources/cgroup-sampler.js';
export { compareSamples, type Disagreement } from './sources/sample-comparison.js';
export { SelfCheck, type SelfCheckResult } from './sources/self-check.js';
export {
  chooseStatsSource,
  type EngineCgroupInfo,
  type SelectionReason,
  type SourceChoice,
  type StatsSourceMode,
} from './sources/source-selection.js';
export type { StatsSource, StatsSourceName } from './sources/stats-source.js';

// Discovery.
export { ContainerFilter, type ContainerFilterConfig } from './discovery/container-filter.js';
export {
  ContainerTracker,
  containerName,
  type DiscoveryDependencies,
  type TrackedContainer,
  type TrackerListener,
} from './discovery/container-tracker.js';
export {
  type ContainerEvent,
  type EngineEventHandlers,
  EngineEventWatcher,
  FOLLOWED_ACTIONS,
  parseEngineEvent,
} from './discovery/engine-events.js';

// Prometheus scraping.
export { type ParseResult, parseExposition, type Sample } from './scrape/exposition-parser.js';
export { PROMETHEUS_MEASUREMENT, prometheusPoints } from './scrape/prometheus-points.js';
export {
  PATH_LABEL,
  PORT_LABEL,
  SCHEME_LABEL,
  SCRAPE_LABEL,
  scrapeTarget,
} from './scrape/prometheus-target.js';

// InfluxDB: the sink, and the one InfluxQL and /write client.
export { InfluxSink, type InfluxSinkDependencies } from './sink/influx-sink.js';
export { type V1Target, V1WriteTransport } from './sink/v1-transport.js';
export { createInfluxSink, type PreparedSink } from './sink/create-sink.js';

// Rollups: the aggregator, the sink decorator, the resolutions and their names.
export * from './rollup/index.js';
export {
  buildQueryRequest,
  type Epoch,
  type InfluxSeries,
  type InfluxTargetDb,
  type Precision,
  type QueryRequest,
  runInfluxQL,
  writeLines,
} from './influx/influxql.js';

// Telemetry.
export { InputErrors } from './telemetry/input-errors.js';
export { createLogger, type Logger } from './telemetry/logger.js';
export { SelfMetrics } from './telemetry/self-metrics.js';

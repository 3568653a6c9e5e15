// Rollups (issue #18): raw points aggregated per series into aligned windows, one retention
// policy / bucket per resolution. Re-exports only.
export { RollupAggregator, rollupPoints } from './aggregator.js';
export { FieldKinds, maxField, rollupFieldKind, SAMPLES_FIELD } from './field-rules.js';
export {
  parseRetentionMs,
  parseRollups,
  RAW_RETENTION_DEFAULT,
  ROLLUP_RESOLUTIONS,
  type RollupResolution,
  rollupRetentionPolicy,
  ROLLUPS_DEFAULT,
} from './resolutions.js';
export { ensureRetentionPolicies, goDurationMs, type InfluxStatement } from './retention-policies.js';
export { RollupSink, type RollupTarget } from './rollup-sink.js';
export { SeriesKeys } from './series-key.js';
export { SeriesWindow } from './series-window.js';
export { ROLLUP_BUCKET_FORMAT_DEFAULT, rollupBucket, rollupInfluxTarget } from './targets.js';

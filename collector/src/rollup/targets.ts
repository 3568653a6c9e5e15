import type { InfluxTarget } from '../config/config.js';
import type { RollupResolution } from './resolutions.js';

/** INFLUX_ROLLUP_BUCKET's default: `<bucket>_rollup_1m` on InfluxDB 2.x. */
export const ROLLUP_BUCKET_FORMAT_DEFAULT = '{bucket}_{rp}';

/** A rollup bucket's name: `{bucket}` is INFLUX_BUCKET, `{rp}` the resolution's policy name. */
export function rollupBucket(format: string, bucket: string, retentionPolicy: string): string {
  return format.replaceAll('{bucket}', bucket).replaceAll('{rp}', retentionPolicy);
}

/**
 * Where one resolution is written: on v1 the same database with the resolution's retention
 * policy (created by the raw sink's prepare, not per resolution); on v2 the bucket named by
 * the format (`{bucket}_{rp}` for 2.x, `{bucket}/{rp}` for 3 Core's db/rp naming).
 */
export function rollupInfluxTarget(
  target: InfluxTarget,
  resolution: RollupResolution,
  bucketFormat: string,
): InfluxTarget {
  if (target.api === 'v1') return { ...target, rp: resolution.retentionPolicy, createDatabase: false };
  return { ...target, bucket: rollupBucket(bucketFormat, target.bucket, resolution.retentionPolicy) };
}

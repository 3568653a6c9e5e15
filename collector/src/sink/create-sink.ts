import type { CollectorConfig, InfluxTarget } from '../config/config.js';
import type { PointSink } from '../model/point-sink.js';
import { ensureRetentionPolicies } from '../rollup/retention-policies.js';
import { RollupSink } from '../rollup/rollup-sink.js';
import { rollupInfluxTarget } from '../rollup/targets.js';
import { InfluxSink, type InfluxSinkDependencies } from './influx-sink.js';

/** The daemon's sink, and the one-time setup to run before the first write. */
export interface PreparedSink extends PointSink {
  /** v1 with INFLUX_CREATE_DATABASE: the database and the rollups' retention policies; never throws. */
  prepare(): Promise<void>;
}

/**
 * The InfluxDB sink of a configuration: raw points as configured, and with ROLLUPS one more
 * InfluxSink per resolution behind a RollupSink (see rollup/). Each sink batches and retries
 * on its own, so an outage of one target never holds up another.
 */
export function createInfluxSink(
  target: InfluxTarget,
  config: Pick<CollectorConfig, 'write' | 'rollups'>,
  deps: Omit<InfluxSinkDependencies, 'afterCreateDatabase'>,
): PreparedSink {
  const { resolutions, bucketFormat } = config.rollups;
  const raw = new InfluxSink(target, config.write, {
    ...deps,
    afterCreateDatabase: async (run) => {
      const ran = await ensureRetentionPolicies(run, target.api === 'v1' ? target.db : '', resolutions);
      for (const statement of ran) deps.logger.info({ statement }, 'rollup retention policy set');
    },
  });
  if (resolutions.length === 0) return raw;
  const rollups = resolutions.map((resolution) => ({
    resolution,
    sink: new InfluxSink(rollupInfluxTarget(target, resolution, bucketFormat), config.write, deps),
  }));
  const sink = new RollupSink(raw, rollups, deps.metrics);
  return {
    add: (point) => sink.add(point),
    flush: () => sink.flush(),
    close: () => sink.close(),
    prepare: () => raw.prepare(),
  };
}

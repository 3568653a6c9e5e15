// Databases with the rollups' retention policies, and synthetic data written at every
// resolution: raw points as they are, rollup points aggregated from the same points by the
// contract's rules (grafana's rollupPoints).
import type { Point } from '@dockwatch/collector';
import {
  type Resolution,
  RESOLUTIONS,
  rollupLines,
  toLineProtocolLines,
  writeAll,
  type WriteTarget,
} from '@dockwatch/grafana';
import { createDatabase, influxQuery } from './influx.js';

/**
 * A database with `rollup_1m` and `rollup_1h`. Tests keep everything (INF): InfluxDB's
 * retention service would otherwise delete the old shard groups the old-range proofs write.
 */
export async function createDatabaseWithRollups(url: string, db: string): Promise<void> {
  await createDatabase(url, db);
  await createRollupPolicies(url, db);
}

export async function createRollupPolicies(url: string, db: string): Promise<void> {
  for (const resolution of RESOLUTIONS) {
    if (!resolution.retentionPolicy) continue;
    await influxQuery(
      url,
      db,
      `CREATE RETENTION POLICY "${resolution.retentionPolicy}" ON "${db}" DURATION INF REPLICATION 1`,
    );
  }
}

/**
 * Writes `points()` raw (when `raw`) and rolled up at each of `rollups`; `points` is called
 * once per resolution so that a month of points never sits in memory.
 */
export async function writeResolutions(
  target: WriteTarget,
  points: () => Iterable<Point>,
  { raw, rollups }: { raw: boolean; rollups: readonly Resolution[] },
): Promise<void> {
  if (raw) await writeAll(target, toLineProtocolLines(points()));
  for (const resolution of rollups)
    await writeAll(
      { ...target, retentionPolicy: resolution.retentionPolicy },
      rollupLines(points(), resolution),
    );
}

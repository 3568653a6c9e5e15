import type { InfluxSeries } from '../influx/influxql.js';
import { parseRetentionMs, type RollupResolution } from './resolutions.js';

/** Runs one InfluxQL statement against the database's server; the first result's series. */
export type InfluxStatement = (statement: string) => Promise<InfluxSeries[]>;

const GO_UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 1e-3,
  µs: 1e-3,
  ns: 1e-6,
};

/** A Go duration as SHOW RETENTION POLICIES prints it (`2160h0m0s`, `0s` = forever), in ms. */
export function goDurationMs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(h|m|s|ms|us|µs|ns))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) {
    total += Number(amount) * (GO_UNIT_MS[unit ?? ''] ?? Number.NaN);
  }
  return total;
}

/** InfluxDB 1.x's own shard group duration for a retention (what CREATE picks without SHARD DURATION). */
function defaultShardDuration(retentionMs: number): string {
  if (retentionMs < 2 * 86_400_000) return '1h';
  if (retentionMs <= 180 * 86_400_000) return '1d';
  return '7d';
}

const quote = (name: string): string => `"${name.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;

/**
 * Makes each resolution's retention policy exist in `db` with its configured duration:
 * CREATE when missing, ALTER when its duration differs, nothing otherwise. Never the
 * default policy, and never DEFAULT. Returns the statements it ran.
 */
export async function ensureRetentionPolicies(
  run: InfluxStatement,
  db: string,
  resolutions: readonly RollupResolution[],
): Promise<string[]> {
  if (resolutions.length === 0) return [];
  const existing = new Map<string, number | undefined>();
  for (const series of await run(`SHOW RETENTION POLICIES ON ${quote(db)}`)) {
    const name = series.columns.indexOf('name');
    const duration = series.columns.indexOf('duration');
    for (const row of series.values) {
      existing.set(String(row[name]), goDurationMs(String(row[duration])));
    }
  }
  const ran: string[] = [];
  for (const { retentionPolicy, retention } of resolutions) {
    const wantedMs = parseRetentionMs(retention);
    if (wantedMs === undefined) throw new Error(`bad retention ${retention} for ${retentionPolicy}`);
    const target = `${quote(retentionPolicy)} ON ${quote(db)}`;
    let statement: string | undefined;
    if (!existing.has(retentionPolicy)) {
      statement = `CREATE RETENTION POLICY ${target} DURATION ${retention} REPLICATION 1`;
    } else if (existing.get(retentionPolicy) !== wantedMs) {
      statement = `ALTER RETENTION POLICY ${target} DURATION ${retention} SHARD DURATION ${defaultShardDuration(wantedMs)}`;
    }
    if (statement === undefined) continue;
    await run(statement);
    ran.push(statement);
  }
  return ran;
}

// InfluxDB 1.x HTTP helpers for tests, over the repository's one InfluxQL and /write client
// (the one grafana and the benchmarks use). The collector writes through the influx client's
// WriteApi, not through these, so a bug in its write path cannot hide itself here.
import { randomBytes } from 'node:crypto';
import { type InfluxSeries, runInfluxQL, writeLines as writeLineProtocol } from '@dockwatch/collector';

export type Series = InfluxSeries;

export function uniqueDatabase(prefix = 'test'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Runs InfluxQL (POST /query, epoch=ms) and returns the first statement's series. */
export function influxQuery(url: string, db: string, q: string): Promise<Series[]> {
  return runInfluxQL({ influxUrl: url, db }, q);
}

export async function createDatabase(url: string, db: string): Promise<void> {
  await influxQuery(url, db, `CREATE DATABASE "${db}"`);
}

export async function dropDatabase(url: string, db: string): Promise<void> {
  await influxQuery(url, db, `DROP DATABASE "${db}"`);
}

/** Writes line protocol through the v1 /write endpoint (ns precision). */
export function writeLines(url: string, db: string, lines: string[]): Promise<void> {
  return writeLineProtocol({ influxUrl: url, db }, lines);
}

/** Polls `read` until `done` accepts its result or the timeout passes; returns the last result. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 500 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

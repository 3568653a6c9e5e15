// Minimal InfluxDB 1.x HTTP helpers for tests: they talk to the real server with fetch,
// independently of the collector's own client, so a collector bug cannot hide itself.
import { randomBytes } from 'node:crypto';

export interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface QueryResponse {
  results?: Array<{ statement_id: number; series?: Series[]; error?: string }>;
  error?: string;
}

export function uniqueDatabase(prefix = 'test'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** Runs InfluxQL (POST /query, epoch=ms) and returns the first statement's series. */
export async function influxQuery(url: string, db: string, q: string): Promise<Series[]> {
  const body = new URLSearchParams({ db, q, epoch: 'ms' });
  const response = await fetch(`${url}/query`, { method: 'POST', body });
  const json = (await response.json()) as QueryResponse;
  const first = json.results?.[0];
  const error = json.error ?? first?.error;
  if (!response.ok || error) throw new Error(`InfluxQL failed (${response.status}): ${error ?? ''}\n${q}`);
  return first?.series ?? [];
}

export async function createDatabase(url: string, db: string): Promise<void> {
  await influxQuery(url, db, `CREATE DATABASE "${db}"`);
}

export async function dropDatabase(url: string, db: string): Promise<void> {
  await influxQuery(url, db, `DROP DATABASE "${db}"`);
}

/** Writes line protocol through the v1 /write endpoint (ns precision). */
export async function writeLines(url: string, db: string, lines: string[]): Promise<void> {
  const response = await fetch(`${url}/write?db=${encodeURIComponent(db)}&precision=ns`, {
    method: 'POST',
    body: lines.join('\n'),
  });
  if (response.status !== 204) throw new Error(`write failed (${response.status}): ${await response.text()}`);
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

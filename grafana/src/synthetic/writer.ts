// Writes synthetic line protocol to InfluxDB in batches, through the collector package's
// /write client.
import { type InfluxTargetDb, writeLines } from '@dockwatch/collector';

/** A database, and the retention policy to write into (a rollup's; unset: the default policy). */
export type WriteTarget = InfluxTargetDb & { retentionPolicy?: string };

export async function writeBatch(target: WriteTarget, lines: string[]): Promise<void> {
  if (target.retentionPolicy === undefined) {
    await writeLines(target, lines, { precision: 'ns' });
    return;
  }
  // The collector's client writes to the default policy only; rollups go to their own (1.x /write `rp`).
  const query = new URLSearchParams({ db: target.db, rp: target.retentionPolicy, precision: 'ns' });
  const response = await fetch(`${target.influxUrl.replace(/\/$/, '')}/write?${query.toString()}`, {
    method: 'POST',
    headers: target.token ? { authorization: `Token ${target.token}` } : {},
    body: lines.join('\n'),
  });
  if (response.status !== 204) throw new Error(`write failed (${response.status}): ${await response.text()}`);
}

/** Streams `lines` in batches of `batchSize`, with up to `concurrency` writes in flight; returns the line count. */
export async function writeAll(
  target: WriteTarget,
  lines: Iterable<string>,
  { batchSize = 5000, concurrency = 2 } = {},
): Promise<number> {
  const inFlight = new Set<Promise<void>>();
  let batch: string[] = [];
  let count = 0;
  const flush = async () => {
    const pending = writeBatch(target, batch);
    batch = [];
    const tracked = pending.finally(() => inFlight.delete(tracked));
    // Observed here so a failure waits for the next race (or the final wait) instead of crashing the process.
    tracked.catch(() => undefined);
    inFlight.add(tracked);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };
  for (const text of lines) {
    batch.push(text);
    count += 1;
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  return count;
}

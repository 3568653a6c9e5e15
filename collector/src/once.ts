import type { Writable } from 'node:stream';
import { Collector, type CollectorDependencies } from './collector.js';
import type { CollectorConfig } from './config/config.js';
import { ArrayAccumulator } from './model/accumulator.js';
import { LineProtocolWriter } from './schema/line-protocol.js';

/**
 * `collector --once`, like `telegraf --test`: takes the two samples CPU % needs (the first
 * only primes the previous sample, about a second earlier), then prints the second gather as
 * line protocol.
 */
export async function runOnce(
  config: CollectorConfig,
  out: Writable,
  deps: CollectorDependencies = {},
): Promise<number> {
  // No docker_disk_usage: a /system/df sweep costs the engine seconds of CPU (which would
  // also skew the CPU % of the very samples printed) and would seldom end within two gathers.
  const collector = new Collector({ ...config, diskUsageIntervalMs: undefined }, deps);
  await collector.connect({ followEvents: false });
  await collector.gather(new ArrayAccumulator(), { includeSelf: false });
  // The fast path reads the counters at once, where a one-shot API call waits for the Engine's
  // next 1 s cycle: wait the same, so CPU % compares two samples a second apart.
  if (collector.statsSourceChoice?.source === 'cgroupfs') await new Promise((r) => setTimeout(r, 1_000));
  const acc = new ArrayAccumulator();
  await collector.gather(acc, { includeSelf: false });
  const writer = new LineProtocolWriter();
  for (const point of acc.points) out.write(`${writer.line(point)}\n`);
  return acc.points.length;
}

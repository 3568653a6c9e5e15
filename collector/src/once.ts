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
  const collector = new Collector(config, deps);
  await collector.connect({ followEvents: false });
  await collector.gather(new ArrayAccumulator(), { includeSelf: false });
  // The fast path reads the counters at once, where a one-shot API call waits for the Engine's
  // next 1 s cycle: wait the same, so CPU % compares two samples a second apart.
  if (collector.statsSourceChoice?.source === 'cgroupfs') await new Promise((r) => setTimeout(r, 1_000));
  const acc = new ArrayAccumulator();
  await collector.gather(acc, { includeSelf: false });
  const writer = new LineProtocolWriter();
  for (const point of acc.points) out.write(`${writer.line(point)}\n`);
  // Closes the inputs: a disk-usage sweep still running must not keep the process alive.
  await collector.stop();
  return acc.points.length;
}

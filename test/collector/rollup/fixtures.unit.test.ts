// One test per folder of test/fixtures/rollups/<case>/:
//   options.json  { window: "10s", late: <points expected to be late> }
//   input.lp      raw line protocol, in arrival order, with `# flush` and `# close` lines where
//                 the collector would flush or shut down (other `#` lines are comments)
//   expected.lp   what the rollup sink wrote: after each `# flush` / `# close`, the rollup
//                 lines it produced, sorted (a file snapshot: `-u` rewrites it, review the diff)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseDurationMs,
  parseLineProtocol,
  type Point,
  type PointSink,
  rollupRetentionPolicy,
  RollupSink,
  SelfMetrics,
  toLineProtocol,
} from '@dockwatch/collector';

const DIR = fileURLToPath(new URL('../../fixtures/rollups/', import.meta.url));

/** A sink that keeps what it is given, and whether it was closed. */
class MemorySink implements PointSink {
  readonly points: Point[] = [];
  closed = 0;
  add(point: Point): void {
    this.points.push(point);
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

async function lateCount(metrics: SelfMetrics, resolution: string): Promise<number> {
  const values = (await metrics.rollupLatePoints.get()).values;
  return values.find((v) => v.labels.resolution === resolution)?.value ?? 0;
}

const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe('rollup fixture folders', () => {
  it('include every required case', () => {
    expect(cases).toEqual(
      expect.arrayContaining([
        'gauge-mean-max',
        'counter-reset-inside-window',
        'counter-reset-across-windows',
        'info-last',
        'samples-partial-close',
        'window-alignment',
        'late-point',
        'prometheus-unknown-fields',
        'field-gone-next-window',
      ]),
    );
  });

  it.each(cases)('%s rolls up to its expected.lp', async (name) => {
    const options = JSON.parse(readFileSync(join(DIR, name, 'options.json'), 'utf8')) as {
      window: string;
      late: number;
    };
    const windowMs = parseDurationMs(options.window);
    if (windowMs === undefined) throw new Error(`${name}: bad window ${options.window}`);
    const resolution = {
      name: options.window,
      windowMs,
      retentionPolicy: rollupRetentionPolicy(options.window),
      retention: '1h',
    };
    const raw = new MemorySink();
    const rollup = new MemorySink();
    const metrics = new SelfMetrics();
    const sink = new RollupSink(raw, [{ resolution, sink: rollup }], metrics);
    let output = '';
    let added = 0;
    const emitted = () => {
      const lines = rollup.points.splice(0).map(toLineProtocol).sort();
      return lines.map((line) => `${line}\n`).join('');
    };
    for (const line of readFileSync(join(DIR, name, 'input.lp'), 'utf8').split('\n')) {
      if (line.startsWith('# flush')) {
        await sink.flush();
        output += `# flush\n${emitted()}`;
      } else if (line.startsWith('# close')) {
        await sink.close();
        output += `# close\n${emitted()}`;
      } else if (line.trim() !== '' && !line.startsWith('#')) {
        sink.add(parseLineProtocol(line));
        added++;
      }
    }
    // Raw points pass through unchanged, late ones included.
    expect(raw.points).toHaveLength(added);
    expect(await lateCount(metrics, options.window)).toBe(options.late);
    await expect(output).toMatchFileSnapshot(join(DIR, name, 'expected.lp'));
  });
});

// The host measurements (cpu, mem, system) over recorded and crafted /proc files, one case per
// folder of test/fixtures/host-inputs/<case>/:
//   options.json   { host, perDevice, time }   (time: ns string)
//   stat.previous  optional: the previous gather's /proc/stat
//   stat, meminfo, loadavg, uptime   optional: a file left out is one that could not be read
//   expected.lp    the points, sorted line protocol, then `# problem` lines for what was reported
// Expected outputs are file snapshots: `npx vitest run --project unit <this file> -u` rewrites
// them, and the diff is reviewed by hand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  deriveHostPoints,
  type FieldValue,
  type HostGather,
  MEASUREMENT,
  MEASUREMENTS,
  type ProcTexts,
  toLineProtocol,
  type ValueType,
} from '@dockwatch/collector';

const FIXTURES = fileURLToPath(new URL('../../fixtures/host-inputs/', import.meta.url));
const FILES = ['stat', 'meminfo', 'loadavg', 'uptime'] as const;

interface CaseOptions {
  host: string;
  perDevice: boolean;
  time: string;
}

const names = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Two gathers, as the input makes them: stat.previous alone, then the current files. */
function gather(name: string): HostGather {
  const dir = join(FIXTURES, name);
  const text = (file: string) =>
    existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'latin1') : undefined;
  const raw = JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as CaseOptions;
  const options = { host: raw.host, perDevice: raw.perDevice, time: BigInt(raw.time) };
  const previousText = text('stat.previous');
  const previous =
    previousText === undefined
      ? undefined
      : deriveHostPoints(undefined, { stat: previousText }, options).stat;
  const texts: ProcTexts = {};
  for (const file of FILES) {
    const content = text(file);
    if (content !== undefined) texts[file] = content;
  }
  return deriveHostPoints(previous, texts, options);
}

function rendered({ points, problems }: HostGather): string {
  const lines = points.map(toLineProtocol).sort();
  const notes = problems.map((p) => `# problem ${p.reason} ${p.file}: ${p.message}`);
  return `${[...lines, ...notes].join('\n')}\n`;
}

function valueType(value: FieldValue): ValueType {
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'float';
  return typeof value === 'string' ? 'string' : 'boolean';
}

describe('host fixtures', () => {
  it('include every required case', () => {
    expect(names).toEqual(
      expect.arrayContaining([
        'recorded',
        'first-gather',
        'totals-only',
        'steal-guest',
        'cpu-offline',
        'counter-decrease',
        'counter-reset',
        'no-tick',
        'malformed',
        'old-kernel',
      ]),
    );
  });

  it.each(names)('%s derives its expected.lp', async (name) => {
    await expect(rendered(gather(name))).toMatchFileSnapshot(join(FIXTURES, name, 'expected.lp'));
  });

  it.each(names)('%s writes only catalogued tags and fields, of the catalogued type', (name) => {
    const wrong: string[] = [];
    for (const point of gather(name).points) {
      const spec = MEASUREMENTS.find((measurement) => measurement.name === point.measurement);
      if (spec === undefined) {
        wrong.push(`measurement ${point.measurement}`);
        continue;
      }
      for (const tag of Object.keys(point.tags)) {
        if (!spec.tags.some((t) => t.name === tag)) wrong.push(`${point.measurement} tag ${tag}`);
      }
      for (const [field, value] of Object.entries(point.fields)) {
        const type = spec.fields.find((f) => f.name === field)?.type;
        if (type !== valueType(value))
          wrong.push(`${point.measurement} ${field}: ${valueType(value)} vs ${type}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(names)('%s: every cpu point has all ten shares, none negative, summing to 100', (name) => {
    for (const point of gather(name).points.filter((p) => p.measurement === MEASUREMENT.hostCpu)) {
      const shares = Object.values(point.fields).map(Number);
      expect(shares).toHaveLength(10);
      expect(shares.every((share) => share >= 0)).toBe(true);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    }
  });

  it('subtracts guest from user and guest_nice from nice, as Telegraf does', () => {
    const cpu0 = gather('steal-guest').points.find((p) => p.tags.cpu === 'cpu0');
    const expected = { usage_user: 10, usage_nice: 1, usage_guest: 50, usage_guest_nice: 4, usage_steal: 25 };
    for (const [field, share] of Object.entries(expected)) expect(cpu0?.fields[field]).toBeCloseTo(share, 9);
  });

  it('is the mem arithmetic of gopsutil: cached includes SReclaimable, used excludes it', () => {
    const meminfo = readFileSync(join(FIXTURES, 'recorded', 'meminfo'), 'latin1');
    const kB = (key: string) =>
      BigInt(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 'x') * 1024n;
    const mem = gather('recorded').points.find((p) => p.measurement === MEASUREMENT.hostMem);
    const cached = kB('Cached') + kB('SReclaimable');
    expect(mem?.fields).toMatchObject({
      total: kB('MemTotal'),
      available: kB('MemAvailable'),
      cached,
      used: kB('MemTotal') - kB('MemFree') - kB('Buffers') - cached,
    });
  });
});

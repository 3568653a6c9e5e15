// The engine-wide derivations, one test per fixture folder under test/fixtures/engine/:
//   info/<case>/        info.json (GET /info), engine.json, options.json {time}
//   disk-usage/<case>/  df.json (GET /system/df), engine.json, options.json {time, filter}
//   disk/<case>/        statfs.json, mountinfo (/proc/1/mountinfo), engine.json, options.json {time, path}
// and expected.lp, the derived points as sorted line protocol (file snapshots: after
// re-recording, `npx vitest run test/collector/derive -u` rewrites them; review the diff).
// Recorded cases come from test/fixtures/engine/record.mjs; `constructed-*` ones are written
// by hand for what this engine does not produce (-1 sizes, overmounts, escapes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ContainerFilter,
  type ContainerFilterConfig,
  type DiskUsage,
  diskPoint,
  diskUsagePoints,
  type DockerInfo,
  type EngineInfo,
  enginePoint,
  type FieldValue,
  MEASUREMENTS,
  mountHolding,
  parseMountInfo,
  type Point,
  type ValueType,
} from '@dockwatch/collector';
import { sortedLineProtocol } from './fixture-cases.js';

const ROOT = fileURLToPath(new URL('../../fixtures/engine/', import.meta.url));

const readJson = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
const cases = (kind: string): string[] =>
  readdirSync(join(ROOT, kind), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(kind, entry.name))
    .sort();

const derive: Record<string, (dir: string) => Point[]> = {
  info: (dir) => {
    const point = enginePoint(
      readJson<DockerInfo>(dir, 'info.json'),
      readJson<EngineInfo>(dir, 'engine.json'),
      BigInt(readJson<{ time: string }>(dir, 'options.json').time),
    );
    return point === undefined ? [] : [point];
  },
  'disk-usage': (dir) => {
    const options = readJson<{ time: string; filter: ContainerFilterConfig }>(dir, 'options.json');
    return diskUsagePoints(
      readJson<DiskUsage>(dir, 'df.json'),
      readJson<EngineInfo>(dir, 'engine.json'),
      BigInt(options.time),
      new ContainerFilter(options.filter),
    );
  },
  disk: (dir) => {
    const options = readJson<{ time: string; path: string }>(dir, 'options.json');
    const raw = readJson<Record<string, string>>(dir, 'statfs.json');
    const stats = {
      bsize: BigInt(raw.bsize ?? ''),
      blocks: BigInt(raw.blocks ?? ''),
      bfree: BigInt(raw.bfree ?? ''),
      bavail: BigInt(raw.bavail ?? ''),
      files: BigInt(raw.files ?? ''),
      ffree: BigInt(raw.ffree ?? ''),
    };
    const mounts = parseMountInfo(readFileSync(join(dir, 'mountinfo'), 'utf8'));
    const place = {
      host: readJson<EngineInfo>(dir, 'engine.json').host,
      path: options.path,
      mount: mountHolding(mounts, options.path),
    };
    return [diskPoint(stats, place, BigInt(options.time))];
  },
};

const all = Object.keys(derive).flatMap(cases);

function valueType(value: FieldValue): ValueType {
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'float';
  return typeof value === 'string' ? 'string' : 'boolean';
}

describe('engine fixture folders', () => {
  it('hold a recorded case of each kind', () => {
    for (const kind of Object.keys(derive)) expect(cases(kind).length, kind).toBeGreaterThan(0);
  });

  it.each(all)('%s derives its expected.lp', async (name) => {
    const kind = name.split('/')[0] ?? '';
    const points = derive[kind]?.(join(ROOT, name)) ?? [];
    expect(points.length).toBeGreaterThan(0);
    await expect(sortedLineProtocol(points)).toMatchFileSnapshot(join(ROOT, name, 'expected.lp'));
  });

  it('write only catalogued measurements, tags and fields, of the catalogued type', () => {
    const missing: string[] = [];
    for (const name of all) {
      const kind = name.split('/')[0] ?? '';
      for (const point of derive[kind]?.(join(ROOT, name)) ?? []) {
        const spec = MEASUREMENTS.find((measurement) => measurement.name === point.measurement);
        if (spec === undefined) {
          missing.push(`${name}: measurement ${point.measurement}`);
          continue;
        }
        for (const tag of Object.keys(point.tags))
          if (!spec.tags.some((tagSpec) => tagSpec.name === tag)) missing.push(`${name}: tag ${tag}`);
        for (const [field, value] of Object.entries(point.fields)) {
          const fieldSpec = spec.fields.find((candidate) => candidate.name === field);
          if (fieldSpec?.type !== valueType(value))
            missing.push(`${name}: field ${field} (${valueType(value)})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

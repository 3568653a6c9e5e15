// The catalogue (collector/src/schema/metrics.ts), the README's "## Metrics" tables and what
// the derivations emit for every fixture must agree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTAINER_TAGS, MEASUREMENTS, type ValueType, type FieldValue } from '@dockwatch/collector';
import { fixtureNames, fixturePoints, loadFixture } from './fixture-cases.js';

const README = fileURLToPath(new URL('../../../collector/README.md', import.meta.url));
const CONTAINER_TAG_SECTION = 'container tags';

/** "section|tag|name|string|-|-" or "section|field|name|type|unit|kind" for every catalogue entry. */
function catalogueRows(): Set<string> {
  const rows = new Set<string>();
  for (const tag of CONTAINER_TAGS) rows.add(`${CONTAINER_TAG_SECTION}|tag|${tag.name}|string|-|-`);
  for (const measurement of MEASUREMENTS) {
    for (const tag of measurement.tags) rows.add(`${measurement.name}|tag|${tag.name}|string|-|-`);
    for (const field of measurement.fields) {
      rows.add(`${measurement.name}|field|${field.name}|${field.type}|${field.unit}|${field.kind}`);
    }
  }
  return rows;
}

/** The same rows, read from the tables under "## Metrics" in the README. */
function readmeRows(): Set<string> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('\n## Metrics');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  const rows = new Set<string>();
  let heading = '';
  for (const line of section.split('\n')) {
    const headingMatch = /^### (.+)$/.exec(line);
    if (headingMatch?.[1] !== undefined) {
      heading = headingMatch[1].replaceAll('`', '').trim().toLowerCase();
      continue;
    }
    const cells = /^\| `([^`]+)` \| (tag|field) \| (\w+) \| ([^|]+?) \| ([^|]+?) \| .* \|$/.exec(line);
    if (cells === null) continue;
    const [, name, what, type, unit, kind] = cells;
    rows.add(`${heading}|${what}|${name}|${type}|${unit}|${kind}`);
  }
  return rows;
}

function valueType(value: FieldValue): ValueType {
  switch (typeof value) {
    case 'bigint':
      return 'integer';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    default:
      return 'boolean';
  }
}

describe('metrics catalogue', () => {
  it('calls every string and boolean field info (rollups keep their last value; queries, seeing no value, go by the kind)', () => {
    const misfiled = MEASUREMENTS.flatMap((spec) =>
      spec.fields
        .filter((field) => (field.type === 'string' || field.type === 'boolean') && field.kind !== 'info')
        .map((field) => `${spec.name} ${field.name}`),
    );
    expect(misfiled).toEqual([]);
  });

  it('has no duplicate entries', () => {
    for (const measurement of MEASUREMENTS) {
      const names = measurement.fields.map((field) => field.name);
      expect(new Set(names).size, measurement.name).toBe(names.length);
    }
    expect(new Set(MEASUREMENTS.map((measurement) => measurement.name)).size).toBe(MEASUREMENTS.length);
  });

  it('covers every measurement, tag and field the fixtures derive, with the right type', () => {
    const containerTagNames = new Set(CONTAINER_TAGS.map((tag) => tag.name));
    const missing: string[] = [];
    let checked = 0;
    for (const name of fixtureNames()) {
      const fixture = loadFixture(name);
      const allowlisted = new Set(fixture.input.options.labelAllowlist);
      for (const point of fixturePoints(fixture)) {
        checked++;
        const spec = MEASUREMENTS.find((measurement) => measurement.name === point.measurement);
        if (spec === undefined) {
          missing.push(`${name}: measurement ${point.measurement}`);
          continue;
        }
        for (const tag of Object.keys(point.tags)) {
          const known =
            spec.tags.some((tagSpec) => tagSpec.name === tag) ||
            (spec.containerTags && (containerTagNames.has(tag) || allowlisted.has(tag)));
          if (!known) missing.push(`${name}: ${point.measurement} tag ${tag}`);
        }
        for (const [field, value] of Object.entries(point.fields)) {
          const fieldSpec = spec.fields.find((candidate) => candidate.name === field);
          if (fieldSpec === undefined) missing.push(`${name}: ${point.measurement} field ${field}`);
          else if (fieldSpec.type !== valueType(value)) {
            missing.push(
              `${name}: ${point.measurement} field ${field} is ${valueType(value)}, catalogue says ${fieldSpec.type}`,
            );
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('is listed in full in the README', () => {
    const documented = readmeRows();
    expect([...catalogueRows()].filter((row) => !documented.has(row))).toEqual([]);
  });

  it('documents nothing in the README that the catalogue lacks', () => {
    const catalogued = catalogueRows();
    const rows = [...readmeRows()];
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.filter((row) => !catalogued.has(row))).toEqual([]);
  });
});

import { Point as ClientPoint } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import type { Point } from '../../../collector/src/model/point.js';
import { toLineProtocol } from '../../../collector/src/schema/line-protocol.js';
import { fixtureNames, fixturePoints, loadFixture } from './fixture-cases.js';

describe('toLineProtocol', () => {
  it('writes bigints as exact integers, numbers as floats, strings and booleans', () => {
    const line = toLineProtocol({
      measurement: 'docker_container_mem',
      tags: { container_name: 'web 1', empty: '' },
      fields: {
        limit: 9223372036854771712n,
        small: -3n,
        usage_percent: 12.5,
        whole: 5,
        container_id: 'ab"c',
        oomkilled: true,
      },
      time: 1795263201123456789n,
    });
    expect(line).toBe(
      'docker_container_mem,container_name=web\\ 1 container_id="ab\\"c",limit=9223372036854771712i,oomkilled=T,small=-3i,usage_percent=12.5,whole=5 1795263201123456789',
    );
  });

  it('rejects integers outside int64 and points without fields', () => {
    expect(() => toLineProtocol({ measurement: 'm', tags: {}, fields: { x: 2n ** 63n }, time: 1n })).toThrow(
      RangeError,
    );
    expect(() => toLineProtocol({ measurement: 'm', tags: {}, fields: {}, time: 1n })).toThrow(/no fields/);
    expect(() => toLineProtocol({ measurement: 'm', tags: {}, fields: { x: Number.NaN }, time: 1n })).toThrow(
      /no fields/,
    );
  });

  it('drops trailing backslashes of tag keys and values, which InfluxDB would reject', () => {
    const line = toLineProtocol({
      measurement: 'm',
      tags: { a: 'ends with\\', 'k\\': 'v', only: '\\\\', mid: 'a\\b' },
      fields: { f: 1 },
      time: 1n,
    });
    expect(line).toBe('m,a=ends\\ with,k=v,mid=a\\b f=1 1');
  });
});

describe('toLineProtocol against the influx client Point (the oracle for escaping and order)', () => {
  const viaClient = (point: Point): string | undefined => {
    const line = new ClientPoint(point.measurement);
    for (const [key, value] of Object.entries(point.tags)) line.tag(key, value);
    for (const [name, value] of Object.entries(point.fields)) {
      if (typeof value === 'bigint') line.fields[name] = `${value}i`;
      else if (typeof value === 'number') line.floatField(name, value);
      else if (typeof value === 'string') line.stringField(name, value);
      else line.booleanField(name, value);
    }
    return line.timestamp(point.time.toString()).toLineProtocol();
  };
  const NASTY = [
    'plain',
    'sp ace',
    'com,ma',
    'eq=uals',
    'quo"te',
    'back\\slash',
    'new\nline',
    'tab\tcr\r',
    '中文 ✓',
    '\\,=\\ x',
  ];

  it('matches on every recorded fixture point', () => {
    const points = fixtureNames().flatMap((name) => fixturePoints(loadFixture(name)));
    expect(points.length).toBeGreaterThan(50);
    for (const point of points) expect(toLineProtocol(point)).toBe(viaClient(point));
  });

  it('matches on metacharacters in every position', () => {
    for (const text of NASTY) {
      const point: Point = {
        measurement: `m ${text}`,
        tags: { [`k${text}`]: `v${text}`, z: text, a: 'first' },
        fields: { [`f${text}`]: text, n: 1.5, i: -2n, b: false, [`x${text}`]: 1e21 },
        time: 1795263201123456789n,
      };
      expect(toLineProtocol(point)).toBe(viaClient(point));
    }
  });

  it('leaves out non-finite floats instead of failing the point', () => {
    expect(toLineProtocol({ measurement: 'm', tags: {}, fields: { a: Number.NaN, b: 1 }, time: 1n })).toBe(
      'm b=1 1',
    );
  });
});

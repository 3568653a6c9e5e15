import { Point as ClientPoint } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { DeriveMemo, withTag, toLineProtocol, type Point } from '@dockwatch/collector';
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

  it('reuses the tag section of a frozen tags object, and rebuilds it for one that may change', () => {
    const frozen = withTag(Object.freeze({ container_name: 'web' }), 'cpu', 'cpu-total', undefined);
    expect(withTag(Object.freeze({ container_name: 'web' }), 'cpu', 'cpu-total', undefined)).not.toBe(frozen);
    const first = toLineProtocol({ measurement: 'm', tags: frozen, fields: { b: 1, a: 2n }, time: 1n });
    const again = toLineProtocol({ measurement: 'm', tags: frozen, fields: { a: 3n, b: 4 }, time: 2n });
    expect([first, again]).toEqual([
      'm,container_name=web,cpu=cpu-total a=2i,b=1 1',
      'm,container_name=web,cpu=cpu-total a=3i,b=4 2',
    ]);
    const open: Record<string, string> = { container_name: 'web' };
    expect(toLineProtocol({ measurement: 'm', tags: open, fields: { f: 1 }, time: 1n })).toBe(
      'm,container_name=web f=1 1',
    );
    open.container_name = 'db';
    expect(toLineProtocol({ measurement: 'm', tags: open, fields: { f: 1 }, time: 1n })).toBe(
      'm,container_name=db f=1 1',
    );
  });
});

describe('withTag', () => {
  it('returns the same frozen object for the same base and tag from one memo, so gathers share it', () => {
    const memo = new DeriveMemo();
    const base = Object.freeze({ container_name: 'web' });
    const total = withTag(base, 'network', 'total', memo);
    expect(withTag(base, 'network', 'total', memo)).toBe(total);
    expect(total).toEqual({ container_name: 'web', network: 'total' });
    expect(Object.isFrozen(total)).toBe(true);
    expect(withTag(base, 'network', 'eth0', memo)).toEqual({ container_name: 'web', network: 'eth0' });
    expect(base).toEqual({ container_name: 'web' });
  });

  it('keeps nothing between calls without a memo, and nothing between two memos', () => {
    const base = Object.freeze({ container_name: 'web' });
    const once = withTag(base, 'network', 'total', undefined);
    expect(once).toEqual({ container_name: 'web', network: 'total' });
    expect(Object.isFrozen(once)).toBe(true);
    expect(withTag(base, 'network', 'total', undefined)).not.toBe(once);
    expect(withTag(base, 'network', 'total', new DeriveMemo())).not.toBe(
      withTag(base, 'network', 'total', new DeriveMemo()),
    );
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

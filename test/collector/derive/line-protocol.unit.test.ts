import { describe, expect, it } from 'vitest';
import { toLineProtocol } from '../../../collector/src/schema/line-protocol.js';

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

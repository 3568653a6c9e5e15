// The harness's judgement of one answer: what counts as "returns the expected containers".
import { describe, expect, it } from 'vitest';
import type { InfluxSeries, Panel } from '@dockwatch/grafana';
import { checkProof, panelMaxDataPoints } from '../support/grafana-harness.js';

const series = (
  container: string,
  values: Array<number | null>,
  tags: Record<string, string> = {},
): InfluxSeries => ({
  name: 'm',
  tags: { container_name: container, ...tags },
  columns: ['time', 'v'],
  values: values.map((v, i) => [i * 1000, v]),
});

const expected = {
  all: ['web', 'db', 'host-net'],
  cpuLimited: ['web'],
  hostNetwork: ['host-net'],
  kvstore: ['kv'],
};
const context = { expected, collector: true };

describe('checkProof', () => {
  it('accepts series covering every container of the set', () => {
    const answer = [series('web', [1]), series('db', [2]), series('host-net', [3])];
    expect(checkProof({ kind: 'containers', set: 'all' }, answer, context)).toBeUndefined();
  });

  it('names the containers without data, counting all-null series as missing', () => {
    const answer = [series('web', [1]), series('db', [null])];
    expect(checkProof({ kind: 'containers', set: 'all' }, answer, context)).toBe(
      'no data for container(s) db, host-net (all)',
    );
  });

  it('derives unlimited and networked sets from the others', () => {
    expect(checkProof({ kind: 'containers', set: 'cpuUnlimited' }, [series('db', [1])], context)).toContain(
      'host-net',
    );
    expect(
      checkProof({ kind: 'containers', set: 'networked' }, [series('web', [1]), series('db', [1])], context),
    ).toBeUndefined();
  });

  it('only asks an empty set for a query that runs', () => {
    expect(checkProof({ kind: 'containers', set: 'oomKilled' }, [], context)).toBeUndefined();
  });

  it('takes OOM kills from either source, and host-scoped container queries only with hosts', () => {
    const oom = { ...context, expected: { ...expected, oomKilled: ['web'], oomKillCounted: ['db'] } };
    expect(checkProof({ kind: 'containers', set: 'oomAny' }, [series('web', [1])], oom)).toBe(
      'no data for container(s) db (oomAny)',
    );
    const scoped = { kind: 'containers', set: 'all', onlyWithHosts: true } as const;
    expect(checkProof(scoped, [], context)).toBeUndefined();
    const withHosts = { ...context, expected: { ...expected, hosts: { all: ['node-a'] } } };
    expect(checkProof(scoped, [], withHosts)).toContain('web');
  });

  it('names the hosts without data, by the tag the proof names', () => {
    const withHosts = {
      ...context,
      expected: { ...expected, hosts: { all: ['node-a', 'node-b'], diskFilling: ['node-b'] } },
    };
    const host = (name: string, values: Array<number | null>) => ({
      ...series('', values),
      tags: { host: name },
    });
    expect(
      checkProof(
        { kind: 'hosts', tag: 'host', set: 'all' },
        [host('node-a', [1]), host('node-b', [null])],
        withHosts,
      ),
    ).toBe('no data for host(s) node-b (all)');
    expect(
      checkProof({ kind: 'hosts', tag: 'engine_host', set: 'all' }, [host('node-a', [1])], withHosts),
    ).toContain('node-a, node-b');
    expect(
      checkProof({ kind: 'hosts', tag: 'host', set: 'diskFilling' }, [host('node-b', [1])], withHosts),
    ).toBeUndefined();
    // Without host expectations, host queries only have to run.
    expect(checkProof({ kind: 'hosts', tag: 'host', set: 'all' }, [], context)).toBeUndefined();
  });

  it('restricts sets to the containers a scenario selects', () => {
    const only = { ...context, only: new Set(['db']) };
    expect(checkProof({ kind: 'containers', set: 'cpuLimited' }, [], only)).toBeUndefined();
    expect(checkProof({ kind: 'containers', set: 'all' }, [], only)).toContain('db');
  });

  it('wants numbers for values and metrics, and the group tag on every series', () => {
    expect(checkProof({ kind: 'values' }, [], context)).toBe('no values');
    expect(checkProof({ kind: 'values' }, [series('x', [null])], context)).toBe('no values');
    // An event count is only required to have values when the scenario has such an event.
    expect(checkProof({ kind: 'values', whenAny: 'oomKilled' }, [], context)).toBeUndefined();
    const withOom = { ...context, expected: { ...expected, oomKilled: ['db'] } };
    expect(checkProof({ kind: 'values', whenAny: 'oomKilled' }, [], withOom)).toBe('no values');
    const kv = [series('kv', [0.5], { route: '/kv/:key' })];
    expect(checkProof({ kind: 'metric', source: 'kvstore', groupTag: 'route' }, kv, context)).toBeUndefined();
    expect(checkProof({ kind: 'metric', source: 'kvstore', groupTag: 'op' }, kv, context)).toBe(
      'series without tag op',
    );
    expect(checkProof({ kind: 'metric', source: 'kvstore', groupTag: 'container_name' }, [], context)).toBe(
      'no kvstore values',
    );
  });

  it('skips kvstore and collector proofs when the data has neither', () => {
    const bare = { expected: { all: ['web'] }, collector: false };
    expect(checkProof({ kind: 'metric', source: 'kvstore' }, [], bare)).toBeUndefined();
    expect(checkProof({ kind: 'metric', source: 'collector' }, [], bare)).toBeUndefined();
  });

  it('checks variable options', () => {
    const options: InfluxSeries[] = [
      { name: 'm', columns: ['key', 'value'], values: [['container_name', 'web']] },
    ];
    expect(checkProof({ kind: 'variable-containers', set: 'cpuLimited' }, options, context)).toBeUndefined();
    expect(checkProof({ kind: 'variable-containers', set: 'all' }, options, context)).toBe(
      'variable lacks db, host-net',
    );
    expect(checkProof({ kind: 'variable-hosts' }, [], context)).toBe('no hosts');
  });
});

describe('panelMaxDataPoints', () => {
  const panel = (w: number, maxDataPoints?: number) =>
    ({ gridPos: { x: 0, y: 0, w, h: 8 }, ...(maxDataPoints ? { maxDataPoints } : {}) }) as Panel;

  it('is the panel width in pixels on an 1800 px dashboard, unless fixed', () => {
    expect(panelMaxDataPoints(panel(24))).toBe(1800);
    expect(panelMaxDataPoints(panel(12))).toBe(900);
    expect(panelMaxDataPoints(panel(6, 100))).toBe(100);
  });
});

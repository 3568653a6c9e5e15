// The dashboards choose the resolution from the range (issue #18): three targets per query,
// each guarded, rollups read with the contract's field rules, alerts on raw points only.
import { describe, expect, it } from 'vitest';
import { rollupFieldKind } from '@dockwatch/collector';
import {
  alertRules,
  dashboardBuilds,
  type InfluxQLTarget,
  queryAtResolution,
  RAW,
  resolutionFor,
  resolutionGuard,
  RESOLUTIONS,
  ROLLUP_1H,
  ROLLUP_1M,
} from '@dockwatch/grafana';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('resolutions', () => {
  it('are raw, rollup_1m and rollup_1h with the contract windows and retentions', () => {
    expect(RESOLUTIONS.map((r) => [r.name, r.windowSeconds, r.retentionPolicy, r.retention])).toEqual([
      ['raw', 10, undefined, '7d'],
      ['1m', 60, 'rollup_1m', '90d'],
      ['1h', 3600, 'rollup_1h', '730d'],
    ]);
  });

  it('guard as the contract writes them', () => {
    expect(resolutionGuard(RAW)).toBe(
      "${__to} - ${__from} <= 86400000 AND now() - 7d <= '${__from:date:iso}'",
    );
    expect(resolutionGuard(ROLLUP_1M)).toBe(
      "(${__to} - ${__from} > 86400000 OR now() - 7d > '${__from:date:iso}') AND ${__to} - ${__from} <= 691200000 AND now() - 90d <= '${__from:date:iso}'",
    );
    expect(resolutionGuard(ROLLUP_1H)).toBe(
      "(${__to} - ${__from} > 691200000 OR now() - 90d > '${__from:date:iso}')",
    );
  });

  it('choose raw for 6 h, 1m for 7 d, 1h for 30 and 90 d, and the finest that holds an old range', () => {
    const now = Date.UTC(2026, 11, 2);
    expect(resolutionFor(now - 6 * HOUR, now, now).name).toBe('raw');
    expect(resolutionFor(now - DAY, now, now).name).toBe('raw');
    expect(resolutionFor(now - 7 * DAY, now, now).name).toBe('1m');
    expect(resolutionFor(now - 30 * DAY, now, now).name).toBe('1h');
    expect(resolutionFor(now - 90 * DAY, now, now).name).toBe('1h');
    expect(resolutionFor(now - 30 * DAY - 6 * HOUR, now - 30 * DAY, now).name).toBe('1m');
    expect(resolutionFor(now - 100 * DAY - 6 * HOUR, now - 100 * DAY, now).name).toBe('1h');
  });
});

describe('queryAtResolution', () => {
  const q = (select: string, measurement = 'docker_container_mem') =>
    `SELECT ${select} FROM "${measurement}" WHERE "x" = 'y' AND $timeFilter GROUP BY time($__interval)`;

  it('leaves the raw query as written, with the raw guard after the time filter', () => {
    expect(queryAtResolution(q('max("usage")'), RAW)).toBe(
      q('max("usage")').replace('$timeFilter', `$timeFilter AND ${resolutionGuard(RAW)}`),
    );
  });

  it('reads gauges max from f_max, keeps mean, last and counters, and refuses a gauge minimum', () => {
    const at1m = (s: string, m?: string) => queryAtResolution(q(s, m), ROLLUP_1M);
    expect(at1m('max("usage")')).toContain('SELECT max("usage_max") FROM "rollup_1m"."docker_container_mem"');
    expect(() => at1m('min("usage")')).toThrow(/no minimum/);
    expect(at1m('mean("usage")')).toContain('SELECT mean("usage") FROM');
    expect(at1m('last("usage")')).toContain('SELECT last("usage") FROM');
    expect(at1m('non_negative_derivative(max("oom_kills"), 1s)')).toContain('max("oom_kills")');
    // Prometheus families by name: *_total a counter, anything else numeric a gauge.
    expect(at1m('max("kvstore_operations_total")', 'prometheus')).toContain(
      'max("kvstore_operations_total")',
    );
    expect(at1m('max("kvstore_keys")', 'prometheus')).toContain('max("kvstore_keys_max")');
  });

  it('counts reports (an info field) as the windows samples', () => {
    expect(queryAtResolution(q('count("health_status")', 'docker_container_health'), ROLLUP_1H)).toContain(
      'SELECT sum("samples") FROM "rollup_1h"."docker_container_health"',
    );
    expect(rollupFieldKind('docker_container_status', 'oomkilled')).toBe('info');
  });

  it('rewrites only selects over measurements, not the aliases of an outer query', () => {
    const nested = `SELECT max("of_core") FROM (${q('mean("usage_percent") AS "of_core"', 'docker_container_cpu')}) WHERE $timeFilter GROUP BY time($__interval)`;
    const rewritten = queryAtResolution(nested, ROLLUP_1H);
    expect(rewritten).toMatch(
      /^SELECT max\("of_core"\) FROM \(SELECT mean\("usage_percent"\) AS "of_core" FROM "rollup_1h"\."docker_container_cpu"/,
    );
    expect(rewritten.split(resolutionGuard(ROLLUP_1H))).toHaveLength(3);
  });
});

describe('generated dashboards', () => {
  const builds = Object.values(dashboardBuilds());

  it('give every panel query three targets, raw, 1m and 1h, each with its guard', () => {
    for (const { dashboard, resolutions } of builds) {
      for (const panel of dashboard.panels) {
        if (panel.type === 'row') continue;
        const queries = panel.targets.filter((t): t is InfluxQLTarget => 'query' in t);
        expect(queries.length % 3, panel.title).toBe(0);
        for (const [index, target] of queries.entries()) {
          const resolution = RESOLUTIONS[index % 3];
          if (!resolution) throw new Error('no resolution');
          expect(resolutions[`panel:${panel.id}:${target.refId}`], panel.title).toBe(resolution.name);
          expect(target.query, panel.title).toContain(`$timeFilter AND ${resolutionGuard(resolution)}`);
          for (const other of RESOLUTIONS.filter((r) => r !== resolution))
            expect(target.query, panel.title).not.toContain(resolutionGuard(other));
          if (resolution.retentionPolicy) {
            expect(target.query).toContain(`FROM "${resolution.retentionPolicy}".`);
            expect(target.query).not.toMatch(/FROM "[a-z_]+" /);
          } else expect(target.query).not.toContain('rollup_');
        }
      }
    }
  });

  it('turn an expression into one per resolution over that resolution inputs', () => {
    const kv = dashboardBuilds().kvstore.dashboard;
    const expressions = kv.panels.flatMap((p) =>
      p.type === 'row' ? [] : p.targets.flatMap((t) => ('expression' in t ? [t.expression] : [])),
    );
    expect(expressions).toEqual(['$A / $D', '$B / $E', '$C / $F']);
  });

  it('keep alert rules on raw points, unguarded', () => {
    for (const rule of alertRules()) {
      for (const query of [rule.query.query, rule.minus?.query.query ?? '']) {
        expect(query).not.toContain('rollup_');
        expect(query).not.toContain('${__');
      }
    }
  });
});

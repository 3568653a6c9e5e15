// Integration test: the dashboards at every resolution (issue #18), on a real InfluxDB 1.6.
// Raw points and rollups aggregated from the same points by the contract's rules; every panel
// target expanded as Grafana does (its guard folds to a constant from the range).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dashboardBuilds,
  expandMacros,
  type InfluxQLTarget,
  type InfluxSeries,
  interpolateVariables,
  resolutionGuard,
  RESOLUTIONS,
  ROLLUP_1H,
  ROLLUP_1M,
  runInfluxQL,
  type SyntheticContainer,
  syntheticPoints,
  type VariableState,
} from '@dockwatch/grafana';
import {
  assertDashboardsReturnData,
  type HarnessOptions,
  type HarnessReport,
} from '../support/grafana-harness.js';
import { createDatabaseWithRollups, writeResolutions } from '../support/grafana-rollups.js';
import {
  fleetExpectations,
  quietFleet,
  quietHosts,
  syntheticFleet,
  syntheticHosts,
} from '../support/grafana-synthetic.js';
import { dropDatabase, uniqueDatabase } from '../support/influx.js';
import { haveServices, services } from '../support/services.js';

const MINUTE_S = 60;
const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

function influxUrl(): string {
  const provided = services();
  if (!provided) throw new Error('services vanished between collection and run');
  return provided.influxUrl;
}

/** The panel targets each check ran, by the resolution the range chose. */
function chosenResolutions(report: HarnessReport): Set<string> {
  return new Set(report.checks.filter((c) => c.chosen).map((c) => c.resolution ?? ''));
}

describe.runIf(haveServices())('dashboards at every resolution on InfluxDB 1.6', () => {
  describe('one stack: 30 min of raw points, and two days of rollups ending now', () => {
    const db = uniqueDatabase('grafana_res');
    const nowS = Math.floor(Date.now() / 10_000) * 10;
    const fleet = syntheticFleet(nowS);
    const hosts = syntheticHosts(nowS);
    const rawFrom = nowS - 30 * MINUTE_S;
    let base: Omit<HarnessOptions, 'timeRange'>;

    beforeAll(async () => {
      const url = influxUrl();
      await createDatabaseWithRollups(url, db);
      const raw = () =>
        syntheticPoints({
          containers: fleet,
          hosts,
          hostsFrom: nowS - 70 * MINUTE_S,
          from: rawFrom,
          to: nowS,
          stepSeconds: 10,
          collector: true,
        });
      // Before the raw half hour, one sample a minute: enough windows for rates at 90 d.
      const earlier = () =>
        syntheticPoints({
          containers: fleet,
          hosts,
          from: nowS - 2 * DAY_S,
          to: rawFrom - 70 * MINUTE_S - 60,
          stepSeconds: 60,
          collector: true,
        });
      const target = { influxUrl: url, db };
      await writeResolutions(target, raw, { raw: true, rollups: [] });
      await writeResolutions(target, () => concat(earlier(), raw()), {
        raw: false,
        rollups: [ROLLUP_1M, ROLLUP_1H],
      });
      base = { influxUrl: url, db, containers: fleetExpectations(fleet, hosts), timeInterval: '10s' };
    }, 120_000);
    afterAll(async () => {
      if (base) await dropDatabase(base.influxUrl, db);
    });

    for (const [label, days, resolution, alerts] of [
      ['6 h', 0.25, 'raw', true],
      ['7 d', 7, '1m', false],
      ['90 d', 90, '1h', false],
    ] as const) {
      it(`${label}: every panel reads ${resolution}, its other two targets return nothing`, async () => {
        const toMs = nowS * 1000;
        const report = await assertDashboardsReturnData({
          ...base,
          timeRange: { fromMs: toMs - days * DAY_S * 1000, toMs },
          alerts,
        });
        expect(chosenResolutions(report)).toEqual(new Set([resolution]));
        const targets = report.checks.filter((c) => c.resolution !== undefined);
        // Three targets per query, one of them chosen; the chosen ones return data (the proofs).
        expect(targets.filter((c) => c.chosen).length * 3).toBe(targets.length);
        expect(targets.filter((c) => !c.chosen).every((c) => c.series === 0)).toBe(true);
        expect(targets.filter((c) => c.chosen && c.series > 0).length).toBeGreaterThan(100);
      }, 120_000);
    }
  });

  describe('a range older than the raw retention', () => {
    const db = uniqueDatabase('grafana_old');
    const thenS = Math.floor(Date.now() / 1000 / HOUR_S) * HOUR_S - 30 * DAY_S;
    const fleet = quietFleet(thenS);
    const hosts = quietHosts(thenS);
    let options: HarnessOptions;

    beforeAll(async () => {
      const url = influxUrl();
      await createDatabaseWithRollups(url, db);
      // Only rollups, as 30 days after the fact: raw points are kept 7 days.
      await writeResolutions(
        { influxUrl: url, db },
        () =>
          syntheticPoints({
            containers: fleet,
            hosts,
            from: thenS - 8 * HOUR_S,
            to: thenS,
            stepSeconds: 10,
            collector: true,
          }),
        { raw: false, rollups: [ROLLUP_1M, ROLLUP_1H] },
      );
      options = {
        influxUrl: url,
        db,
        containers: fleetExpectations(fleet, hosts),
        timeRange: { fromMs: (thenS - 6 * HOUR_S) * 1000, toMs: thenS * 1000 },
        timeInterval: '10s',
        // Alerts read raw points of the last minutes only: nothing to prove 30 days back.
        alerts: false,
      };
    }, 120_000);
    afterAll(async () => {
      if (options) await dropDatabase(options.influxUrl, db);
    });

    it('a 6 h range 30 days ago: every panel returns data, from rollup_1m', async () => {
      const raw = await runInfluxQL(options, 'SELECT count("usage_percent") FROM "docker_container_cpu"');
      expect(raw).toEqual([]);
      const report = await assertDashboardsReturnData(options);
      expect(chosenResolutions(report)).toEqual(new Set(['1m']));
      expect(report.checks.filter((c) => c.chosen && c.series > 0).length).toBeGreaterThan(100);
    }, 120_000);
  });

  describe('a synthetic month queried raw and through the rollups', () => {
    const db = uniqueDatabase('grafana_month');
    const MiB = 1024 ** 2;
    const toS = Math.floor(Date.now() / 1000 / HOUR_S) * HOUR_S;
    const fromS = toS - 30 * DAY_S;
    // A restart 12.5 days in, off the window boundaries: network, block IO and throttling
    // counters start again from 0 (a new cgroup and network namespace), restart_count rises.
    const resetAt = fromS + 12 * DAY_S + 12 * HOUR_S + 25;
    const month: SyntheticContainer[] = [
      {
        name: 'steady-1',
        host: 'node-a',
        image: 'busybox:1',
        cpuLimitCores: 2,
        memoryLimitBytes: 512 * MiB,
        pidsLimit: 100,
        health: 'healthy',
        cpuPercent: 30,
        memoryBytes: 100 * MiB,
      },
      {
        name: 'reset-1',
        host: 'node-a',
        image: 'busybox:1',
        cpuLimitCores: 1,
        restartsAt: [resetAt],
        countersResetOnRestart: true,
        health: 'unhealthy',
        cpuPercent: 10,
        memoryBytes: 50 * MiB,
      },
    ];
    const points = () =>
      syntheticPoints({
        containers: month,
        hosts: [],
        from: fromS,
        to: toS - 10,
        stepSeconds: 10,
        collector: false,
        lean: true,
      });
    let target: { influxUrl: string; db: string };

    beforeAll(async () => {
      target = { influxUrl: influxUrl(), db };
      await createDatabaseWithRollups(target.influxUrl, db);
      await writeResolutions(target, points, { raw: true, rollups: [ROLLUP_1M, ROLLUP_1H] });
    }, 600_000);
    afterAll(async () => {
      if (target) await dropDatabase(target.influxUrl, db);
    });

    const all = { multi: true, includeAll: true, allValue: '.*', options: [], selected: 'All' as const };
    const variables: VariableState[] = [
      { name: 'host', ...all },
      { name: 'container', ...all },
    ];

    /** A Containers target's query as deployed, without its guard, over the month at `intervalMs`. */
    async function run(target: InfluxQLTarget, index: number, intervalMs: number): Promise<InfluxSeries[]> {
      const resolution = RESOLUTIONS[index % 3];
      if (!resolution) throw new Error('no resolution');
      const unguarded = target.query.replaceAll(` AND ${resolutionGuard(resolution)}`, '');
      const query = expandMacros(interpolateVariables(unguarded, variables), {
        fromMs: fromS * 1000,
        toMs: toS * 1000 - 1,
        intervalMs,
      });
      return runInfluxQL({ influxUrl: influxUrl(), db }, query);
    }

    /** Series as `tags -> time -> value`, to compare two answers point by point. */
    function byTags(series: InfluxSeries[]): Map<string, Map<number, unknown>> {
      const out = new Map<string, Map<number, unknown>>();
      for (const s of series) {
        const rows = new Map<number, unknown>();
        for (const row of s.values) rows.set(Number(row[0]), row[1]);
        out.set(JSON.stringify(s.tags ?? {}), rows);
      }
      return out;
    }

    // Float rounding only: every window holds all its raw samples (6 a minute, 360 an hour),
    // so a mean of window means is the mean of the samples, and maxima and counters are exact.
    const TOLERANCE = 1e-9;

    function expectAgree(title: string, raw: InfluxSeries[], rolled: InfluxSeries[]): number {
      const want = byTags(raw);
      const got = byTags(rolled);
      expect([...got.keys()].sort(), title).toEqual([...want.keys()].sort());
      let compared = 0;
      for (const [tags, rows] of want) {
        const other = got.get(tags) ?? new Map<number, unknown>();
        expect([...other.keys()], `${title} ${tags}`).toEqual([...rows.keys()]);
        for (const [time, value] of rows) {
          const rolledValue = other.get(time);
          if (typeof value === 'number' && typeof rolledValue === 'number') {
            expect(Math.abs(rolledValue - value), `${title} ${tags} at ${time}`).toBeLessThanOrEqual(
              TOLERANCE * Math.max(1, Math.abs(value)),
            );
          } else expect(rolledValue, `${title} ${tags} at ${time}`).toEqual(value);
          compared += 1;
        }
      }
      return compared;
    }

    const { dashboard } = dashboardBuilds().containers;
    for (const [label, intervalMs, rollupIndex] of [
      ['1-hour buckets, rollup_1h', HOUR_S * 1000, 2],
      ['10-minute buckets, rollup_1m', 10 * MINUTE_S * 1000, 1],
    ] as const) {
      it(`every Containers panel agrees with raw within ${TOLERANCE} (relative), ${label}`, async () => {
        let withData = 0;
        for (const panel of dashboard.panels) {
          if (panel.type === 'row') continue;
          const queries = panel.targets.filter((t): t is InfluxQLTarget => 'query' in t);
          for (let first = 0; first < queries.length; first += 3) {
            const raw = queries[first];
            const rolled = queries[first + rollupIndex];
            if (!raw || !rolled) throw new Error(`${panel.title}: not three targets`);
            const rawSeries = await run(raw, first, intervalMs);
            const compared = expectAgree(
              `${panel.title}/${rolled.refId}`,
              rawSeries,
              await run(rolled, first + rollupIndex, intervalMs),
            );
            if (compared > 0) withData += 1;
          }
        }
        // Every query but the two OOM-kill counts (no kill this month).
        expect(withData).toBeGreaterThanOrEqual(16);
      }, 300_000);
    }

    it('gauges keep their spikes: the max of a panel reading max() is the max of the raw samples, not of means', async () => {
      const memory = await runInfluxQL(
        target,
        `SELECT max("usage_max") AS "rolled", max("usage") AS "mean" FROM "rollup_1h"."docker_container_mem" WHERE "container_name" = 'steady-1'`,
      );
      const raw = await runInfluxQL(
        target,
        `SELECT max("usage") FROM "docker_container_mem" WHERE "container_name" = 'steady-1'`,
      );
      const [, rolled, meanOnly] = memory[0]?.values[0] ?? [];
      expect(rolled).toBe(raw[0]?.values[0]?.[1]);
      expect(Number(meanOnly)).toBeLessThan(Number(rolled));
    });

    it('the counter reset: no negative rate, the same gap raw and rolled up, the same rates either side', async () => {
      const panel = dashboard.panels.find((p) => p.title === 'Network received');
      if (!panel || panel.type === 'row') throw new Error('no Network received panel');
      const queries = panel.targets.filter((t): t is InfluxQLTarget => 'query' in t);
      const rates = async (index: number) => {
        const t = queries[index];
        if (!t) throw new Error('no target');
        const series = await run(t, index, HOUR_S * 1000);
        return byTags(series.filter((s) => s.tags?.container_name === 'reset-1'));
      };
      const [raw, hourly] = [await rates(0), await rates(2)];
      const rows = [...raw.values()][0] ?? new Map<number, unknown>();
      const resetBucket = Math.floor(resetAt / HOUR_S) * HOUR_S * 1000;
      // The bucket after the reset starts below the one before: non_negative drops it.
      expect(rows.has(resetBucket)).toBe(true);
      expect(rows.has(resetBucket + HOUR_S * 1000)).toBe(false);
      expect(rows.has(resetBucket + 2 * HOUR_S * 1000)).toBe(true);
      expect([...rows.values()].every((v) => typeof v === 'number' && v >= 0)).toBe(true);
      expect(hourly).toEqual(raw);
    });
  });
});

function* concat<T>(...parts: Iterable<T>[]): Generator<T> {
  for (const part of parts) yield* part;
}

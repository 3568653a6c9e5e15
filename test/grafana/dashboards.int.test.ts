// Integration test A: synthetic data in the collector's exact schema, written to a real
// InfluxDB 1.6; every dashboard variable, panel target and alert query expanded as Grafana
// does and run against it must return the containers and metrics it promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERT_MAX_DATA_POINTS,
  alertRules,
  expandQuery,
  runInfluxQL,
  syntheticLines,
  writeAll,
} from '@dockwatch/grafana';
import {
  assertDashboardsReturnData,
  checkDashboards,
  type HarnessOptions,
} from '../support/grafana-harness.js';
import { fleetExpectations, syntheticFleet } from '../support/grafana-synthetic.js';
import { createDatabase, dropDatabase, uniqueDatabase } from '../support/influx.js';
import { haveServices, services } from '../support/services.js';

describe.runIf(haveServices())('dashboards and alert rules on InfluxDB 1.6', () => {
  const db = uniqueDatabase('grafana');
  const nowS = Math.floor(Date.now() / 10_000) * 10;
  const fleet = syntheticFleet(nowS);
  let options: HarnessOptions;

  beforeAll(async () => {
    const provided = services();
    if (!provided) throw new Error('services vanished between collection and run');
    await createDatabase(provided.influxUrl, db);
    const from = nowS - 30 * 60;
    await writeAll(
      { influxUrl: provided.influxUrl, db },
      syntheticLines({ containers: fleet, from, to: nowS, stepSeconds: 10, collector: true }),
    );
    options = {
      influxUrl: provided.influxUrl,
      db,
      containers: fleetExpectations(fleet),
      timeRange: { fromMs: from * 1000, toMs: nowS * 1000 },
      timeInterval: '10s',
    };
  });
  afterAll(async () => {
    if (options) await dropDatabase(options.influxUrl, db);
  });

  it('returns data naming the expected containers and metrics for every target', async () => {
    const report = await assertDashboardsReturnData(options);
    // 4 dashboards' variables and panels (detail once per container) plus 9 alert queries.
    expect(report.checks.length).toBeGreaterThan(150);
    expect(report.checks.filter((c) => c.name.startsWith('alert/'))).toHaveLength(9);
  });

  it('reports a container the data does not have, by name', async () => {
    const report = await checkDashboards({
      ...options,
      containers: { ...options.containers, all: [...options.containers.all, 'ghost-1'] },
    });
    expect(report.failures.length).toBeGreaterThan(10);
    expect(report.failures.every((f) => f.problem?.includes('ghost-1'))).toBe(true);
  });

  describe('alert queries compute what their rule says', () => {
    const rule = (uid: string) => {
      const found = alertRules().find((r) => r.uid === uid);
      if (!found) throw new Error(`no rule ${uid}`);
      return found;
    };
    const run = async (uid: string) => {
      const r = rule(uid);
      const toMs = nowS * 1000;
      const { query } = expandQuery(r.query.query, {
        variables: [],
        fromMs: toMs - r.windowSeconds * 1000,
        toMs,
        maxDataPoints: ALERT_MAX_DATA_POINTS,
        minIntervalMs: 10_000,
      });
      return runInfluxQL(options, query);
    };
    const valuesOf = (series: Awaited<ReturnType<typeof run>>, container?: string) =>
      series
        .filter((s) => container === undefined || s.tags?.container_name === container)
        .flatMap((s) => s.values.map((row) => row[1]))
        .filter((v): v is number => typeof v === 'number');

    it('KV error rate: 1.5 of 51.5 requests per second are 5xx', async () => {
      const values = valuesOf(await run('dockwatch-kv-error-rate'), 'kvstore-1');
      expect(values.length).toBeGreaterThan(5);
      for (const v of values.slice(1)) expect(v).toBeCloseTo(1.5 / 51.5, 2);
    });

    it('KV p99: 1.5 % of requests are slower than 0.25 s, above the 1 % threshold', async () => {
      const values = valuesOf(await run('dockwatch-kv-latency-p99'), 'kvstore-1');
      expect(values.length).toBeGreaterThan(5);
      for (const v of values) expect(v).toBeCloseTo(0.015, 2);
    });

    it('CPU of one core only covers containers without a CPU limit', async () => {
      const series = await run('dockwatch-cpu-of-core');
      const names = new Set(series.map((s) => s.tags?.container_name));
      expect(names.has('worker-1')).toBe(true);
      expect(valuesOf(series, 'web-1').every((v) => v === 0)).toBe(true);
      expect(Math.max(...valuesOf(series, 'worker-1'))).toBeGreaterThan(70);
    });

    it('restarts and OOM kills are counted for the container that had them', async () => {
      expect(
        valuesOf(await run('dockwatch-container-restarted'), 'worker-1').reduce((a, b) => a + b, 0),
      ).toBe(2);
      expect(valuesOf(await run('dockwatch-container-restarted'), 'db-1').reduce((a, b) => a + b, 0)).toBe(0);
      expect(
        valuesOf(await run('dockwatch-container-oom-killed'), 'worker-1').reduce((a, b) => a + b, 0),
      ).toBe(1);
    });

    it('unhealthy reports only name the unhealthy container', async () => {
      const series = await run('dockwatch-container-unhealthy');
      expect(series.map((s) => s.tags?.container_name)).toEqual(['sick-1']);
    });
  });
});

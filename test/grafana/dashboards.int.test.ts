// Integration test A: synthetic data in the collector's exact schema, written to a real
// InfluxDB 1.6; every dashboard variable, panel target and alert query expanded as Grafana
// does and run against it must return the containers and metrics it promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERT_MAX_DATA_POINTS,
  ALERT_RULE_UIDS,
  alertRules,
  dashboardBuilds,
  expandQuery,
  parseInterval,
  runInfluxQL,
  syntheticLines,
  writeAll,
} from '@dockwatch/grafana';
import {
  assertDashboardsReturnData,
  checkDashboards,
  type HarnessOptions,
} from '../support/grafana-harness.js';
import { evaluateRule, firingBy, ruleByUid } from '../support/grafana-alerts.js';
import {
  FILLING_DISK_SECONDS_LEFT,
  fleetExpectations,
  quietFleet,
  quietHosts,
  syntheticFleet,
  syntheticHosts,
} from '../support/grafana-synthetic.js';
import { createDatabase, dropDatabase, uniqueDatabase } from '../support/influx.js';
import { haveServices, services } from '../support/services.js';

describe.runIf(haveServices())('dashboards and alert rules on InfluxDB 1.6', () => {
  const db = uniqueDatabase('grafana');
  const nowS = Math.floor(Date.now() / 10_000) * 10;
  const fleet = syntheticFleet(nowS);
  const hosts = syntheticHosts(nowS);
  let options: HarnessOptions;

  beforeAll(async () => {
    const provided = services();
    if (!provided) throw new Error('services vanished between collection and run');
    await createDatabase(provided.influxUrl, db);
    const from = nowS - 30 * 60;
    await writeAll(
      { influxUrl: provided.influxUrl, db },
      syntheticLines({
        containers: fleet,
        hosts,
        // The disk-fill rule looks back an hour: the hosts' points start 70 minutes back.
        hostsFrom: nowS - 70 * 60,
        from,
        to: nowS,
        stepSeconds: 10,
        collector: true,
      }),
    );
    options = {
      influxUrl: provided.influxUrl,
      db,
      containers: fleetExpectations(fleet, hosts),
      timeRange: { fromMs: from * 1000, toMs: nowS * 1000 },
      timeInterval: '10s',
    };
  });
  afterAll(async () => {
    if (options) await dropDatabase(options.influxUrl, db);
  });

  it('returns data naming the expected containers and metrics for every target', async () => {
    const report = await assertDashboardsReturnData(options);
    // 5 dashboards' variables and panels (detail once per container) plus 12 alert queries.
    expect(report.checks.length).toBeGreaterThan(250);
    expect(report.checks.filter((c) => c.name.startsWith('alert/'))).toHaveLength(12);
    expect(report.checks.filter((c) => c.name.startsWith('host/')).length).toBeGreaterThan(30);
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
      // worker-1: its death (the counter's reset at its restart is not a negative kill);
      // batch-1: an increase of its oom_kills counter, the container still running.
      for (const name of ['worker-1', 'batch-1'])
        expect(valuesOf(await run('dockwatch-container-oom-killed'), name).reduce((a, b) => a + b, 0)).toBe(
          1,
        );
    });

    it('the OOM kills stat counts counter increases across a reset (2) and deaths (1)', async () => {
      const { dashboard } = dashboardBuilds().containers;
      const panel = dashboard.panels.find((p) => p.title === 'OOM kills' && p.type === 'stat');
      if (!panel || panel.type === 'row') throw new Error('no OOM kills stat');
      const totals: number[] = [];
      for (const target of panel.targets) {
        if (!('query' in target)) continue;
        const all = { multi: true, includeAll: true, allValue: '.*', options: [], selected: 'All' as const };
        const { query } = expandQuery(target.query, {
          variables: [
            { name: 'host', ...all },
            { name: 'container', ...all },
          ],
          fromMs: options.timeRange.fromMs,
          toMs: options.timeRange.toMs,
          maxDataPoints: panel.maxDataPoints ?? 100,
          minIntervalMs: 10_000,
        });
        totals.push(valuesOf(await runInfluxQL(options, query)).reduce((a, b) => a + b, 0));
      }
      // worker-1 (inside, at -600) and batch-1 (at -200); worker-1's counter falling back to 0
      // at its restart must not subtract one. Deaths: worker-1 at -120.
      expect(totals).toEqual([2, 1]);
    });

    it('unhealthy reports only name the unhealthy container', async () => {
      const series = await run('dockwatch-container-unhealthy');
      expect(series.map((s) => s.tags?.container_name)).toEqual(['sick-1']);
    });
  });

  describe('the new rules fire on the workload that should trigger them, and only there', () => {
    const nowMs = nowS * 1000;

    it('OOM kill: the death of worker-1 and the kill inside the running batch-1, as two label sets', async () => {
      const instances = await evaluateRule(options, ruleByUid(ALERT_RULE_UIDS.oomKilled), nowMs);
      const firing = instances
        .filter((i) => i.firing)
        .map((i) => `${i.labels.container_name} ${i.labels.container_status}`)
        .sort();
      expect(firing).toEqual(['batch-1 running', 'worker-1 exited']);
    });

    it('data root above 85 %: node-a (90 % used), not node-b', async () => {
      expect(await firingBy(options, ALERT_RULE_UIDS.dataRootAlmostFull, nowMs, 'host')).toEqual(['node-a']);
      const instances = await evaluateRule(options, ruleByUid(ALERT_RULE_UIDS.dataRootAlmostFull), nowMs);
      expect(instances.find((i) => i.labels.host === 'node-a')?.value).toBeCloseTo(90, 1);
    });

    it('disk full within 24 h: node-b, 12 h from now at the growth of the last hour; not the steady node-a', async () => {
      expect(await firingBy(options, ALERT_RULE_UIDS.diskFillsWithin24h, nowMs, 'host')).toEqual(['node-b']);
      const instances = await evaluateRule(options, ruleByUid(ALERT_RULE_UIDS.diskFillsWithin24h), nowMs);
      const seconds = instances.find((i) => i.labels.host === 'node-b')?.value ?? 0;
      expect(Math.abs(seconds - FILLING_DISK_SECONDS_LEFT) / FILLING_DISK_SECONDS_LEFT).toBeLessThan(0.01);
    });

    it("the dashboard's time-to-full agrees: 12 h and less as the disk fills, one interval's growth each", async () => {
      const { dashboard } = dashboardBuilds().host;
      const panel = dashboard.panels.find((p) => p.title === 'Time until the data-root is full');
      if (!panel || panel.type === 'row') throw new Error('no time-to-full panel');
      const target = panel.targets[0];
      if (!target || !('query' in target)) throw new Error('no time-to-full query');
      const fromMs = nowMs - 60 * 60 * 1000;
      const { query, intervalMs } = expandQuery(target.query, {
        variables: [
          { name: 'host', multi: true, includeAll: true, allValue: '.*', options: [], selected: 'All' },
        ],
        fromMs,
        toMs: nowMs,
        maxDataPoints: 600,
        minIntervalMs: parseInterval(panel.interval ?? '10s'),
      });
      expect(intervalMs).toBe(600_000);
      const series = await runInfluxQL(options, query);
      expect(series.map((s) => s.tags?.host)).toEqual(['node-b']);
      const rows = (series[0]?.values ?? []).filter(
        (row): row is [number, number] => typeof row[1] === 'number',
      );
      // Whole intervals: free at the interval's last sample / the exact growth. The newest
      // interval is still under way (the panel's description says it runs long).
      const growth = hosts[1]?.diskGrowthBytesPerSecond ?? 0;
      const whole = rows.slice(0, -1);
      expect(whole.length).toBeGreaterThanOrEqual(3);
      for (const [time, seconds] of whole) {
        const lastSample = Math.min(nowS, time / 1000 + 590);
        const expected = FILLING_DISK_SECONDS_LEFT + (nowS - lastSample);
        expect(Math.abs(seconds - expected) / expected, `at ${time}`).toBeLessThan(0.01);
      }
      expect(growth).toBeGreaterThan(0);
    });

    it('writable layer above 1 GiB: scribe-1 (1.2 GiB) only', async () => {
      expect(await firingBy(options, ALERT_RULE_UIDS.writableLayerLarge, nowMs, 'container_name')).toEqual([
        'scribe-1',
      ]);
    });
  });

  describe('a quiet stack', () => {
    const quietDb = uniqueDatabase('grafana-quiet');
    let quiet: HarnessOptions;

    beforeAll(async () => {
      const provided = services();
      if (!provided) throw new Error('services vanished between collection and run');
      await createDatabase(provided.influxUrl, quietDb);
      const containers = quietFleet(nowS);
      const calm = quietHosts(nowS);
      await writeAll(
        { influxUrl: provided.influxUrl, db: quietDb },
        syntheticLines({
          containers,
          hosts: calm,
          hostsFrom: nowS - 70 * 60,
          from: nowS - 30 * 60,
          to: nowS,
          stepSeconds: 10,
          collector: true,
        }),
      );
      quiet = { ...options, db: quietDb, containers: fleetExpectations(containers, calm) };
    });
    afterAll(async () => {
      if (quiet) await dropDatabase(quiet.influxUrl, quietDb);
    });

    it('keeps every panel proof', async () => {
      await assertDashboardsReturnData(quiet);
    });

    for (const uid of [
      ALERT_RULE_UIDS.oomKilled,
      ALERT_RULE_UIDS.dataRootAlmostFull,
      ALERT_RULE_UIDS.diskFillsWithin24h,
      ALERT_RULE_UIDS.writableLayerLarge,
    ]) {
      it(`fires nothing for ${uid}`, async () => {
        const instances = await evaluateRule(quiet, ruleByUid(uid), nowS * 1000);
        expect(instances.filter((i) => i.firing)).toEqual([]);
      });
    }

    it('still sees every host and container the rules watch (silence is not an empty answer)', async () => {
      const usage = await evaluateRule(quiet, ruleByUid(ALERT_RULE_UIDS.dataRootAlmostFull), nowS * 1000);
      expect(usage.map((i) => i.labels.host).sort()).toEqual(['node-a', 'node-b']);
      const layers = await evaluateRule(quiet, ruleByUid(ALERT_RULE_UIDS.writableLayerLarge), nowS * 1000);
      expect(layers.length).toBe(quiet.containers.all.length);
    });
  });
});

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
  swarmContainers,
  swarmLines,
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
import {
  AGENT_MEMORY_BYTES,
  SWARM_CLUSTER_ID,
  swarmExpectations,
  swarmHosts,
  swarmTimeline,
  syntheticSwarm,
} from '../support/grafana-swarm.js';
import { createDatabaseWithRollups } from '../support/grafana-rollups.js';
import { dropDatabase, uniqueDatabase } from '../support/influx.js';
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
    await createDatabaseWithRollups(provided.influxUrl, db);
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
    // 6 dashboards' variables and panels (detail once per container) plus 18 alert queries
    // (17 rules, one with a second query). The swarm's only have to run: this stack has none.
    expect(report.checks.length).toBeGreaterThan(250);
    expect(report.checks.filter((c) => c.name.startsWith('alert/'))).toHaveLength(18);
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
      // at its restart must not subtract one. Deaths: worker-1 at -120. Each query comes as
      // raw, 1m and 1h targets: over 30 minutes only the raw one answers.
      expect(totals).toEqual([2, 0, 0, 1, 0, 0]);
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
      await createDatabaseWithRollups(provided.influxUrl, quietDb);
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
  describe('a swarm', () => {
    const at = swarmTimeline(nowS);
    const from = nowS - 30 * 60;
    const nowMs = nowS * 1000;

    /** Writes the swarm (leader points, task containers, each node's engine) into a fresh database. */
    async function writeSwarm(name: string, incidents: boolean): Promise<HarnessOptions> {
      const provided = services();
      if (!provided) throw new Error('services vanished between collection and run');
      await createDatabaseWithRollups(provided.influxUrl, name);
      const swarm = syntheticSwarm(nowS, incidents);
      const target = { influxUrl: provided.influxUrl, db: name };
      await writeAll(
        target,
        syntheticLines({
          containers: swarmContainers(swarm),
          hosts: swarmHosts(swarm, nowS),
          from,
          to: nowS,
          stepSeconds: 10,
          collector: true,
        }),
      );
      await writeAll(target, swarmLines(swarm, { from, to: nowS, stepSeconds: 10 }));
      return {
        influxUrl: provided.influxUrl,
        db: name,
        containers: swarmExpectations(swarm),
        timeRange: { fromMs: from * 1000, toMs: nowMs },
        timeInterval: '10s',
      };
    }

    /** A Swarm dashboard panel's first target, expanded with All over [fromMs, toMs]. */
    async function runPanel(target: HarnessOptions, title: string, fromMs: number, toMs: number) {
      const { dashboard } = dashboardBuilds().swarm;
      const panel = dashboard.panels.find((p) => p.title === title);
      if (!panel || panel.type === 'row') throw new Error(`no panel ${title}`);
      const first = panel.targets[0];
      if (!first || !('query' in first)) throw new Error(`no query in ${title}`);
      const all = { multi: true, includeAll: true, allValue: '.*', options: [], selected: 'All' as const };
      const { query } = expandQuery(first.query, {
        variables: [
          { name: 'service', ...all },
          { name: 'stack', ...all },
        ],
        fromMs,
        toMs,
        maxDataPoints: 30,
        minIntervalMs: 10_000,
      });
      return runInfluxQL(target, query);
    }

    describe('with incidents', () => {
      const db = uniqueDatabase('grafana-swarm');
      let swarm: HarnessOptions;
      beforeAll(async () => {
        swarm = await writeSwarm(db, true);
      });
      afterAll(async () => {
        if (swarm) await dropDatabase(swarm.influxUrl, db);
      });

      it('returns data for every swarm variable and panel, naming every service, node and stack', async () => {
        const report = await assertDashboardsReturnData(swarm);
        const own = report.checks.filter((c) => c.name.startsWith('swarm/'));
        // 2 variables + 10 panels of three targets (raw, 1m, 1h), twice (All, every option listed).
        expect(own.length).toBe(2 + 10 * 3 * 2);
        const read = own.filter((c) => c.resolution === undefined || c.chosen);
        expect(read).toHaveLength(22);
        expect(read.every((c) => c.series > 0)).toBe(true);
        expect(own.filter((c) => c.resolution !== undefined && !c.chosen).every((c) => c.series === 0)).toBe(
          true,
        );
      });

      it('sums a service over its tasks on every node: shop_agent uses three times one agent', async () => {
        // Ten minutes before the first incident, 1-minute buckets: three agents of ~50 MiB each.
        const toMs = (at.quorumLostAt - 60) * 1000;
        const series = await runPanel(swarm, 'Memory per service', toMs - 10 * 60_000, toMs);
        const agent = series.find((s) => s.tags?.['com.docker.swarm.service.name'] === 'shop_agent');
        const values = (agent?.values ?? [])
          .map((row) => row[1])
          .filter((v): v is number => typeof v === 'number');
        expect(values.length).toBeGreaterThan(5);
        // Three agents' means (each 0.9-1.1 x plus 4 MB of cache): not one agent (a mean over
        // containers), not 18 (a sum of the 6 raw samples per container in each bucket).
        for (const v of values) {
          expect(v).toBeGreaterThan(2.5 * AGENT_MEMORY_BYTES);
          expect(v).toBeLessThan(3.5 * AGENT_MEMORY_BYTES);
        }
      });

      it('counts tasks per node from the containers: two each, then three on swarm-1 and none elsewhere', async () => {
        const last = (series: Awaited<ReturnType<typeof runInfluxQL>>, host: string) => {
          const rows = series.find((s) => s.tags?.engine_host === host)?.values ?? [];
          return rows.at(-1)?.[1];
        };
        const before = await runPanel(swarm, 'Tasks per node', nowMs - 25 * 60_000, nowMs - 22 * 60_000);
        for (const host of ['swarm-1', 'swarm-2', 'swarm-3']) expect(last(before, host), host).toBe(2);
        const end = await runPanel(swarm, 'Tasks per node', nowMs - 3 * 60_000, nowMs);
        expect(end.map((s) => s.tags?.engine_host)).toEqual(['swarm-1']);
        expect(last(end, 'swarm-1')).toBe(3);
      });

      it('below desired: shop_pinned (0 of 2), not the rescheduled web, the global agent or the completed job', async () => {
        expect(
          await firingBy(swarm, ALERT_RULE_UIDS.swarmServiceBelowDesired, nowMs, 'service_name'),
        ).toEqual(['shop_pinned']);
        const seen = await evaluateRule(swarm, ruleByUid(ALERT_RULE_UIDS.swarmServiceBelowDesired), nowMs);
        expect(seen.map((i) => i.labels.service_name).sort()).toEqual([
          'shop_agent',
          'shop_pinned',
          'shop_web',
        ]);
      });

      it('node down: swarm-3 only', async () => {
        expect(await firingBy(swarm, ALERT_RULE_UIDS.swarmNodeDown, nowMs, 'node_hostname')).toEqual([
          'swarm-3',
        ]);
      });

      it('quorum at risk: 2 of 3 managers reachable now (margin 0.5); lost (1 of 3) at the outage, then no leader', async () => {
        const rule = ruleByUid(ALERT_RULE_UIDS.swarmQuorumAtRisk);
        const now = await evaluateRule(swarm, rule, nowMs);
        expect(now).toEqual([{ labels: { cluster_id: SWARM_CLUSTER_ID }, value: 0.5, firing: true }]);
        const lost = await evaluateRule(swarm, rule, (at.quorumLostAt + 20) * 1000);
        expect(lost.map((i) => [i.value, i.firing])).toEqual([[-0.5, true]]);
        // Two minutes into the outage the leader is gone: no point, no instance (see README).
        expect(await evaluateRule(swarm, rule, (at.quorumLostAt + 150) * 1000)).toEqual([]);
        // Before the outage all three managers were reachable.
        const before = await evaluateRule(swarm, rule, (at.quorumLostAt - 60) * 1000);
        expect(before.map((i) => [i.value, i.firing])).toEqual([[1.5, false]]);
      });

      it('manager without a leader: every manager while the swarm had none; none before, none now', async () => {
        const rule = ruleByUid(ALERT_RULE_UIDS.swarmNoLeader);
        const during = await evaluateRule(swarm, rule, (at.quorumLostAt + 150) * 1000);
        expect(during.map((i) => [i.labels.engine_host, i.value, i.firing])).toEqual([
          ['swarm-1', 0, true],
          ['swarm-2', 0, true],
          ['swarm-3', 0, true],
        ]);
        // Now: swarm-1 reaches its leader; swarm-2's collector is silent and swarm-3 is down.
        expect(await evaluateRule(swarm, rule, nowMs)).toEqual([
          { labels: { engine_host: 'swarm-1' }, value: 1, firing: false },
        ]);
        const before = await evaluateRule(swarm, rule, (at.quorumLostAt - 60) * 1000);
        expect(before.every((i) => !i.firing) && before.length === 3).toBe(true);
      });

      it('ready node without collector data: 2 ready nodes, 1 engine reporting (swarm-2 silent; swarm-3 down, not counted)', async () => {
        const instances = await evaluateRule(
          swarm,
          ruleByUid(ALERT_RULE_UIDS.swarmNodeCollectorSilent),
          nowMs,
        );
        expect(instances).toEqual([{ labels: {}, value: 1, firing: true }]);
        // Before swarm-2 fell silent (and after the quorum came back) every ready node reported.
        const earlier = await evaluateRule(
          swarm,
          ruleByUid(ALERT_RULE_UIDS.swarmNodeCollectorSilent),
          (at.collectorSilentAt - 60) * 1000,
        );
        expect(earlier).toEqual([{ labels: {}, value: 0, firing: false }]);
      });
    });

    describe('quiet', () => {
      const db = uniqueDatabase('grafana-swarm-quiet');
      let quietSwarm: HarnessOptions;
      beforeAll(async () => {
        quietSwarm = await writeSwarm(db, false);
      });
      afterAll(async () => {
        if (quietSwarm) await dropDatabase(quietSwarm.influxUrl, db);
      });

      it('keeps every panel proof', async () => {
        await assertDashboardsReturnData(quietSwarm);
      });

      for (const uid of [
        ALERT_RULE_UIDS.swarmServiceBelowDesired,
        ALERT_RULE_UIDS.swarmNodeDown,
        ALERT_RULE_UIDS.swarmQuorumAtRisk,
        ALERT_RULE_UIDS.swarmNodeCollectorSilent,
      ]) {
        it(`fires nothing for ${uid}, which still sees the swarm`, async () => {
          const instances = await evaluateRule(quietSwarm, ruleByUid(uid), nowMs);
          expect(instances.length).toBeGreaterThan(0);
          expect(instances.filter((i) => i.firing)).toEqual([]);
        });
      }
    });
  });
});

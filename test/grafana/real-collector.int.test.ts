// The dashboards against the REAL collector over REAL containers: a CPU-limited burner, a
// healthy and an unhealthy healthcheck, a crash-looping container, an OOM kill, and the real
// kvstore (its image, built here) under light real load over its API, scraped by the collector
// through the image's prometheus.io labels, and a second kvstore whose data disk (a 2 MiB tmpfs)
// is too small for the values written to it, so that it answers real 500s. Every panel, variable
// and alert query must return the containers and metrics it promises.
import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { ALERT_RULE_UIDS, alertRules } from '@dockwatch/grafana';
import { assertDashboardsReturnData, type ContainerExpectations } from '../support/grafana-harness.js';
import {
  type KvLoad,
  type KvLoadReport,
  startKvLoad,
  startLargeWriteLoad,
} from '../support/grafana-kv-load.js';
import { buildProjectImage } from '../support/images.js';
import { createDatabaseWithRollups } from '../support/grafana-rollups.js';
import { dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

// Its own tag, so a concurrent build of the default tag elsewhere cannot swap the image under us.
const KVSTORE_TAG = 'dockwatch/kvstore:grafana-test';
/** The full kvstore's data disk, and values that cannot fit on it: LMDB's commit fails, 500. */
const FULL_DISK = '2m';
const LARGE_VALUE_CHARS = 1_000_000;

describe.runIf(haveServices())('dashboards on data from the real collector', () => {
  const db = uniqueDatabase('grafana_real');
  const started: Docker.Container[] = [];
  const names = {
    burner: uniqueName('gf-burner'),
    healthy: uniqueName('gf-healthy'),
    sick: uniqueName('gf-sick'),
    crasher: uniqueName('gf-crasher'),
    oom: uniqueName('gf-oom'),
    kvstore: uniqueName('gf-kvstore'),
    kvstoreFull: uniqueName('gf-kvstore-full'),
  };
  // Generated per run and handed to the container only: no credential is written down anywhere.
  const kvToken = randomBytes(24).toString('hex');
  let env: Services;
  let collector: RunningCollector | undefined;
  let load: KvLoad | undefined;
  let loadReport: KvLoadReport | undefined;
  let largeLoad: KvLoad | undefined;
  let largeLoadReport: KvLoadReport | undefined;
  let kvstoreContainer: Docker.Container | undefined;
  let fullContainer: Docker.Container | undefined;
  let fromMs = 0;
  let engineHost = '';

  const count = async (query: string): Promise<number> =>
    Number((await influxQuery(env.influxUrl, db, query))[0]?.values[0]?.[1] ?? 0);

  beforeAll(async () => {
    const provided = services();
    if (!provided) throw new Error('services vanished between collection and run');
    env = provided;
    // Before the time range starts: a cold build takes a while, a cached one a few seconds.
    await buildProjectImage('kvstore', KVSTORE_TAG);
    // The dashboards' rollup targets need their retention policies to exist (the bundle's init
    // job creates them); over this test's short range they return nothing.
    await createDatabaseWithRollups(env.influxUrl, db);
    fromMs = Date.now() - 1000;
    engineHost = ((await env.docker.info()) as { Name: string }).Name;
    // Disk usage at its shortest cadence: a sweep at start, the next one (with the containers
    // started below) a minute later.
    collector = await startCollector({
      INFLUX_URL: env.influxUrl,
      INFLUX_DB: db,
      COLLECT_INTERVAL: '2s',
      DISK_USAGE_INTERVAL: '1m',
    });
    const health = (test: string) => ({
      Test: ['CMD', test],
      Interval: 1e9,
      Timeout: 1e9,
      Retries: 1,
      StartPeriod: 0,
    });
    const run = (name: string, cmd: string[], extra: Partial<Parameters<typeof runContainer>[1]> = {}) =>
      runContainer(env.docker, { name, cmd, ...extra }).then((c) => {
        started.push(c);
        return c;
      });
    const [kvstore, kvstoreFull] = await Promise.all([
      // The image's own entrypoint, healthcheck and prometheus.io labels: nothing added here but
      // the token, and a sweep slower than the TTLs so reads find expired keys too (lazy expiry).
      run(names.kvstore, [], {
        image: KVSTORE_TAG,
        env: [`KV_ADMIN_TOKEN=${kvToken}`, 'KV_SWEEP_INTERVAL_MS=3000', 'KV_LOG_LEVEL=warn'],
      }),
      // As shipped: it must survive its failed commits, or no scrape could count the 500s.
      run(names.kvstoreFull, [], {
        image: KVSTORE_TAG,
        env: [`KV_ADMIN_TOKEN=${kvToken}`, 'KV_LOG_LEVEL=warn'],
        hostConfig: { Tmpfs: { '/data': `rw,size=${FULL_DISK},uid=10001,gid=10001,mode=0700` } },
      }),
      run(names.burner, ['sh', '-c', 'yes >/dev/null'], {
        hostConfig: { NanoCpus: 5e8, Memory: 64 * 1024 ** 2, PidsLimit: 50 },
      }),
      run(names.crasher, ['sh', '-c', 'sleep 7; exit 1'], {
        hostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
      }),
      run(names.oom, ['sh', '-c', 'sleep 6; dd if=/dev/zero of=/dev/shm/fill bs=1M count=200; sleep 60'], {
        hostConfig: { Memory: 32 * 1024 ** 2, MemorySwap: 32 * 1024 ** 2, ShmSize: 256 * 1024 ** 2 },
      }),
    ]);
    const healthchecked = (name: string, test: string) =>
      env.docker
        .createContainer({
          name,
          Image: 'local/busybox:1',
          Cmd: ['sleep', '3600'],
          Labels: { 'kvobs.test': '1' },
          Healthcheck: health(test),
        })
        .then(async (c) => {
          started.push(c);
          await c.start();
        });
    await Promise.all([healthchecked(names.healthy, 'true'), healthchecked(names.sick, 'false')]);

    // A kvstore is reached on its bridge address, as the collector reaches it; load starts once it is ready.
    const readyUrl = async (container: Docker.Container): Promise<string> => {
      const address = Object.values((await container.inspect()).NetworkSettings.Networks)[0]?.IPAddress;
      if (!address) throw new Error('a kvstore container has no network address');
      const baseUrl = `http://${address}:8080`;
      await eventually(
        () =>
          fetch(`${baseUrl}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        (status) => status === 200,
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      return baseUrl;
    };
    kvstoreContainer = kvstore;
    fullContainer = kvstoreFull;
    load = startKvLoad({ baseUrl: await readyUrl(kvstore), token: kvToken });
    largeLoad = startLargeWriteLoad({
      baseUrl: await readyUrl(kvstoreFull),
      token: kvToken,
      valueBytes: LARGE_VALUE_CHARS,
    });

    // Wait until the crasher restarted, the OOM kill was recorded, the kvstore was found healthy
    // and expired keys both ways, the full-disk kvstore answered 500s, and every series has a few intervals.
    const kv = `"container_name" = '${names.kvstore}'`;
    await eventually(
      async () => ({
        restarts: await count(
          `SELECT max("restart_count") FROM "docker_container_status" WHERE "container_name" = '${names.crasher}'`,
        ),
        oom: await count(
          `SELECT count("oomkilled") FROM "docker_container_status" WHERE "oomkilled" = true AND "container_name" = '${names.oom}'`,
        ),
        oomKills: await count(
          `SELECT max("oom_kills") FROM "docker_container_mem" WHERE "container_name" = '${names.oom}'`,
        ),
        diskUsage: await count(
          `SELECT count("size_rw") FROM "docker_disk_usage" WHERE "container_name" = '${names.burner}'`,
        ),
        unhealthy: await count(
          `SELECT count("health_status") FROM "docker_container_health" WHERE "health_status" = 'unhealthy'`,
        ),
        kvHealthy: await count(
          `SELECT count("health_status") FROM "docker_container_health" WHERE "health_status" = 'healthy' AND ${kv}`,
        ),
        expiredActive: await count(
          `SELECT max("kvstore_expired_keys_total") FROM "prometheus" WHERE "mode" = 'active' AND ${kv}`,
        ),
        expiredLazy: await count(
          `SELECT max("kvstore_expired_keys_total") FROM "prometheus" WHERE "mode" = 'lazy' AND ${kv}`,
        ),
        fullDiskErrors: await count(
          `SELECT max("http_request_duration_seconds_count") FROM "prometheus" WHERE "status_code" =~ /^5/ AND "container_name" = '${names.kvstoreFull}'`,
        ),
      }),
      (seen) =>
        seen.restarts >= 2 &&
        seen.oom >= 1 &&
        seen.oomKills >= 1 &&
        seen.diskUsage >= 1 &&
        seen.unhealthy >= 2 &&
        seen.kvHealthy >= 1 &&
        seen.expiredActive > 0 &&
        seen.expiredLazy > 0 &&
        // Enough 500s that they fill a fair part of the alert's 5-minute window (~40 s or more).
        seen.fullDiskErrors >= 60,
      { timeoutMs: 150_000, intervalMs: 2000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 8000));
    [loadReport, largeLoadReport] = await Promise.all([load.stop(), largeLoad.stop()]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([load?.stop(), largeLoad?.stop()]);
    await collector?.stop();
    await removeContainers(started);
    if (env) await dropDatabase(env.influxUrl, db);
  });

  it('the real kvstore served the load, and the collector recorded what it counted', async () => {
    if (!loadReport) throw new Error('the load did not run');
    const statuses = Object.fromEntries(loadReport.byStatus);
    console.log(`kvstore load: ${loadReport.requests} requests, by status ${JSON.stringify(statuses)}`);
    if (loadReport.unanswered.length > 0)
      console.log(`requests without an answer:\n${loadReport.unanswered.join('\n')}`);
    // The service lived through the load: still running, never restarted (a crash would also
    // empty every KV panel from then on).
    const inspected = await kvstoreContainer?.inspect();
    expect(inspected?.State.Running).toBe(true);
    expect(inspected?.RestartCount).toBe(0);
    // Creates, updates, deletes, misses (expired TTL keys), a failed If-Match, a bad token.
    for (const status of [200, 201, 204, 401, 404, 412]) expect(statuses[status] ?? 0).toBeGreaterThan(0);
    // What the service counted, as the collector scraped it: the load's creates, never more.
    const created = await count(
      `SELECT sum("last") FROM (SELECT last("http_request_duration_seconds_count") FROM "prometheus" WHERE "container_name" = '${names.kvstore}' AND "method" = 'PUT' AND "status_code" = '201' GROUP BY *)`,
    );
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThanOrEqual(statuses[201] ?? 0);
  });

  it('every panel, variable and alert query returns the expected containers and metrics', async () => {
    const containers: ContainerExpectations = {
      all: Object.values(names),
      cpuLimited: [names.burner],
      pidsLimited: [names.burner],
      healthchecked: [names.healthy, names.sick, names.kvstore, names.kvstoreFull],
      restarted: [names.crasher],
      oomKilled: [names.oom],
      // Its dd is OOM-killed while its shell runs on: the kernel's counter rises.
      oomKillCounted: [names.oom],
      // Every container of the test was running at the second sweep.
      diskUsage: Object.values(names),
      hosts: { all: [engineHost] },
      unhealthy: [names.sick],
      kvstore: [names.kvstore, names.kvstoreFull],
    };
    const report = await assertDashboardsReturnData({
      influxUrl: env.influxUrl,
      db,
      containers,
      timeRange: { fromMs, toMs: Date.now() },
      timeInterval: '2s',
    });
    const byArea = new Map<string, number>();
    for (const check of report.checks) {
      const area = check.name.split('/')[0] ?? '';
      byArea.set(area, (byArea.get(area) ?? 0) + 1);
    }
    console.log(
      `dashboard checks: ${report.checks.length} passed, ${report.failures.length} failed (${[...byArea].map(([area, n]) => `${area} ${n}`).join(', ')})`,
    );
    expect(report.checks.length).toBeGreaterThan(150);

    // The load's real 401, 404 and 412 answers are in the data; the error ratio counts 5xx
    // only, and the healthy kvstore answered none, so for it the panel and the alert read
    // exactly 0. The kvstore with the full disk answered 500s: its ratio is above 0.
    const byStatus = report.checks.find((c) => c.name === 'kvstore/Request rate by status/A (All)');
    const statuses = byStatus
      ? (await influxQuery(env.influxUrl, db, byStatus.query)).map((s) => s.tags?.status_code)
      : [];
    expect(statuses).toEqual(expect.arrayContaining(['401', '404', '412', '500']));
    const ratioOf = async (checkName: string, container: string): Promise<number[]> => {
      const check = report.checks.find((c) => c.name === checkName);
      if (!check) throw new Error(`no check ${checkName}`);
      const series = await influxQuery(env.influxUrl, db, check.query);
      return series
        .filter((s) => s.tags?.container_name === container)
        .flatMap((s) => s.values.map((row) => row[1]))
        .filter((value): value is number => typeof value === 'number');
    };
    const alertCheck = `alert/${ALERT_RULE_UIDS.kvErrorRate}/A`;
    for (const checkName of ['kvstore/Error rate/A (All)', alertCheck]) {
      const healthy = await ratioOf(checkName, names.kvstore);
      expect(healthy.length, checkName).toBeGreaterThan(0);
      expect(new Set(healthy), checkName).toEqual(new Set([0]));
      expect(Math.max(...(await ratioOf(checkName, names.kvstoreFull))), checkName).toBeGreaterThan(0);
    }
    // Grafana's B (reduce) and C (threshold) over the alert's A: it fires for the full disk only.
    const rule = alertRules().find((r) => r.uid === ALERT_RULE_UIDS.kvErrorRate);
    expect(rule).toMatchObject({ reducer: 'mean', threshold: { type: 'gt' } });
    const limit = rule?.threshold.value ?? Number.NaN;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const reduced = {
      full: mean(await ratioOf(alertCheck, names.kvstoreFull)),
      healthy: mean(await ratioOf(alertCheck, names.kvstore)),
    };
    console.log(`KV error-rate alert, B (mean of A) against ${limit}: ${JSON.stringify(reduced)}`);
    expect(reduced.full).toBeGreaterThan(limit);
    expect(reduced.healthy).not.toBeGreaterThan(limit);
  });

  it('the kvstore whose disk is full answers 500 to the writes that do not fit, and keeps serving', async () => {
    if (!largeLoadReport) throw new Error('the large-write load did not run');
    const statuses = Object.fromEntries(largeLoadReport.byStatus);
    console.log(
      `full-disk kvstore: ${largeLoadReport.requests} writes of ${LARGE_VALUE_CHARS} chars on a ${FULL_DISK} disk, by status ${JSON.stringify(statuses)}`,
    );
    expect(statuses[500] ?? 0).toBeGreaterThan(0);
    const inspected = await fullContainer?.inspect();
    expect(inspected?.State.Running).toBe(true);
    expect(inspected?.RestartCount).toBe(0);
  });
});

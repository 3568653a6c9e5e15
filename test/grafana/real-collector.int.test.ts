// The dashboards against the REAL collector over REAL containers: a CPU-limited burner, a
// healthy and an unhealthy healthcheck, a crash-looping container, an OOM kill and a
// scraped Prometheus endpoint (a busybox stand-in for the kvstore, serving its metric
// names). Every panel, variable and alert query must return the containers it promises.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { assertDashboardsReturnData, type ContainerExpectations } from '../support/grafana-harness.js';
import { createDatabase, dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

// The crasher lives 7 s a run: usage_percent needs two samples of one run (2 s interval).
// A kvstore-shaped exposition that moves every second: histogram, labelled counters, gauges.
const EXPOSITION_SCRIPT = `
mkdir -p /www; n=0
while true; do
  n=$((n+1)); ok=$((n*40)); err=$((n*2)); fast=$((n*38))
  {
    echo '# TYPE http_request_duration_seconds histogram'
    for le in 0.005 0.05 0.25; do echo "http_request_duration_seconds_bucket{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"200\\",le=\\"$le\\"} $fast"; done
    echo "http_request_duration_seconds_bucket{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"200\\",le=\\"+Inf\\"} $ok"
    echo "http_request_duration_seconds_sum{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"200\\"} $n"
    echo "http_request_duration_seconds_count{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"200\\"} $ok"
    echo "http_request_duration_seconds_bucket{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"500\\",le=\\"0.25\\"} $err"
    echo "http_request_duration_seconds_bucket{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"500\\",le=\\"+Inf\\"} $err"
    echo "http_request_duration_seconds_sum{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"500\\"} $n"
    echo "http_request_duration_seconds_count{method=\\"GET\\",route=\\"/kv/:key\\",status_code=\\"500\\"} $err"
    echo "kvstore_operations_total{op=\\"get\\",result=\\"hit\\"} $ok"
    echo "kvstore_expired_keys_total{mode=\\"active\\"} $n"
    echo "kvstore_keys $((1000 + n % 50))"
    echo "kvstore_storage_size_bytes $((4096 * n))"
    echo "nodejs_eventloop_lag_seconds 0.003"
    echo "nodejs_eventloop_lag_p99_seconds 0.011"
    echo "process_cpu_seconds_total $n"
    echo "process_resident_memory_bytes 50000000"
    echo "nodejs_heap_size_used_bytes 20000000"
  } > /www/metrics.tmp && mv /www/metrics.tmp /www/metrics
  sleep 1
done & httpd -f -p 9100 -h /www`;

describe.runIf(haveServices())('dashboards on data from the real collector', () => {
  const db = uniqueDatabase('grafana_real');
  const started: Docker.Container[] = [];
  const names = {
    burner: uniqueName('gf-burner'),
    healthy: uniqueName('gf-healthy'),
    sick: uniqueName('gf-sick'),
    crasher: uniqueName('gf-crasher'),
    oom: uniqueName('gf-oom'),
    metrics: uniqueName('gf-kv'),
  };
  let env: Services;
  let collector: RunningCollector | undefined;
  let fromMs = 0;

  beforeAll(async () => {
    const provided = services();
    if (!provided) throw new Error('services vanished between collection and run');
    env = provided;
    await createDatabase(env.influxUrl, db);
    fromMs = Date.now() - 1000;
    collector = await startCollector({ INFLUX_URL: env.influxUrl, INFLUX_DB: db, COLLECT_INTERVAL: '2s' });
    const health = (test: string) => ({
      Test: ['CMD', test],
      Interval: 1e9,
      Timeout: 1e9,
      Retries: 1,
      StartPeriod: 0,
    });
    const run = (name: string, cmd: string[], extra: Partial<Parameters<typeof runContainer>[1]> = {}) =>
      runContainer(env.docker, { name, cmd, ...extra }).then((c) => started.push(c));
    await Promise.all([
      run(names.burner, ['sh', '-c', 'yes >/dev/null'], {
        hostConfig: { NanoCpus: 5e8, Memory: 64 * 1024 ** 2, PidsLimit: 50 },
      }),
      run(names.crasher, ['sh', '-c', 'sleep 7; exit 1'], {
        hostConfig: { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } },
      }),
      run(names.metrics, ['sh', '-c', EXPOSITION_SCRIPT], {
        labels: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100' },
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

    // Wait until the crasher restarted, the OOM kill was recorded and every series has a few intervals.
    await eventually(
      async () => ({
        restarts: await influxQuery(
          env.influxUrl,
          db,
          `SELECT max("restart_count") FROM "docker_container_status" WHERE "container_name" = '${names.crasher}'`,
        ),
        oom: await influxQuery(
          env.influxUrl,
          db,
          `SELECT count("oomkilled") FROM "docker_container_status" WHERE "oomkilled" = true AND "container_name" = '${names.oom}'`,
        ),
        unhealthy: await influxQuery(
          env.influxUrl,
          db,
          `SELECT count("health_status") FROM "docker_container_health" WHERE "health_status" = 'unhealthy'`,
        ),
      }),
      ({ restarts, oom, unhealthy }) =>
        Number(restarts[0]?.values[0]?.[1] ?? 0) >= 2 &&
        Number(oom[0]?.values[0]?.[1] ?? 0) >= 1 &&
        Number(unhealthy[0]?.values[0]?.[1] ?? 0) >= 2,
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 8000));
  }, 180_000);

  afterAll(async () => {
    await collector?.stop();
    await removeContainers(started);
    if (env) await dropDatabase(env.influxUrl, db);
  });

  it('every panel, variable and alert query returns the expected containers and metrics', async () => {
    const containers: ContainerExpectations = {
      all: Object.values(names),
      cpuLimited: [names.burner],
      pidsLimited: [names.burner],
      healthchecked: [names.healthy, names.sick],
      restarted: [names.crasher],
      oomKilled: [names.oom],
      unhealthy: [names.sick],
      kvstore: [names.metrics],
    };
    const report = await assertDashboardsReturnData({
      influxUrl: env.influxUrl,
      db,
      containers,
      timeRange: { fromMs, toMs: Date.now() },
      timeInterval: '2s',
    });
    expect(report.checks.length).toBeGreaterThan(150);
  });
});

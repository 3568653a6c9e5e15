// The daemon against a changing engine: containers start, get renamed, stop and go away
// while it runs at 1 s, and every change shows up in InfluxDB.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, type RunningCollector, startCollector } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

describe.runIf(haveServices())('collector lifecycle', () => {
  let env: Services;
  let db: string;
  let running: RunningCollector;
  const prefix = uniqueName('life');
  const started: Docker.Container[] = [];

  const containerNames = async (measurement: string) => {
    const series = await influxQuery(
      env.influxUrl,
      db,
      `SHOW TAG VALUES FROM "${measurement}" WITH KEY = "container_name"`,
    );
    return (series[0]?.values ?? []).map((row) => String(row[1]));
  };

  beforeAll(async () => {
    env = services() as Services;
    db = uniqueDatabase('lifecycle');
    await createDatabase(env.influxUrl, db);
    running = await startCollector({
      INFLUX_URL: env.influxUrl,
      INFLUX_DB: db,
      COLLECT_INTERVAL: '1s',
      CONTAINER_NAME_INCLUDE: `${prefix}-*`,
    });
  });
  afterAll(async () => {
    await running?.stop();
    await removeContainers(started);
    await dropDatabase(env.influxUrl, db);
  });

  it('picks up a container started mid-run within a couple of intervals', async () => {
    const container = await runContainer(env.docker, { name: `${prefix}-a`, cmd: ['sleep', '3600'] });
    started.push(container);
    const names = await eventually(
      () => containerNames('docker_container_cpu'),
      (n) => n.includes(`${prefix}-a`),
      {
        timeoutMs: 10_000,
      },
    );
    expect(names).toContain(`${prefix}-a`);
    expect(running.collector.trackedContainers).toBe(1);
  });

  it('follows a rename', async () => {
    await started[0]?.rename({ name: `${prefix}-renamed` });
    const names = await eventually(
      () => containerNames('docker_container_mem'),
      (n) => n.includes(`${prefix}-renamed`),
      { timeoutMs: 10_000 },
    );
    expect(names).toContain(`${prefix}-renamed`);
  });

  it('writes a final status on stop and then leaves a gap, not zeros', async () => {
    const container = started[0] as Docker.Container;
    await container.stop({ t: 0 });
    const stoppedAt = Date.now();
    const status = await eventually(
      async () =>
        influxQuery(
          env.influxUrl,
          db,
          `SELECT last("exitcode") FROM "docker_container_status" WHERE "container_name" = '${prefix}-renamed' AND "container_status" = 'exited'`,
        ),
      (series) => series.length > 0,
      { timeoutMs: 10_000 },
    );
    expect(status[0]?.values[0]?.[1]).toBe(137);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = pointsOf(running.sink.points, 'docker_container_cpu', `${prefix}-renamed`).filter(
      (p) => Number(p.time / 1_000_000n) > stoppedAt + 500,
    );
    expect(after).toEqual([]);
    expect(running.collector.trackedContainers).toBe(0);
  });

  it('picks up a recreated container of the same name, with a new id', async () => {
    await removeContainers(started.splice(0));
    const again = await runContainer(env.docker, { name: `${prefix}-renamed`, cmd: ['sleep', '3600'] });
    started.push(again);
    const ids = await eventually(
      async () =>
        influxQuery(
          env.influxUrl,
          db,
          `SELECT "container_id" FROM "docker_container_status" WHERE "container_name" = '${prefix}-renamed'`,
        ),
      (series) => (series[0]?.values ?? []).some((row) => row[1] === again.id),
      { timeoutMs: 10_000 },
    );
    expect((ids[0]?.values ?? []).some((row) => row[1] === again.id)).toBe(true);
  });

  it('keeps gathering every interval and reports healthy', async () => {
    const before = (await running.metrics.gatherDuration.get()).values.find(
      (v) => v.metricName === 'collector_gather_duration_seconds_count' && v.labels.source === 'docker',
    )?.value;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const after = (await running.metrics.gatherDuration.get()).values.find(
      (v) => v.metricName === 'collector_gather_duration_seconds_count' && v.labels.source === 'docker',
    )?.value;
    expect(Number(after)).toBeGreaterThan(Number(before) + 1);
    expect(running.collector.health().healthy).toBe(true);
  });
});

// Proves the integration environment is real: a real engine that runs a real CPU burner,
// and a real InfluxDB that stores and answers InfluxQL.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeContainers, runContainer } from '../support/docker.js';
import { createDatabase, dropDatabase, influxQuery, uniqueDatabase, writeLines } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

describe.runIf(haveServices())('test environment', () => {
  let env: Services;
  const started: Docker.Container[] = [];

  beforeAll(() => {
    const provided = services();
    if (!provided) throw new Error('services vanished between collection and run');
    env = provided;
  });
  afterAll(() => removeContainers(started));

  it('runs a busybox CPU burner that the engine reports above 50 % CPU', async () => {
    const burner = await runContainer(env.docker, { cmd: ['sh', '-c', 'yes >/dev/null'] });
    started.push(burner);
    // stream=false without one-shot: the daemon waits one cycle and fills precpu_stats itself.
    const stats = await burner.stats({ stream: false });
    const cpuDelta = stats.cpu_stats.cpu_usage.total_usage - stats.precpu_stats.cpu_usage.total_usage;
    const systemDelta = stats.cpu_stats.system_cpu_usage - stats.precpu_stats.system_cpu_usage;
    const onlineCpus = stats.cpu_stats.online_cpus || stats.cpu_stats.cpu_usage.percpu_usage?.length || 1;
    const cpuPercent = (cpuDelta / systemDelta) * onlineCpus * 100;
    expect(cpuPercent).toBeGreaterThan(50);
  });

  it('writes a point to InfluxDB and reads it back with InfluxQL', async () => {
    const db = uniqueDatabase('smoke');
    await createDatabase(env.influxUrl, db);
    try {
      const time = 1_700_000_000_000_000_000n;
      await writeLines(env.influxUrl, db, [`smoke,host=test value=42.5 ${time}`]);
      const series = await influxQuery(
        env.influxUrl,
        db,
        'SELECT "value" FROM "smoke" WHERE "host" = \'test\'',
      );
      expect(series[0]?.values).toEqual([[Number(time / 1_000_000n), 42.5]]);
    } finally {
      await dropDatabase(env.influxUrl, db);
    }
  });
});

// Resilience: InfluxDB down for 60 s loses no point; dockerd restarted mid-run is survived.
import { execFile } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointsOf, type RunningCollector, startCollector } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const scripts = path.resolve(import.meta.dirname, '../../scripts/testenv');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(haveServices())('collector resilience', () => {
  let env: Services;
  const started: Docker.Container[] = [];
  beforeAll(() => {
    env = services() as Services;
  });
  afterAll(() => removeContainers(started));

  it('loses no point while InfluxDB is down for 60 s', { timeout: 240_000 }, async () => {
    // An InfluxDB of its own, so stopping it disturbs no other suite.
    const name = uniqueName('outage');
    const url = (await run('bash', [path.join(scripts, 'start-influxdb.sh'), name])).stdout.trim();
    const db = uniqueDatabase('outage');
    let collector: RunningCollector | undefined;
    try {
      await createDatabase(url, db);
      const prefix = uniqueName('out');
      started.push(await runContainer(env.docker, { name: `${prefix}-w`, cmd: ['sleep', '3600'] }));
      collector = await startCollector({
        INFLUX_URL: url,
        INFLUX_DB: db,
        COLLECT_INTERVAL: '1s',
        CONTAINER_NAME_INCLUDE: `${prefix}-*`,
      });
      await sleep(3_000);
      await run('bash', [path.join(scripts, 'stop-influxdb.sh'), name, '--keep-data']);
      const downAt = Date.now();
      await sleep(60_000);
      await run('bash', [path.join(scripts, 'start-influxdb.sh'), name, '--resume']);
      await sleep(3_000);

      const sent = pointsOf(collector.sink.points, 'docker_container_cpu', `${prefix}-w`).filter(
        (p) => p.tags.cpu === 'cpu-total',
      );
      const sentDuringOutage = sent.filter((p) => {
        const ms = Number(p.time / 1_000_000n);
        return ms > downAt && ms < downAt + 60_000;
      });
      expect(sentDuringOutage.length).toBeGreaterThan(50);
      const count = async () => {
        const series = await influxQuery(
          url,
          db,
          `SELECT count("usage_total") FROM "docker_container_cpu" WHERE "container_name" = '${prefix}-w' AND "cpu" = 'cpu-total' AND time <= ${sent.at(-1)?.time ?? 0n}`,
        );
        return Number(series[0]?.values[0]?.[1] ?? 0);
      };
      const stored = await eventually(count, (n) => n >= sent.length, {
        timeoutMs: 90_000,
        intervalMs: 1_000,
      });
      expect(stored).toBe(sent.length);
      const dropped = await collector.metrics.pointsDropped.get();
      expect(dropped.values.reduce((sum, v) => sum + v.value, 0)).toBe(0);
      const failed = await collector.metrics.pointsFailed.get();
      expect(failed.values[0]?.value ?? 0).toBeGreaterThan(0);
    } finally {
      await collector?.stop();
      await run('bash', [path.join(scripts, 'stop-influxdb.sh'), name]);
    }
  });

  it('survives a dockerd restart and resumes gathering', { timeout: 240_000 }, async () => {
    const db = uniqueDatabase('restart');
    await createDatabase(env.influxUrl, db);
    const prefix = uniqueName('rst');
    const collector = await startCollector({
      INFLUX_URL: env.influxUrl,
      INFLUX_DB: db,
      COLLECT_INTERVAL: '1s',
      CONTAINER_NAME_INCLUDE: `${prefix}-*`,
    });
    try {
      started.push(await runContainer(env.docker, { name: `${prefix}-before`, cmd: ['sleep', '3600'] }));
      await sleep(2_500);
      expect(collector.collector.trackedContainers).toBe(1);

      // Stop the engine (whoever started it), then start it again the way the test env does.
      // The engine on this network namespace's socket: a test swarm's nodes run dockerd too,
      // each in a namespace of its own.
      const { stdout } = await run('pidof', ['dockerd']);
      const ownNet = readlinkSync('/proc/self/ns/net');
      const pid = stdout
        .trim()
        .split(' ')
        .map(Number)
        .find((candidate) => readlinkSync(`/proc/${candidate}/ns/net`) === ownNet);
      if (pid === undefined) throw new Error(`no dockerd in this network namespace among ${stdout.trim()}`);
      process.kill(pid, 'SIGTERM');
      await eventually(
        async () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        },
        (gone) => gone,
        { timeoutMs: 60_000 },
      );
      await sleep(3_000); // the collector runs gathers against a dead engine meanwhile
      await run('bash', [path.join(scripts, 'start-dockerd.sh')]);

      const after = await runContainer(env.docker, { name: `${prefix}-after`, cmd: ['sleep', '3600'] });
      started.push(after);
      const gathered = await eventually(
        async () => pointsOf(collector.sink.points, 'docker_container_cpu', `${prefix}-after`),
        (points) => points.length >= 2,
        { timeoutMs: 30_000 },
      );
      expect(gathered.length).toBeGreaterThanOrEqual(2);
      const names = await eventually(
        async () =>
          influxQuery(
            env.influxUrl,
            db,
            `SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "container_name"`,
          ),
        (series) => (series[0]?.values ?? []).some((row) => row[1] === `${prefix}-after`),
        { timeoutMs: 15_000 },
      );
      expect((names[0]?.values ?? []).map((row) => row[1])).toContain(`${prefix}-after`);
      // The container that died with the engine is no longer followed.
      expect(collector.collector.trackedContainers).toBe(1);
      const errors = await collector.metrics.statsErrors.get();
      expect(
        errors.values.length + (await collector.metrics.engineErrors.get()).values.length,
      ).toBeGreaterThan(0);
    } finally {
      await collector.stop();
    }
  });
});

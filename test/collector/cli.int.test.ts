// The built CLI: `collector --once` like `telegraf --test`, config errors naming the
// variable, and the daemon's signal handling (flush on SIGTERM, exit at once on a second).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'collector/bin/collector.js');

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Resolves with the daemon's HTTP address once it logs that it is starting. */
function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (line.includes('"collector starting"'))
          resolve((JSON.parse(line) as { address: { port: number } }).address.port);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${buffer}`)));
  });
}

describe.runIf(haveServices())('collector CLI', () => {
  let env: Services;
  const started: Docker.Container[] = [];
  const prefix = uniqueName('cli');
  let db: string;

  beforeAll(async () => {
    env = services() as Services;
    await run('npx', ['tsc', '-b', 'collector'], { cwd: root });
    started.push(
      await runContainer(env.docker, { name: `${prefix}-burn`, cmd: ['sh', '-c', 'yes >/dev/null'] }),
    );
    db = uniqueDatabase('cli');
    await createDatabase(env.influxUrl, db);
  });
  afterAll(async () => {
    await removeContainers(started);
    await dropDatabase(env.influxUrl, db);
  });

  it('is what `npx collector` runs after npm ci && npm run build', async () => {
    const { stdout } = await run('npx', ['collector', '--help'], { cwd: root });
    expect(stdout).toContain('usage: collector [--once]');
  });

  it('--once prints line protocol with CPU % from two internal samples, and exits 0', async () => {
    const { stdout } = await run(cli, ['--once'], {
      env: { ...process.env, CONTAINER_NAME_INCLUDE: `${prefix}-*`, LOG_LEVEL: 'warn' },
    });
    const lines = stdout.trim().split('\n');
    const cpu = lines.find((l) => l.startsWith('docker_container_cpu,') && l.includes('cpu=cpu-total'));
    expect(cpu).toContain(`container_name=${prefix}-burn`);
    const percent = Number(/usage_percent=([\d.e+-]+)/.exec(cpu ?? '')?.[1]);
    expect(percent).toBeGreaterThan(50);
    expect(cpu).toMatch(/container_id="[0-9a-f]{64}"/);
    expect(lines.some((l) => l.startsWith('docker_container_mem,'))).toBe(true);
    expect(lines.every((l) => / \d{19}$/.test(l))).toBe(true);
  });

  it.each([
    [{ COLLECT_INTERVAL: 'often' }, 'COLLECT_INTERVAL'],
    [{ INFLUX_URL: 'http://127.0.0.1:1', INFLUX_API: 'v1' }, 'INFLUX_DB'],
    [{ INFLUX_URL: 'http://127.0.0.1:1' }, 'INFLUX_TOKEN'],
    [{}, 'INFLUX_URL'],
  ])('a bad config %o exits non-zero naming %s', async (extra, variable) => {
    const child = spawn(cli, [], { env: { PATH: process.env.PATH, ...extra } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exited(child)).toBe(78);
    expect(stderr).toContain(variable);
  });

  it('daemon: serves /healthz and /metrics, flushes on SIGTERM and exits 0', async () => {
    const child = spawn(cli, [], {
      env: {
        ...process.env,
        INFLUX_API: 'v1',
        INFLUX_URL: env.influxUrl,
        INFLUX_DB: db,
        COLLECT_INTERVAL: '1s',
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        CONTAINER_NAME_INCLUDE: `${prefix}-*`,
      },
    });
    const done = exited(child);
    const port = await listeningPort(child);
    const health = await eventually(
      () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status),
      (status) => status === 200,
      { timeoutMs: 15_000 },
    );
    expect(health).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('collector_gather_duration_seconds_bucket');
    expect(metrics).toMatch(/collector_containers_tracked 1\b/);
    child.kill('SIGTERM');
    expect(await done).toBe(0);
    const series = await influxQuery(
      env.influxUrl,
      db,
      `SELECT count("usage_total") FROM "docker_container_cpu" WHERE "container_name" = '${prefix}-burn'`,
    );
    expect(Number(series[0]?.values[0]?.[1])).toBeGreaterThan(0);
    const self = await influxQuery(
      env.influxUrl,
      db,
      `SELECT last("collector_containers_tracked") FROM "prometheus" WHERE "job" = 'collector'`,
    );
    expect(self[0]?.values[0]?.[1]).toBe(1);
  });

  it('daemon: a second signal exits at once even while the flush is stuck', async () => {
    // An "InfluxDB" that accepts connections and never answers: the final flush hangs.
    const sockets: Socket[] = [];
    const blackHole: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const { port } = blackHole.address() as { port: number };
    try {
      const child = spawn(cli, [], {
        env: {
          ...process.env,
          INFLUX_API: 'v1',
          INFLUX_URL: `http://127.0.0.1:${port}`,
          INFLUX_DB: db,
          INFLUX_TIMEOUT: '60s',
          COLLECT_INTERVAL: '1s',
          HTTP_PORT: '0',
          SHUTDOWN_TIMEOUT: '60s',
          CONTAINER_NAME_INCLUDE: `${prefix}-*`,
        },
      });
      const done = exited(child);
      await listeningPort(child);
      await eventually(
        async () => sockets.length,
        (n) => n > 0,
        { timeoutMs: 10_000 },
      );
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(child.exitCode).toBeNull(); // still flushing
      child.kill('SIGTERM');
      expect(await done).toBe(130);
    } finally {
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    }
  });
});

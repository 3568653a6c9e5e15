// The collector's Dockerfile builds on the local Node base image, runs as a non-root user,
// reads the engine through the mounted socket, and reports healthy.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMAGES,
  removeContainers,
  runContainer,
  socketAccessArgs,
  socketAccessHostConfig,
  uniqueName,
} from '../support/docker.js';
import { buildProjectImage } from '../support/images.js';
import { eventually } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const IMAGE = 'dockwatch/collector:test';

describe.runIf(haveServices())('collector image', () => {
  let env: Services;
  const started: Docker.Container[] = [];
  const prefix = uniqueName('img');

  beforeAll(async () => {
    env = services() as Services;
    await buildProjectImage('collector', IMAGE);
    started.push(await runContainer(env.docker, { name: `${prefix}-target`, cmd: ['sleep', '3600'] }));
  }, 600_000);
  afterAll(() => removeContainers(started));

  it('runs as a non-root user and prints line protocol with --once', async () => {
    const { stdout } = await run('docker', [
      'run',
      '--rm',
      ...socketAccessArgs(env.dockerSocket),
      '-e',
      `CONTAINER_NAME_INCLUDE=${prefix}-*`,
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'id -u && node /app/collector/dist/cli.js --once',
    ]);
    const [uid, ...lines] = stdout.trim().split('\n');
    expect(uid).toBe('1000');
    expect(
      lines.some(
        (l) => l.startsWith('docker_container_cpu,') && l.includes(`container_name=${prefix}-target`),
      ),
    ).toBe(true);
  });

  it('becomes healthy as a daemon (its healthcheck uses node, not curl)', async () => {
    const influx = await runContainer(env.docker, {
      name: `${prefix}-influx`,
      image: IMAGES.influxdb,
      cmd: ['influxd'],
    });
    started.push(influx);
    const influxIp = (await influx.inspect()).NetworkSettings.Networks.bridge?.IPAddress;
    const collector = await runContainer(env.docker, {
      name: `${prefix}-collector`,
      image: IMAGE,
      cmd: [],
      env: [
        'INFLUX_API=v1',
        `INFLUX_URL=http://${influxIp}:8086`,
        'INFLUX_DB=telegraf',
        'COLLECT_INTERVAL=1s',
        `CONTAINER_NAME_INCLUDE=${prefix}-*`,
      ],
      hostConfig: socketAccessHostConfig(env.dockerSocket),
    });
    started.push(collector);
    const health = await eventually(
      async () => (await collector.inspect()).State.Health?.Status,
      (status) => status === 'healthy',
      { timeoutMs: 90_000, intervalMs: 1_000 },
    );
    expect(health).toBe('healthy');
  });
});

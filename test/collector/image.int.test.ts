// The collector's Dockerfile builds on the local Node base image, runs as a non-root user,
// reads the engine through the mounted socket, and reports healthy.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES, removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { eventually } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const IMAGE = 'dockwatch/collector:test';

describe.runIf(haveServices())('collector image', () => {
  let env: Services;
  const started: Docker.Container[] = [];
  const prefix = uniqueName('img');

  beforeAll(async () => {
    env = services() as Services;
    await run(
      'docker',
      [
        'build',
        '-q',
        '-f',
        'collector/Dockerfile',
        '--build-arg',
        `NODE_IMAGE=${IMAGES.node}`,
        '-t',
        IMAGE,
        '.',
      ],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    started.push(await runContainer(env.docker, { name: `${prefix}-target`, cmd: ['sleep', '3600'] }));
  }, 600_000);
  afterAll(() => removeContainers(started));

  const socketAccess = (): Docker.HostConfig => ({
    Binds: [`${env.dockerSocket}:/var/run/docker.sock:ro`],
    GroupAdd: [String(statSync(env.dockerSocket).gid)],
  });

  it('runs as a non-root user and prints line protocol with --once', async () => {
    const { stdout } = await run('docker', [
      'run',
      '--rm',
      '-v',
      `${env.dockerSocket}:/var/run/docker.sock:ro`,
      '--group-add',
      String(statSync(env.dockerSocket).gid),
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
      hostConfig: socketAccess(),
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

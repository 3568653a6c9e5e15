// docker_disk_usage and disk on the real engine: a container that wrote 50 MiB to its writable
// layer and a volume holding 30 MiB (used by a stopped container) read through the collector's
// background /system/df sweep, compared per named object with `docker ps -s` and `docker
// system df -v` (other tests create containers meanwhile, so totals are not compared); and the
// data root's filesystem compared with `df`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArrayAccumulator,
  Collector,
  DataRootDiskInput,
  DiskUsageInput,
  type InputFactory,
  type Logger,
  MEASUREMENT,
  type Point,
} from '@dockwatch/collector';
import { collectorConfig, parseDockerSize } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { eventually } from '../support/influx.js';
import { memoryLogger } from '../support/logger.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

const diskUsageOnly: InputFactory[] = [(context) => new DiskUsageInput(context)];
const diskOnly: InputFactory[] = [(context) => new DataRootDiskInput(context)];

/** docker's human sizes have 4 significant digits: equal within that rounding. */
function expectCloseToHuman(value: bigint | undefined, human: string | undefined, what: string): void {
  expect(human, what).toBeDefined();
  const reference = parseDockerSize(human ?? '');
  expect(Math.abs(Number(value) - reference), `${what}: ${value} vs ${human}`).toBeLessThanOrEqual(
    reference * 0.001 + 1,
  );
}

async function dockerJsonLines<T>(args: string[]): Promise<T[]> {
  const { stdout } = await run('docker', [...args, '--format', '{{json .}}'], { maxBuffer: 64 * MiB });
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

interface SystemDfVerbose {
  Containers: { Names: string; Size: string }[];
  Volumes: { Name: string; Size: string; Links: string }[];
}

describe.runIf(haveServices())('docker_disk_usage on the real engine', () => {
  let env: Services;
  const prefix = uniqueName('du');
  const volumeName = `${prefix}-data`;
  const writerName = `${prefix}-rw`;
  const volumeUserName = `${prefix}-vol`;
  const started: Docker.Container[] = [];
  let points: Point[] = [];
  let sweepStartedAt = 0n;
  let secondGatherMs = 0;

  beforeAll(async () => {
    env = services() as Services;
    await env.docker.createVolume({ Name: volumeName, Labels: { 'kvobs.test': '1' } });
    started.push(
      await runContainer(env.docker, {
        name: writerName,
        labels: { 'com.docker.compose.project': prefix, 'com.docker.compose.service': 'writer' },
        cmd: [
          'sh',
          '-c',
          'dd if=/dev/zero of=/blob bs=1048576 count=50 2>/dev/null; echo written; sleep 3600',
        ],
      }),
    );
    const volumeUser = await runContainer(env.docker, {
      name: volumeUserName,
      cmd: ['sh', '-c', 'dd if=/dev/zero of=/data/blob bs=1048576 count=30 2>/dev/null'],
      hostConfig: { Binds: [`${volumeName}:/data`] },
    });
    started.push(volumeUser);
    await volumeUser.wait();
    await eventually(
      async () => (await run('docker', ['logs', writerName])).stdout,
      (out) => out.includes('written'),
      { timeoutMs: 60_000 },
    );

    const collector = new Collector(collectorConfig({ DISK_USAGE_INTERVAL: '1m' }), {
      inputs: diskUsageOnly,
    });
    // Following events, so a gather does not re-list the engine's containers.
    await collector.connect({ followEvents: true });
    sweepStartedAt = BigInt(Date.now()) * 1_000_000n;
    await collector.gather(new ArrayAccumulator(), { includeSelf: false }); // starts the sweep
    const t0 = Date.now();
    const acc = new ArrayAccumulator();
    await collector.gather(acc, { includeSelf: false });
    secondGatherMs = Date.now() - t0;
    points = await eventually(
      async () => {
        const next = new ArrayAccumulator();
        await collector.gather(next, { includeSelf: false });
        return [...acc.points, ...next.points];
      },
      (found) => found.length > 0,
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    await collector.stop();
  }, 300_000);

  afterAll(async () => {
    await removeContainers(started);
    await env.docker
      .getVolume(volumeName)
      .remove()
      .catch(() => undefined);
  });

  const containerPoint = (name: string) => points.find((point) => point.tags.container_name === name);

  it('does not hold up the gather while the engine sweeps', () => {
    expect(secondGatherMs).toBeLessThan(100);
    const times = new Set(points.map((point) => point.time));
    expect(times.size).toBe(1);
    expect([...times][0]).toBeGreaterThanOrEqual(sweepStartedAt);
    expect(points.every((point) => point.measurement === MEASUREMENT.diskUsage)).toBe(true);
  });

  it('writes the 50 MiB writable layer as `docker ps -s` shows it, with the compose tags', async () => {
    const point = containerPoint(writerName);
    expect(point?.tags).toMatchObject({
      container_image: 'local/busybox',
      container_version: '1',
      'com.docker.compose.project': prefix,
      'com.docker.compose.service': 'writer',
    });
    const sizeRw = point?.fields.size_rw as bigint;
    const sizeRootFs = point?.fields.size_root_fs as bigint;
    expect(Number(sizeRw)).toBeGreaterThanOrEqual(50 * MiB);
    expect(Number(sizeRw)).toBeLessThan(51 * MiB);
    const [ps] = await dockerJsonLines<{ Size: string }>([
      'ps',
      '-a',
      '-s',
      '--filter',
      `name=^${writerName}$`,
    ]);
    // "52.43MB (virtual 54.46MB)"
    const match = /^(\S+) \(virtual (\S+)\)$/.exec(ps?.Size ?? '');
    expectCloseToHuman(sizeRw, match?.[1], 'size_rw');
    expectCloseToHuman(sizeRootFs, match?.[2], 'size_root_fs');
  });

  it('agrees with `docker system df -v` on the container and the 30 MiB volume (ref_count from a stopped container)', async () => {
    const [df] = await dockerJsonLines<SystemDfVerbose>(['system', 'df', '-v']);
    const container = df?.Containers.find((row) => row.Names === writerName);
    expectCloseToHuman(containerPoint(writerName)?.fields.size_rw as bigint, container?.Size, 'size_rw');
    // The stopped container's layers use disk too.
    expect(containerPoint(volumeUserName)?.fields.size_rw).toBeDefined();

    const volume = points.find((point) => point.tags.volume_name === volumeName);
    const row = df?.Volumes.find((one) => one.Name === volumeName);
    expect(Number(volume?.fields.size)).toBeGreaterThanOrEqual(30 * MiB);
    expectCloseToHuman(volume?.fields.size as bigint, row?.Size, 'volume size');
    expect(volume?.fields.ref_count).toBe(BigInt(row?.Links ?? -1));
    expect(volume?.fields.ref_count).toBe(1n);
  });

  it('writes the engine summary and the busybox image the containers use', () => {
    const summary = points.find((point) => Object.keys(point.tags).length === 2);
    expect(Object.keys(summary?.fields ?? {}).sort()).toEqual([
      'containers_size_rw',
      'images_reclaimable',
      'layers_size',
      'volumes_size',
    ]);
    expect(Number(summary?.fields.containers_size_rw)).toBeGreaterThanOrEqual(50 * MiB);
    expect(Number(summary?.fields.volumes_size)).toBeGreaterThanOrEqual(30 * MiB);
    const busybox = points.find((point) => point.tags.image_name === 'local/busybox');
    expect(busybox?.tags.image_id).toMatch(/^[0-9a-f]{12}$/);
    expect(Number(busybox?.fields.containers)).toBeGreaterThanOrEqual(2);
  });

  it('honours the container filter on the container points', async () => {
    const collector = new Collector(
      collectorConfig({ DISK_USAGE_INTERVAL: '1m', CONTAINER_NAME_EXCLUDE: `${prefix}-rw` }),
      { inputs: diskUsageOnly },
    );
    await collector.connect({ followEvents: false });
    await collector.gather(new ArrayAccumulator(), { includeSelf: false });
    const filtered = await eventually(
      async () => {
        const next = new ArrayAccumulator();
        await collector.gather(next, { includeSelf: false });
        return next.points;
      },
      (found) => found.length > 0,
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    await collector.stop();
    const names = filtered.map((point) => point.tags.container_name);
    expect(names).toContain(volumeUserName);
    expect(names).not.toContain(writerName);
  }, 180_000);
});

describe.runIf(haveServices())('disk (the data root) on the real engine', () => {
  let dataRoot = '';

  beforeAll(async () => {
    dataRoot = ((await services()?.docker.info()) as { DockerRootDir: string }).DockerRootDir;
  });

  async function gatherDisk(envOverrides: Record<string, string>, logger?: Logger) {
    const collector = new Collector(collectorConfig(envOverrides), {
      inputs: diskOnly,
      ...(logger ? { logger } : {}),
    });
    await collector.connect({ followEvents: false });
    const acc = new ArrayAccumulator();
    for (let i = 0; i < 3; i++) await collector.gather(acc, { includeSelf: false });
    const errors = (await collector.metrics.inputErrors.get()).values;
    await collector.stop();
    return { points: acc.points, errors };
  }

  it('agrees with `df -B1` on the filesystem holding DockerRootDir', async () => {
    const { points } = await gatherDisk({});
    const { stdout } = await run('df', ['-B1', '--output=source,fstype,size,used,avail', dataRoot]);
    const [source, fstype, size, used, avail] = (stdout.trim().split('\n')[1] ?? '').trim().split(/\s+/);
    const point = points.at(-1);
    expect(points).toHaveLength(3);
    expect(point?.tags).toEqual({
      host: expect.any(String),
      path: dataRoot,
      device: source?.replace('/dev/', ''),
      fstype,
      mode: 'rw',
    });
    expect(point?.fields.total).toBe(BigInt(size ?? ''));
    // Other tests write to the same disk meanwhile.
    const slack = 256 * MiB;
    expect(Math.abs(Number(point?.fields.used) - Number(used))).toBeLessThan(slack);
    expect(Math.abs(Number(point?.fields.free) - Number(avail))).toBeLessThan(slack);
    const usedPercent = (Number(used) / (Number(used) + Number(avail))) * 100;
    expect(Math.abs((point?.fields.used_percent as number) - usedPercent)).toBeLessThan(0.5);
    expect(Number(point?.fields.inodes_used)).toBe(
      Number(point?.fields.inodes_total) - Number(point?.fields.inodes_free),
    );
  });

  it('skips the point and warns once, naming HOST_MOUNT_PREFIX, when the data root is not mounted there', async () => {
    const { logger, lines } = memoryLogger('info');
    const { points, errors } = await gatherDisk({ HOST_MOUNT_PREFIX: '/nonexistent-hostfs' }, logger);
    expect(points).toEqual([]);
    expect(errors).toEqual([]);
    const warnings = lines.filter((line) => String(line.msg).includes('HOST_MOUNT_PREFIX'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.path).toBe(`/nonexistent-hostfs${dataRoot}`);
  });
});

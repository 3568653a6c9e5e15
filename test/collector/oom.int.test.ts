// OOM kills on the real engine, on both paths: a child process the kernel OOM-kills in a
// container that keeps running shows as docker_container_mem oom_kills=1 within one interval
// (the fast path from the kernel's counter, the API path from the Engine's `oom` event), and
// a quiet container keeps oom_kills at 0, in what was sent and in InfluxDB.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  detectCgroupVersion,
  HostFiles,
  parseKeyedValue,
  type Point,
  resolveContainerCgroup,
} from '@dockwatch/collector';
import { pointsOf, type RunningCollector, startCollector } from '../support/collector-harness.js';
import { IMAGES, removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const INTERVAL_MS = 1_000;
/** A gather's own time and the Engine's event delivery, on a shared 2-core machine. */
const SLACK_MS = 1_000;
const MEMORY = 16 * 2 ** 20;
const files = new HostFiles();
const HOST = { proc: '/proc', cgroup: '/sys/fs/cgroup' };

/**
 * The kernel's OOM kill counter of a running container: v1 memory.oom_control, v2
 * memory.events. Throws when the kernel has none: these tests then prove nothing.
 */
function kernelOomKills(inspect: Docker.ContainerInspectInfo): number {
  const version = detectCgroupVersion(files, HOST.cgroup);
  if (version === undefined) throw new Error(`no cgroup tree at ${HOST.cgroup}`);
  const location = resolveContainerCgroup(files, HOST, version, {
    id: inspect.Id,
    pid: inspect.State.Pid,
    cgroupParent: inspect.HostConfig.CgroupParent,
  });
  if (typeof location === 'string') throw new Error(`container cgroup not found: ${location}`);
  const path =
    location.version === 1 ? `${location.dirs.memory}/memory.oom_control` : `${location.dir}/memory.events`;
  const kills = parseKeyedValue(files.read(path) ?? '', 'oom_kill');
  if (kills === undefined) throw new Error(`${path} has no oom_kill line on this kernel`);
  return Number(kills);
}

/** Runs a command in the container and waits for it to end. */
async function execIn(container: Docker.Container, cmd: string[]): Promise<void> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
    stream.resume();
  });
}

const oomKillsOf = (point: Point) => point.fields.oom_kills;
const ms = (point: Point) => Number(point.time / 1_000_000n);

describe.runIf(haveServices())('OOM kills', () => {
  let env: Services;
  let db: string;

  beforeAll(async () => {
    env = services() as Services;
    db = uniqueDatabase('oom');
    await createDatabase(env.influxUrl, db);
  });
  afterAll(async () => {
    await dropDatabase(env.influxUrl, db);
  });

  describe.each(['cgroupfs', 'api'] as const)('STATS_SOURCE=%s', (source) => {
    const prefix = uniqueName(`oom-${source}`);
    const names = { oom: `${prefix}-oom`, quiet: `${prefix}-quiet` };
    const started: Docker.Container[] = [];
    let running: RunningCollector;
    let oomContainer: Docker.Container;

    const memPoints = (name: string) => pointsOf(running.sink.points, 'docker_container_mem', name);
    const influxOomKills = async (name: string) => {
      const series = await influxQuery(
        env.influxUrl,
        db,
        `SELECT count("oom_kills"), min("oom_kills"), max("oom_kills") FROM "docker_container_mem" WHERE "container_name" = '${name}'`,
      );
      const [, count, min, max] = series[0]?.values[0] ?? [];
      return { count: Number(count ?? 0), min: Number(min), max: Number(max) };
    };

    beforeAll(async () => {
      // The same limit without swap for both: only the one that is made to exceed it OOMs.
      const hostConfig = { Memory: MEMORY, MemorySwap: MEMORY };
      const start = (name: string) =>
        runContainer(env.docker, { name, image: IMAGES.busybox, cmd: ['sleep', '3600'], hostConfig });
      oomContainer = await start(names.oom);
      started.push(oomContainer, await start(names.quiet));
      running = await startCollector({
        INFLUX_URL: env.influxUrl,
        INFLUX_DB: db,
        COLLECT_INTERVAL: `${INTERVAL_MS / 1000}s`,
        STATS_SOURCE: source,
        CONTAINER_NAME_INCLUDE: `${prefix}-*`,
      });
    });
    afterAll(async () => {
      await running?.stop();
      await removeContainers(started);
    });

    it('uses the path under test, and the kernel here counts OOM kills per container', async () => {
      expect(running.collector.statsSourceChoice?.source).toBe(source);
      expect(kernelOomKills(await oomContainer.inspect())).toBe(0);
    });

    it('counts a child process OOM-killed while the container runs on, within one interval', async () => {
      // Followed, and at 0, before the kill: the API path counts only what it sees.
      const before = await eventually(
        async () => memPoints(names.oom),
        (points) => points.length >= 2,
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(before.length).toBeGreaterThanOrEqual(2);
      expect(before.map(oomKillsOf)).toEqual(before.map(() => 0n));

      // dd fills /dev/shm (memory of the container) past the limit; without swap the kernel
      // kills it, the shell frees the file, and `sleep` (the container's init) runs on.
      await execIn(oomContainer, [
        'sh',
        '-c',
        'dd if=/dev/zero of=/dev/shm/fill bs=1M count=64 2>/dev/null; rm -f /dev/shm/fill',
      ]);
      const killedAt = Date.now();
      const inspect = await oomContainer.inspect();
      expect(kernelOomKills(inspect)).toBe(1);
      expect(inspect.State.Running).toBe(true);
      // Not asserted: State.OOMKilled. Engine 28.5 sets it on any OOM kill in the container
      // (a flag, never a count), older engines only when the init process was killed.

      const after = await eventually(
        async () => memPoints(names.oom).filter((point) => ms(point) > killedAt),
        (points) => points.some((point) => point.fields.oom_kills === 1n),
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      const first = after.find((point) => point.fields.oom_kills === 1n);
      expect(first, 'a point with oom_kills=1').toBeDefined();
      expect(ms(first as Point) - killedAt).toBeLessThanOrEqual(INTERVAL_MS + SLACK_MS);
      // From then on 1, never 0 again (a counter) nor 2 (one kill, counted once).
      await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
      const later = memPoints(names.oom).filter((point) => ms(point) >= ms(first as Point));
      expect(later.length).toBeGreaterThanOrEqual(2);
      expect(later.map(oomKillsOf)).toEqual(later.map(() => 1n));
      expect((await oomContainer.inspect()).State.Running).toBe(true);
    });

    it('keeps oom_kills at 0 for a quiet container', () => {
      const quiet = memPoints(names.quiet);
      expect(quiet.length).toBeGreaterThanOrEqual(4);
      expect(quiet.map(oomKillsOf)).toEqual(quiet.map(() => 0n));
    });

    it('writes both to InfluxDB', async () => {
      const oom = await eventually(
        () => influxOomKills(names.oom),
        (found) => found.max === 1,
        { timeoutMs: 10_000 },
      );
      expect(oom).toMatchObject({ min: 0, max: 1 });
      const quiet = await influxOomKills(names.quiet);
      expect(quiet.count).toBeGreaterThanOrEqual(4);
      expect(quiet).toMatchObject({ min: 0, max: 0 });
    });
  });
});

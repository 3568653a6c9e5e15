// The fast path on the real engine here (cgroup v1, cgroupfs driver): chosen automatically,
// the same points as the API path on the same containers, a self-check that agrees, a
// fallback when it does not, vanished containers as gaps, and the image reading the host's
// trees as a non-root user.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, ArrayAccumulator, type Point } from '@dockwatch/collector';
import { collectorConfig, dockerStats, parseDockerSize, pointsOf } from '../support/collector-harness.js';
import { removeContainers, runContainer, socketAccessArgs, uniqueName } from '../support/docker.js';
import { buildProjectImage } from '../support/images.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two gathers a second apart; the points of the second. */
async function gatherTwice(collector: Collector): Promise<Point[]> {
  await collector.connect({ followEvents: false });
  await collector.gather(new ArrayAccumulator(), { includeSelf: false });
  await sleep(1_000);
  const acc = new ArrayAccumulator();
  await collector.gather(acc, { includeSelf: false });
  // The per-container points: what the two paths make. (The engine and host inputs read the
  // same on both, and a host CPU whose counter steps back skips a point on one side only.)
  return acc.points.filter((point) => point.measurement.startsWith('docker_container_'));
}

/** measurement + tags + field names of each point: what "the same output" means, values aside. */
const shapes = (points: Point[]) =>
  points
    .map((p) => `${p.measurement} ${JSON.stringify(p.tags)} ${Object.keys(p.fields).sort().join(',')}`)
    .sort();

describe.runIf(haveServices())('fast path on the real engine', () => {
  let env: Services;
  const prefix = uniqueName('fast');
  const started: Docker.Container[] = [];
  const temp = mkdtempSync(path.join(tmpdir(), 'fastpath-'));
  const include = { CONTAINER_NAME_INCLUDE: `${prefix}-*` };

  beforeAll(async () => {
    env = services() as Services;
    const start = async (name: string, cmd: string[], hostConfig: Docker.HostConfig = {}) => {
      started.push(await runContainer(env.docker, { name: `${prefix}-${name}`, cmd, hostConfig }));
    };
    await start(
      'busy',
      ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/f bs=1M count=16 2>/dev/null; yes >/dev/null'],
      {
        NanoCpus: 300_000_000,
        Memory: 96 * 2 ** 20,
        PidsLimit: 50,
      },
    );
    await start('idle', ['sh', '-c', 'sleep 3600 & sleep 3600 & wait']);
    await start('hostnet', ['sleep', '3600'], { NetworkMode: 'host' });
    await sleep(1_500);
  });
  afterAll(async () => {
    await removeContainers(started);
    rmSync(temp, { recursive: true, force: true });
  });

  it('is chosen automatically here, and says why in a metric', async () => {
    const collector = new Collector(collectorConfig(include));
    await collector.connect({ followEvents: false });
    expect(collector.statsSourceChoice).toMatchObject({ source: 'cgroupfs', reason: 'host_trees_readable' });
    expect(collector.statsSourceChoice?.detail).toContain('layout cgroupfs');
    const text = await collector.metrics.registry.metrics();
    expect(text).toContain('collector_stats_source{source="cgroupfs",reason="host_trees_readable"} 1');
    expect(text).toContain('collector_stats_api_fallback_containers 0');
  });

  it('writes the same points as the API path, with the same values within a second of drift', async () => {
    const api = new Collector(collectorConfig({ ...include, STATS_SOURCE: 'api' }));
    const fast = new Collector(collectorConfig({ ...include, STATS_SOURCE: 'cgroupfs' }));
    // One after the other, API first: counters only grow, so the fast path's later read must be
    // at least the API's (run side by side, either may read first, and an idle container's
    // interface still sees the bridge's broadcasts in between).
    const apiPoints = await gatherTwice(api);
    const fastPoints = await gatherTwice(fast);
    expect(fast.statsSourceChoice?.source).toBe('cgroupfs');
    expect(shapes(fastPoints)).toEqual(shapes(apiPoints));
    expect(fastPoints.length).toBeGreaterThan(10);

    const field = (points: Point[], measurement: string, name: string, key: string, tag?: [string, string]) =>
      Number(
        pointsOf(points, measurement, `${prefix}-${name}`).find((p) => !tag || p.tags[tag[0]] === tag[1])
          ?.fields[key],
      );
    const both = (measurement: string, name: string, key: string, tag?: [string, string]) => [
      field(fastPoints, measurement, name, key, tag),
      field(apiPoints, measurement, name, key, tag),
    ];
    // The CFS quota holds the burner at 0.3 cores on both paths.
    const [fastCpu = 0, apiCpu = 0] = both('docker_container_cpu', 'busy', 'usage_percent', [
      'cpu',
      'cpu-total',
    ]);
    expect(fastCpu).toBeGreaterThan(15);
    expect(fastCpu).toBeLessThan(35);
    expect(Math.abs(fastCpu - apiCpu)).toBeLessThan(10);
    const [fastMem = 0, apiMem = 0] = both('docker_container_mem', 'busy', 'usage');
    expect(Math.abs(fastMem - apiMem) / apiMem).toBeLessThan(0.02);
    expect(both('docker_container_mem', 'busy', 'limit')).toEqual([96 * 2 ** 20, 96 * 2 ** 20]);
    const [fastLimit, apiLimit] = both('docker_container_mem', 'idle', 'limit');
    expect(fastLimit).toBe(apiLimit); // the host's memory, as the Engine reports "no limit"
    expect(both('docker_container_pids', 'idle', 'current')).toEqual([3, 3]);
    expect(both('docker_container_pids', 'busy', 'limit')).toEqual([50, 50]);
    const [fastRx = 0, apiRx = 0] = both('docker_container_net', 'idle', 'rx_bytes', ['network', 'eth0']);
    expect(fastRx).toBeGreaterThanOrEqual(apiRx);
    expect(fastRx - apiRx).toBeLessThan(64 * 1024);
    expect(pointsOf(fastPoints, 'docker_container_net', `${prefix}-hostnet`)).toEqual([]);
  });

  it('agrees with docker stats', async () => {
    const fast = new Collector(collectorConfig({ ...include, STATS_SOURCE: 'cgroupfs' }));
    const [points, reference] = await Promise.all([gatherTwice(fast), dockerStats([`${prefix}-busy`])]);
    const mem = pointsOf(points, 'docker_container_mem', `${prefix}-busy`)[0];
    const [used = '', limit = ''] = (reference.get(`${prefix}-busy`)?.MemUsage ?? '').split(' / ');
    expect(Math.abs(Number(mem?.fields.usage) - parseDockerSize(used))).toBeLessThanOrEqual(
      parseDockerSize(used) * 0.02 + 0.1 * 2 ** 20,
    );
    expect(Number(mem?.fields.limit)).toBe(parseDockerSize(limit));
    const pids = pointsOf(points, 'docker_container_pids', `${prefix}-busy`)[0];
    expect(String(pids?.fields.current)).toBe(reference.get(`${prefix}-busy`)?.PIDs);
  });

  it('self-check: the two paths agree on real containers', async () => {
    const collector = new Collector(collectorConfig(include));
    await collector.connect({ followEvents: false });
    await collector.gather(new ArrayAccumulator(), { includeSelf: false }); // locates the containers
    const result = await collector.runSelfCheck();
    expect(result?.compared).toBe(3);
    expect(result?.disagreements).toEqual([]);
    expect(collector.statsSourceChoice?.source).toBe('cgroupfs');
    expect(await collector.metrics.registry.metrics()).toContain(
      'collector_stats_self_checks_total{result="agree"} 3',
    );
  });

  it('self-check: a disagreement is counted and logged, and sends the collector back to the API', async () => {
    // A /proc whose stat lies about host CPU time, the rest being the real one.
    const proc = path.join(temp, 'proc');
    symlinkSync('/proc', path.join(temp, 'real'));
    rmSync(proc, { recursive: true, force: true });
    await run('mkdir', ['-p', proc]);
    writeFileSync(
      path.join(proc, 'stat'),
      'cpu  1 0 1 1 0 0 0 0 0 0\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\n',
    );
    writeFileSync(path.join(proc, 'meminfo'), readFileSync('/proc/meminfo'));
    for (const container of started) {
      const pid = (await container.inspect()).State.Pid;
      symlinkSync(`/proc/${pid}`, path.join(proc, String(pid)));
    }
    const collector = new Collector(collectorConfig({ ...include, HOST_PROC: proc }));
    await collector.connect({ followEvents: false });
    expect(collector.statsSourceChoice?.source).toBe('cgroupfs');
    await collector.gather(new ArrayAccumulator(), { includeSelf: false });
    const result = await collector.runSelfCheck();
    expect(result?.disagreements.length).toBeGreaterThan(0);
    expect(result?.disagreements[0]?.found.map((d) => d.field)).toContain('cpu.system_cpu_usage');
    expect(collector.statsSourceChoice).toMatchObject({ source: 'api', reason: 'self_check_disagreed' });
    const text = await collector.metrics.registry.metrics();
    expect(text).toContain('collector_stats_source{source="api",reason="self_check_disagreed"} 1');
    expect(text).toMatch(/collector_stats_self_checks_total\{result="disagree"\} [1-9]/);
    // And it keeps gathering, now through the API.
    const acc = new ArrayAccumulator();
    await collector.gather(acc, { includeSelf: false });
    expect(pointsOf(acc.points, 'docker_container_mem', `${prefix}-idle`)).toHaveLength(1);
  });

  it('a container that vanishes between gathers is a gap, not a failed gather', async () => {
    const doomed = await runContainer(env.docker, { name: `${prefix}-doomed`, cmd: ['sleep', '3600'] });
    started.push(doomed);
    const collector = new Collector(collectorConfig({ ...include, STATS_SOURCE: 'cgroupfs' }));
    await collector.connect({ followEvents: false }); // no events: the tracker still follows it
    await collector.gather(new ArrayAccumulator(), { includeSelf: false });
    await doomed.remove({ force: true });
    const acc = new ArrayAccumulator();
    await collector.gather(acc, { includeSelf: false });
    expect(pointsOf(acc.points, 'docker_container_cpu', `${prefix}-doomed`)).toEqual([]);
    expect(pointsOf(acc.points, 'docker_container_cpu', `${prefix}-idle`).length).toBeGreaterThan(0);
  });

  it('limits are read once per inspect, and a docker update shows at the next gather after its event', async () => {
    const name = `${prefix}-limited`;
    const limited = await runContainer(env.docker, {
      name,
      cmd: ['sleep', '3600'],
      hostConfig: { Memory: 64 * 2 ** 20, PidsLimit: 30 },
    });
    started.push(limited);
    const collector = new Collector(
      collectorConfig({ CONTAINER_NAME_INCLUDE: name, STATS_SOURCE: 'cgroupfs' }),
    );
    const limits = async () => {
      const acc = new ArrayAccumulator();
      await collector.gather(acc, { includeSelf: false });
      const [mem] = pointsOf(acc.points, 'docker_container_mem', name);
      const [pids] = pointsOf(acc.points, 'docker_container_pids', name);
      return { memory: mem?.fields.limit, pids: pids?.fields.limit };
    };
    try {
      await collector.connect(); // follows events: the update event refreshes the inspect
      expect(await limits()).toEqual({ memory: BigInt(64 * 2 ** 20), pids: 30n });
      await limited.update({ Memory: 96 * 2 ** 20, PidsLimit: 40 });
      const wanted = { memory: BigInt(96 * 2 ** 20), pids: 40n };
      let seen = await limits();
      for (let i = 0; i < 20 && (seen.memory !== wanted.memory || seen.pids !== wanted.pids); i++) {
        await sleep(250);
        seen = await limits();
      }
      // Within 5 s, where the cache's own expiry is a minute or more away.
      expect(seen).toEqual(wanted);
    } finally {
      await collector.stop();
    }
  });

  // The image tests build it first: on a cold cache that runs npm ci inside it, for minutes.
  it('the image, as uid 1000 with the host trees mounted read-only, uses the fast path', async () => {
    const image = await buildProjectImage('collector');
    const { stdout, stderr } = await run('docker', [
      'run',
      '--rm',
      ...socketAccessArgs(env.dockerSocket),
      '-v',
      '/proc:/host/proc:ro',
      '-v',
      '/sys/fs/cgroup:/host/sys/fs/cgroup:ro',
      '-e',
      'HOST_PROC=/host/proc',
      '-e',
      'HOST_CGROUP=/host/sys/fs/cgroup',
      '-e',
      `CONTAINER_NAME_INCLUDE=${prefix}-*`,
      '--entrypoint',
      'sh',
      image,
      '-c',
      'id -u && node /app/collector/dist/cli.js --once',
    ]);
    const [uid, ...lines] = stdout.trim().split('\n');
    expect(uid).toBe('1000');
    expect(stderr).toContain('"source":"cgroupfs","reason":"host_trees_readable"');
    // Network counters come from /host/proc/<pid>/net/dev of a root process: readable as uid 1000.
    expect(lines.some((l) => l.startsWith('docker_container_net,') && l.includes(`${prefix}-idle`))).toBe(
      true,
    );
    expect(stderr).not.toContain('sampling it through the API');
  }, 300_000);

  it('the image without the host trees falls back to the API and says why', async () => {
    const image = await buildProjectImage('collector');
    const { stdout, stderr } = await run('docker', [
      'run',
      '--rm',
      ...socketAccessArgs(env.dockerSocket),
      '-e',
      `CONTAINER_NAME_INCLUDE=${prefix}-*`,
      image,
      '--once',
    ]);
    expect(stderr).toContain('"source":"api","reason":"probe_failed"');
    expect(stdout).toContain(`container_name=${prefix}-idle`);
  }, 300_000);
});

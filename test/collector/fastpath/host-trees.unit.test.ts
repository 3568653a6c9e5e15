// The fast path over recorded host trees (test/fixtures/collector/host-trees/<case>/): it must
// locate the container in each cgroup layout and build the sample the Engine answered for the
// same container, so that the derived points are the API path's, line for line. The OOM cases
// also hold expected.lp: the points the fast path derives from the tree, oom_kills included.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  ContainerGoneError,
  detectCgroupVersion,
  HostFiles,
  readContainerSample,
  readHostSnapshot,
  resolveContainerCgroup,
  deriveContainerPoints,
  type EngineStats,
  type OpenFiles,
  type PathProbes,
  toLineProtocol,
} from '@dockwatch/collector';
import { FIXTURES_DIR } from '../derive/fixture-cases.js';

const TREES = join(FIXTURES_DIR, 'host-trees');
const files = new HostFiles();

interface TreeCase {
  version: 1 | 2;
  layout: string;
  id: string;
  pid: number;
  name: string;
  networkMode: string;
}

const cases = readdirSync(TREES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function load(name: string) {
  const dir = join(TREES, name);
  const kase = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as TreeCase;
  const engine = JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8')) as EngineStats;
  const paths = { proc: join(dir, 'proc'), cgroup: join(dir, 'cgroup') };
  return { dir, kase, engine, paths };
}

function sampleOf(name: string): { fast: EngineStats; engine: EngineStats; kase: TreeCase } {
  const { kase, engine, paths } = load(name);
  const location = resolveContainerCgroup(files, paths, kase.version, kase);
  if (typeof location === 'string') throw new Error(`not located: ${location}`);
  const host = readHostSnapshot(files, paths.proc);
  if (host === undefined) throw new Error('no host snapshot');
  const fast = readContainerSample(files, paths.proc, host, {
    id: kase.id,
    name: kase.name,
    pid: kase.pid,
    networkMode: kase.networkMode,
    cgroup: location,
    read: engine.read ?? '',
  });
  return { fast, engine, kase };
}

/**
 * The parts of a stats answer the derivations read; the Engine has no oom_kills (see below),
 * and since Engine 28 no `id` and `name` (20.10 sent them: compared where present).
 */
const relevant = (s: EngineStats, engine: EngineStats) => ({
  id: engine.id === undefined ? undefined : s.id,
  name: engine.name === undefined ? undefined : s.name,
  cpu: { ...s.cpu_stats, system_cpu_usage: undefined },
  memory: { ...s.memory_stats, oom_kills: undefined },
  serviceBytes: s.blkio_stats?.io_service_bytes_recursive,
  serviced: s.blkio_stats?.io_serviced_recursive,
  pids: s.pids_stats,
  networks: s.networks,
});

const inspectFor = (kase: TreeCase) =>
  ({
    Id: kase.id,
    Name: kase.name,
    Config: { Image: 'local/busybox:1', Labels: {} },
    State: { Status: 'running', Running: true, Pid: kase.pid },
    HostConfig: { NetworkMode: kase.networkMode, NanoCpus: 500_000_000 },
  }) as unknown as Docker.ContainerInspectInfo;

/** The OOM cases, with expected.lp, and what each one's oom_kills is. */
const OOM_CASES = ['v1-oom-control-without-oom-kill', 'v1-oom-kill', 'v2-oom-kill'];

/** oom_kills of each tree's sample: absent without the kernel's counter. */
const OOM_KILLS: Record<string, number | undefined> = {
  'v1-cgroupfs': undefined, // recorded without memory.oom_control
  'v1-systemd': undefined,
  'v1-oom-control-without-oom-kill': undefined, // a kernel before 4.13
  'v1-oom-kill': 1,
  'v2-cgroupfs-private-ns': 0,
  'v2-systemd': 0,
  'v2-oom-kill': 1,
};

/** Counts the paths read, to show what is not read again. */
class CountingFiles extends HostFiles {
  readonly reads: string[] = [];
  override read(path: string, keep?: OpenFiles): string | undefined {
    this.reads.push(path);
    return super.read(path, keep);
  }
}

/** The fast path's first-sample points of a tree, sorted line protocol. */
function derivedLines(current: EngineStats, kase: TreeCase): string[] {
  return deriveContainerPoints({
    engine: { host: 'vm', serverVersion: '20.10.24' },
    inspect: inspectFor(kase),
    previous: undefined,
    current,
    options: { labelAllowlist: [], perDevice: true },
  })
    .map(toLineProtocol)
    .sort();
}

describe('host trees', () => {
  it('cover v1 and v2, the cgroupfs and the systemd driver, and OOM kills', () => {
    expect(cases).toEqual([
      'v1-cgroupfs',
      'v1-oom-control-without-oom-kill',
      'v1-oom-kill',
      'v1-systemd',
      'v2-cgroupfs-private-ns',
      'v2-oom-kill',
      'v2-systemd',
    ]);
  });

  it.each(cases)('%s: detects the cgroup version and the layout', (name) => {
    const { kase, paths } = load(name);
    expect(detectCgroupVersion(files, paths.cgroup)).toBe(kase.version);
    const location = resolveContainerCgroup(files, paths, kase.version, kase);
    expect(typeof location === 'string' ? location : location.layout).toBe(kase.layout);
  });

  it.each(cases)('%s: builds the sample the Engine answered', (name) => {
    const { fast, engine } = sampleOf(name);
    expect(relevant(fast, engine)).toEqual(relevant(engine, engine));
  });

  it.each(cases)('%s: host CPU time as the Engine reads /proc/stat', (name) => {
    const { fast, engine, kase } = sampleOf(name);
    const fastSystem = Number(fast.cpu_stats?.system_cpu_usage);
    const engineSystem = Number(engine.cpu_stats?.system_cpu_usage);
    if (kase.version === 2) {
      expect(fastSystem).toBe(engineSystem); // constructed to match exactly
    } else {
      // Recorded: /proc/stat was read just before the Engine's sample; 2 CPUs, well under 2 s.
      expect(engineSystem).toBeGreaterThanOrEqual(fastSystem);
      expect(engineSystem - fastSystem).toBeLessThan(4e9);
    }
    expect(fast.cpu_stats?.online_cpus).toBe(engine.cpu_stats?.online_cpus);
  });

  it.each(cases)('%s: derives the same points as from the Engine sample', (name) => {
    const { fast, engine, kase } = sampleOf(name);
    // Same host CPU time, so the (first-sample) points can be compared line for line.
    const aligned: EngineStats = {
      ...fast,
      cpu_stats: { ...fast.cpu_stats, system_cpu_usage: engine.cpu_stats?.system_cpu_usage },
    };
    // The API path adds its own count of OOM kills where the fast path reads the kernel's.
    const api: EngineStats = {
      ...engine,
      memory_stats: { ...engine.memory_stats, oom_kills: fast.memory_stats?.oom_kills },
    };
    const lines = derivedLines(aligned, kase);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines).toEqual(derivedLines(api, kase));
  });

  it.each(Object.entries(OOM_KILLS))(
    '%s: oom_kills is the kernel counter (v1 memory.oom_control, v2 memory.events)',
    (name, kills) => {
      const { fast } = sampleOf(name);
      expect(fast.memory_stats?.oom_kills).toBe(kills);
    },
  );

  it.each(OOM_CASES)('%s: derives its expected.lp', async (name) => {
    const { fast, kase } = sampleOf(name);
    const expected = join(TREES, name, 'expected.lp');
    expect(existsSync(expected), `${name} has expected.lp`).toBe(true);
    await expect(`${derivedLines(fast, kase).join('\n')}\n`).toMatchFileSnapshot(expected);
  });

  it('v2: oom_kills is memory.events oom_kill, failcnt its oom', () => {
    const { fast } = sampleOf('v2-oom-kill');
    expect(fast.memory_stats).toMatchObject({ failcnt: 2, oom_kills: 1 });
  });

  it('v1 without oom_kill in memory.oom_control: the file is read once per container, not every gather', () => {
    const { kase, paths } = load('v1-oom-control-without-oom-kill');
    const counting = new CountingFiles();
    const location = resolveContainerCgroup(counting, paths, 1, kase);
    const host = readHostSnapshot(counting, paths.proc);
    if (typeof location === 'string' || host === undefined) throw new Error('not located');
    const probes: PathProbes = new Map();
    const request = { id: kase.id, name: kase.name, pid: kase.pid, networkMode: 'default', cgroup: location };
    for (let gather = 0; gather < 3; gather++) {
      const sample = readContainerSample(counting, paths.proc, host, request, undefined, undefined, probes);
      expect(sample.memory_stats).not.toHaveProperty('oom_kills');
    }
    expect(counting.reads.filter((path) => path.endsWith('/memory.oom_control'))).toHaveLength(1);
  });

  it('v2: leaves out loopback and fallback tunnels, fills missing memory.stat keys with 0 as the Engine does', () => {
    const { fast } = sampleOf('v2-systemd');
    expect(Object.keys(fast.networks ?? {}).sort()).toEqual(['eth0', 'eth1']);
    expect(fast.memory_stats?.stats?.workingset_refault).toBe(0);
    expect(fast.memory_stats?.stats).not.toHaveProperty('workingset_refault_anon');
  });

  it('a container whose cgroup vanished is a ContainerGoneError (a gap), not a crash', () => {
    const { kase, paths } = load('v1-cgroupfs');
    const host = readHostSnapshot(files, paths.proc);
    if (host === undefined) throw new Error('no host snapshot');
    const read = () =>
      readContainerSample(files, paths.proc, host, {
        id: kase.id,
        name: kase.name,
        pid: kase.pid,
        networkMode: 'default',
        cgroup: { version: 1, layout: 'cgroupfs', dirs: { cpuacct: '/nonexistent', memory: '/nonexistent' } },
        read: '2026-01-01T00:00:00Z',
      });
    expect(read).toThrow(ContainerGoneError);
  });

  it('does not locate a container whose pid is not visible, or belongs to another container', () => {
    const { kase, paths } = load('v1-cgroupfs');
    expect(resolveContainerCgroup(files, paths, 1, { ...kase, pid: 999_999_999 })).toBe('pid_not_visible');
    expect(resolveContainerCgroup(files, paths, 1, { ...kase, id: 'f'.repeat(64) })).toBe(
      'pid_not_in_container',
    );
  });
});

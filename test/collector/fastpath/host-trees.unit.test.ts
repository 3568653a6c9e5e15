// The fast path over recorded host trees (test/fixtures/collector/host-trees/<case>/): it must
// locate the container in each cgroup layout and build the sample the Engine answered for the
// same container, so that the derived points are the API path's, line for line.
import { readdirSync, readFileSync } from 'node:fs';
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

/** The parts of a stats answer the derivations read. */
const relevant = (s: EngineStats) => ({
  id: s.id,
  name: s.name,
  cpu: { ...s.cpu_stats, system_cpu_usage: undefined },
  memory: s.memory_stats,
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

describe('host trees', () => {
  it('cover v1 and v2, the cgroupfs and the systemd driver', () => {
    expect(cases).toEqual(['v1-cgroupfs', 'v1-systemd', 'v2-cgroupfs-private-ns', 'v2-systemd']);
  });

  it.each(cases)('%s: detects the cgroup version and the layout', (name) => {
    const { kase, paths } = load(name);
    expect(detectCgroupVersion(files, paths.cgroup)).toBe(kase.version);
    const location = resolveContainerCgroup(files, paths, kase.version, kase);
    expect(typeof location === 'string' ? location : location.layout).toBe(kase.layout);
  });

  it.each(cases)('%s: builds the sample the Engine answered', (name) => {
    const { fast, engine } = sampleOf(name);
    expect(relevant(fast)).toEqual(relevant(engine));
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
    const derive = (current: EngineStats) =>
      deriveContainerPoints({
        engine: { host: 'vm', serverVersion: '20.10.24' },
        inspect: inspectFor(kase),
        previous: undefined,
        current,
        options: { labelAllowlist: [], perDevice: true },
      })
        .map(toLineProtocol)
        .sort();
    const lines = derive(aligned);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(lines).toEqual(derive(engine));
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

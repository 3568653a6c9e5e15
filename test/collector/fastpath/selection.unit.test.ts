// Automatic choice of the stats source, and the self-check's comparison of the two paths.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  HostFiles,
  compareSamples,
  chooseStatsSource,
  type EngineStats,
  type TrackedContainer,
} from '@dockwatch/collector';
import { FIXTURES_DIR } from '../derive/fixture-cases.js';

const files = new HostFiles();
const tree = (name: string) => ({
  proc: join(FIXTURES_DIR, 'host-trees', name, 'proc'),
  cgroup: join(FIXTURES_DIR, 'host-trees', name, 'cgroup'),
});
const caseOf = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES_DIR, 'host-trees', name, 'case.json'), 'utf8')) as {
    id: string;
    pid: number;
  };
const tracked = (id: string, pid: number): TrackedContainer => ({
  id,
  inspect: { Id: id, State: { Pid: pid }, HostConfig: {} } as unknown as Docker.ContainerInspectInfo,
});

describe('stats source selection', () => {
  const v1 = caseOf('v1-cgroupfs');
  const running = [tracked(v1.id, v1.pid)];
  const engineV1 = { CgroupVersion: '1', CgroupDriver: 'cgroupfs', SecurityOptions: ['name=seccomp'] };

  it('auto picks the fast path when the trees are readable and a container is located', () => {
    const choice = chooseStatsSource('auto', files, tree('v1-cgroupfs'), engineV1, running);
    expect(choice).toMatchObject({ source: 'cgroupfs', reason: 'host_trees_readable', version: 1 });
    expect(choice.detail).toContain('layout cgroupfs');
  });

  it('auto falls back to the API, saying why', () => {
    const pick = (paths: { proc: string; cgroup: string }, engine = engineV1, list = running) =>
      chooseStatsSource('auto', files, paths, engine, list);
    expect(pick(tree('v1-cgroupfs'), { ...engineV1, SecurityOptions: ['name=rootless'] }).reason).toBe(
      'rootless_engine',
    );
    expect(pick({ ...tree('v1-cgroupfs'), cgroup: '/nonexistent' }).reason).toBe('cgroup_unreadable');
    expect(pick(tree('v1-cgroupfs'), { ...engineV1, CgroupVersion: '2' }).reason).toBe(
      'cgroup_version_mismatch',
    );
    expect(pick({ ...tree('v1-cgroupfs'), proc: '/nonexistent' }).reason).toBe('proc_unreadable');
    // The collector's own /proc (another pid namespace): the container's pid is not there.
    expect(pick(tree('v1-cgroupfs'), engineV1, [tracked(v1.id, 999_999_999)])).toMatchObject({
      source: 'api',
      reason: 'probe_failed',
    });
  });

  it('api and cgroupfs can be forced', () => {
    expect(chooseStatsSource('api', files, tree('v1-cgroupfs'), engineV1, running)).toMatchObject({
      source: 'api',
      reason: 'configured',
    });
    expect(
      chooseStatsSource('cgroupfs', files, tree('v2-systemd'), { CgroupVersion: '2' }, []),
    ).toMatchObject({ source: 'cgroupfs', reason: 'configured', version: 2 });
  });
});

describe('self-check comparison', () => {
  const sample = (over: {
    cpu?: number;
    rx?: number;
    limit?: number;
    keys?: string[];
    mem?: number;
  }): EngineStats => ({
    cpu_stats: {
      cpu_usage: { total_usage: over.cpu ?? 1e9, usage_in_usermode: 5e8, usage_in_kernelmode: 5e8 },
      system_cpu_usage: 1e12,
      online_cpus: 2,
    },
    memory_stats: {
      usage: over.mem ?? 50e6,
      limit: over.limit ?? 1e9,
      stats: Object.fromEntries((over.keys ?? ['cache', 'rss']).map((k) => [k, 1])),
    },
    networks: { eth0: { rx_bytes: over.rx ?? 1000, tx_bytes: 10, rx_packets: 5, tx_packets: 1 } },
    blkio_stats: { io_service_bytes_recursive: [], io_serviced_recursive: [] },
    pids_stats: { current: 3 },
  });

  it('agrees when the API sample lies between the fast samples before and after it', () => {
    expect(
      compareSamples(
        sample({ cpu: 1e9, rx: 1000 }),
        sample({ cpu: 1.2e9, rx: 1500 }),
        sample({ cpu: 1.3e9, rx: 2000 }),
      ),
    ).toEqual([]);
  });

  it('disagrees on counters outside that window, on limits and on the sample structure', () => {
    const fields = (api: EngineStats) => compareSamples(sample({}), api, sample({})).map((d) => d.field);
    expect(fields(sample({ cpu: 5e9 }))).toEqual(['cpu.total_usage']);
    expect(fields(sample({ rx: 900_000 }))).toEqual(['networks.eth0.rx_bytes']);
    expect(fields(sample({ limit: 2e9 }))).toEqual(['memory.limit']);
    expect(fields(sample({ keys: ['cache', 'rss', 'swap'] }))).toEqual(['memory.stats.keys']);
    expect(fields(sample({ mem: 500e6 }))).toEqual(['memory.usage']);
    expect(fields({ ...sample({}), networks: undefined })).toContain('networks.interfaces');
  });
});

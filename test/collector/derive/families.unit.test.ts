// Edge cases of each family, on small hand-made samples whose expected figures are worked
// out in the comments (the fixture test covers whole recorded samples).
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  blkioPoints,
  classifyBlkioOp,
  cpuLimitCores,
  cpuPercent,
  cpuPoints,
  deriveContainerPoints,
  type EngineStats,
  type InspectData,
  memoryPoints,
  memoryUsed,
  networkPoints,
  onlineCpus,
  pidsPoints,
  type SampleContext,
  type Point,
} from '@dockwatch/collector';
import { loadFixture } from './fixture-cases.js';

const READ = '2026-11-21T12:00:02Z';
const TIME = 1795262402n * 1_000_000_000n;

function inspect(hostConfig: InspectData['HostConfig'] = {}): InspectData {
  return {
    Id: 'c0ffee',
    Name: '/web',
    RestartCount: 0,
    State: {
      Status: 'running',
      Running: true,
      OOMKilled: false,
      Pid: 42,
      ExitCode: 0,
      StartedAt: '2026-11-21T11:00:00Z',
      FinishedAt: '0001-01-01T00:00:00Z',
    },
    Config: { Image: 'nginx:1.27', Labels: {} },
    HostConfig: { NetworkMode: 'bridge', ...hostConfig },
  };
}

function context(
  current: EngineStats,
  previous?: EngineStats,
  hostConfig?: InspectData['HostConfig'],
): SampleContext {
  return {
    previous,
    current: { read: READ, ...current },
    inspect: inspect(hostConfig),
    tags: { container_name: 'web' },
    time: TIME,
    containerId: 'c0ffee',
    perDevice: true,
    memo: undefined,
  };
}

const cpu = (
  total: number | bigint,
  system: number | bigint,
  extra: Partial<EngineStats['cpu_stats']> = {},
) => ({
  cpu_stats: { cpu_usage: { total_usage: total, percpu_usage: [0, 0] }, system_cpu_usage: system, ...extra },
});

const fieldsOf = (points: Point[], tag: string, value: string) =>
  points.find((point) => point.tags[tag] === value)?.fields;

describe('cpu', () => {
  it('follows docker stats: cpu delta / system delta x online CPUs x 100', () => {
    // 0.5 s of 4 s host time on 2 CPUs = 25 %.
    expect(
      cpuPercent(
        cpu(1_000_000_000, 10_000_000_000).cpu_stats,
        cpu(1_500_000_000, 14_000_000_000, { online_cpus: 2 }).cpu_stats,
      ),
    ).toBe(25);
  });

  it('omits usage_percent on the first sample', () => {
    const fields = fieldsOf(cpuPoints(context(cpu(5, 10))), 'cpu', 'cpu-total');
    expect(fields).toBeDefined();
    expect(fields).not.toHaveProperty('usage_percent');
    expect(fields?.usage_total).toBe(5n);
  });

  it('is zero when the counters went backwards (restart) or did not move', () => {
    expect(cpuPercent(cpu(9_000, 100_000).cpu_stats, cpu(1_000, 200_000).cpu_stats)).toBe(0);
    expect(cpuPercent(cpu(1_000, 100_000).cpu_stats, cpu(2_000, 100_000).cpu_stats)).toBe(0);
    expect(cpuPercent(cpu(1_000, 200_000).cpu_stats, cpu(2_000, 100_000).cpu_stats)).toBe(0);
  });

  it('falls back to the length of percpu_usage when online_cpus is 0 or absent', () => {
    const percpu = { cpu_usage: { total_usage: 0, percpu_usage: [1, 2, 3, 4] } };
    expect(onlineCpus({ ...percpu, online_cpus: 0 })).toBe(4);
    expect(onlineCpus(percpu)).toBe(4);
    expect(onlineCpus({ ...percpu, online_cpus: 2 })).toBe(2);
    expect(onlineCpus({ cpu_usage: { total_usage: 0 } })).toBe(0);
    // 1 s of 8 s host time x 4 percpu entries = 50 %.
    const previous = { cpu_usage: { total_usage: 0, percpu_usage: [0, 0, 0, 0] }, system_cpu_usage: 0 };
    const current = {
      cpu_usage: { total_usage: 1e9, percpu_usage: [1, 1, 1, 1] },
      system_cpu_usage: 8e9,
      online_cpus: 0,
    };
    expect(cpuPercent(previous, current)).toBe(50);
  });

  it('takes deltas exactly above 2^53', () => {
    // As doubles both system counters round to the same value; as bigints the delta is 4.
    const previous = { cpu_usage: { total_usage: 2n ** 60n }, system_cpu_usage: 2n ** 60n, online_cpus: 1 };
    const current = {
      cpu_usage: { total_usage: 2n ** 60n + 2n },
      system_cpu_usage: 2n ** 60n + 4n,
      online_cpus: 1,
    };
    expect(cpuPercent(previous, current)).toBe(50);
  });

  it('reads the CPU limit from NanoCpus, else from quota/period', () => {
    expect(cpuLimitCores({ NanoCpus: 500_000_000 })).toBe(0.5);
    expect(cpuLimitCores({ NanoCpus: 2_000_000_000, CpuQuota: 50_000, CpuPeriod: 100_000 })).toBe(2);
    expect(cpuLimitCores({ CpuQuota: 150_000, CpuPeriod: 50_000 })).toBe(3);
    expect(cpuLimitCores({ CpuQuota: 50_000, CpuPeriod: 0 })).toBe(0.5);
    expect(cpuLimitCores({ CpuQuota: -1, CpuPeriod: 100_000 })).toBeUndefined();
    expect(cpuLimitCores({ NanoCpus: 0, CpuQuota: 0 })).toBeUndefined();
  });

  it('scales usage_percent_of_limit by the limit, only when there is one', () => {
    // 1 s of 10 s host time x 2 CPUs = 20 %; limit 0.25 cores -> 80 % of the limit.
    const limited = cpuPoints(context(cpu(2e9, 20e9), cpu(1e9, 10e9), { NanoCpus: 250_000_000 }));
    expect(fieldsOf(limited, 'cpu', 'cpu-total')).toMatchObject({
      usage_percent: 20,
      usage_percent_of_limit: 80,
      limit_cores: 0.25,
    });
    const unlimited = fieldsOf(cpuPoints(context(cpu(2e9, 20e9), cpu(1e9, 10e9))), 'cpu', 'cpu-total');
    expect(unlimited).toMatchObject({ usage_percent: 20 });
    expect(unlimited).not.toHaveProperty('usage_percent_of_limit');
    expect(unlimited).not.toHaveProperty('limit_cores');
  });

  it('writes per-CPU points for online CPUs only, and none without percpu data (v2)', () => {
    const v1 = cpuPoints(
      context(cpu(6, 10, { online_cpus: 2, cpu_usage: { total_usage: 6, percpu_usage: [4, 2, 0, 0] } })),
    );
    expect(v1.map((point) => point.tags.cpu)).toEqual(['cpu-total', 'cpu0', 'cpu1']);
    expect(fieldsOf(v1, 'cpu', 'cpu1')).toEqual({ usage_total: 2n, container_id: 'c0ffee' });
    const v2 = cpuPoints(
      context({ cpu_stats: { cpu_usage: { total_usage: 6 }, system_cpu_usage: 10, online_cpus: 4 } }),
    );
    expect(v2.map((point) => point.tags.cpu)).toEqual(['cpu-total']);
  });
});

describe('memory', () => {
  it('subtracts total_inactive_file on cgroup v1, not cache, so tmpfs stays counted', () => {
    const memory = {
      usage: 100,
      stats: { total_inactive_file: 30, inactive_file: 10, cache: 90, total_cache: 90 },
    };
    expect(memoryUsed(memory)).toBe(70n);
  });

  it('subtracts inactive_file on cgroup v2', () => {
    expect(memoryUsed({ usage: 100, stats: { anon: 50, file: 50, inactive_file: 40 } })).toBe(60n);
  });

  it('keeps usage when inactive_file is not smaller than usage', () => {
    expect(memoryUsed({ usage: 100, stats: { inactive_file: 100 } })).toBe(100n);
    expect(memoryUsed({ usage: 100, stats: { inactive_file: 250 } })).toBe(100n);
    expect(memoryUsed({ usage: 100, stats: null })).toBe(100n);
  });

  it('computes usage_percent from usage and limit, and leaves it out without a limit', () => {
    const limited = memoryPoints(
      context({ memory_stats: { usage: 300, limit: 400, stats: { inactive_file: 100 } } }),
    );
    expect(limited[0]?.fields).toMatchObject({
      usage_raw: 300n,
      usage: 200n,
      limit: 400n,
      usage_percent: 50,
    });
    const unlimited = memoryPoints(context({ memory_stats: { usage: 300, stats: {} } }))[0]?.fields;
    expect(unlimited).toMatchObject({ usage_raw: 300n, usage: 300n });
    expect(unlimited).not.toHaveProperty('usage_percent');
  });

  it('writes v1 failcnt as 0 when the Engine omitted it, and v2 failcnt only when present', () => {
    const v1 = memoryPoints(
      context({ memory_stats: { usage: 1, max_usage: 2, stats: { total_inactive_file: 0 } } }),
    );
    expect(v1[0]?.fields).toMatchObject({ failcnt: 0n, max_usage: 2n });
    const v2 = memoryPoints(context({ memory_stats: { usage: 1, stats: { inactive_file: 0 } } }));
    expect(v2[0]?.fields).not.toHaveProperty('failcnt');
    expect(v2[0]?.fields).not.toHaveProperty('max_usage');
  });

  it('leaves out stat values that do not fit an InfluxDB integer', () => {
    const fields = memoryPoints(
      context({ memory_stats: { usage: 1, stats: { huge: 2n ** 64n - 1n, ok: 5 } } }),
    )[0]?.fields;
    expect(fields).toMatchObject({ ok: 5n });
    expect(fields).not.toHaveProperty('huge');
  });

  it('writes nothing for empty memory stats', () => {
    expect(memoryPoints(context({ memory_stats: {} }))).toEqual([]);
  });
});

describe('network', () => {
  const eth = {
    rx_bytes: 10,
    rx_packets: 1,
    rx_errors: 0,
    rx_dropped: 0,
    tx_bytes: 20,
    tx_packets: 2,
    tx_errors: 0,
    tx_dropped: 1,
  };

  it('sums interfaces into network=total', () => {
    const points = networkPoints(context({ networks: { eth0: eth, eth1: { ...eth, rx_bytes: 5 } } }));
    expect(points.map((point) => point.tags.network)).toEqual(['total', 'eth0', 'eth1']);
    expect(fieldsOf(points, 'network', 'total')).toMatchObject({
      rx_bytes: 15n,
      tx_bytes: 40n,
      tx_dropped: 2n,
    });
  });

  it('writes no points without a networks key, with an empty one, or in host mode', () => {
    expect(networkPoints(context({}))).toEqual([]);
    expect(networkPoints(context({ networks: null }))).toEqual([]);
    expect(networkPoints(context({ networks: {} }))).toEqual([]);
    expect(networkPoints(context({ networks: { eth0: eth } }, undefined, { NetworkMode: 'host' }))).toEqual(
      [],
    );
  });
});

describe('blkio', () => {
  it('classifies ops by first letter, any case, and keeps the other v1 ops by name', () => {
    expect(
      ['Read', 'read', 'READ', 'Write', 'write', 'Sync', 'Async', 'Total', 'Discard', 'Flush'].map(
        classifyBlkioOp,
      ),
    ).toEqual(['read', 'read', 'read', 'write', 'write', 'sync', 'async', 'total', 'discard', undefined]);
  });

  it('writes zero totals for present but empty arrays (no I/O yet)', () => {
    const points = blkioPoints(
      context({ blkio_stats: { io_service_bytes_recursive: [], io_serviced_recursive: [] } }),
    );
    expect(points).toHaveLength(1);
    expect(points[0]?.fields).toEqual({
      container_id: 'c0ffee',
      io_service_bytes_recursive_read: 0n,
      io_service_bytes_recursive_write: 0n,
      io_serviced_recursive_read: 0n,
      io_serviced_recursive_write: 0n,
    });
  });

  it('writes nothing when every array is null or blkio_stats is absent', () => {
    expect(
      blkioPoints(
        context({ blkio_stats: { io_service_bytes_recursive: null, io_serviced_recursive: null } }),
      ),
    ).toEqual([]);
    expect(blkioPoints(context({}))).toEqual([]);
  });

  it('sums cgroup v2 lowercase ops over devices, without serviced fields', () => {
    const entries = [
      { major: 8, minor: 0, op: 'read', value: 100 },
      { major: 8, minor: 0, op: 'write', value: 7 },
      { major: 259, minor: 1, op: 'read', value: 1 },
    ];
    const points = blkioPoints(
      context({ blkio_stats: { io_service_bytes_recursive: entries, io_serviced_recursive: null } }),
    );
    expect(points.map((point) => point.tags.device)).toEqual(['total', '259:1', '8:0']);
    expect(fieldsOf(points, 'device', 'total')).toEqual({
      container_id: 'c0ffee',
      io_service_bytes_recursive_read: 101n,
      io_service_bytes_recursive_write: 7n,
    });
  });
});

describe('pids', () => {
  it('writes current, and limit only when one is set', () => {
    expect(pidsPoints(context({ pids_stats: { current: 3, limit: 100 } }))[0]?.fields).toEqual({
      current: 3n,
      limit: 100n,
      container_id: 'c0ffee',
    });
    expect(pidsPoints(context({ pids_stats: { current: 3, limit: 0 } }))[0]?.fields).not.toHaveProperty(
      'limit',
    );
    expect(pidsPoints(context({ pids_stats: {} }))).toEqual([]);
  });
});

describe('deriveContainerPoints', () => {
  it('returns no points for a stopped container sample (a gap, not zeros)', () => {
    const stopped = loadFixture('v1-stopped').input;
    expect(deriveContainerPoints(stopped)).toEqual([]);
  });

  it('stamps every point with the sample read time', () => {
    const fixture = loadFixture('v2-limits');
    const points = deriveContainerPoints(fixture.input);
    expect(points.length).toBeGreaterThan(5);
    expect(new Set(points.map((point) => point.time))).toEqual(new Set([1795264202500000000n]));
  });

  it('treats a previous sample of a stopped container as no baseline', () => {
    const running = loadFixture('v1-burner').input;
    const stoppedSample = loadFixture('v1-stopped').input.current;
    const previous = { ...stoppedSample, id: running.current.id } as Docker.ContainerStats;
    const total = deriveContainerPoints({ ...running, previous }).find(
      (point) => point.tags.cpu === 'cpu-total',
    );
    expect(total?.fields).not.toHaveProperty('usage_percent');
  });
});

// Synthetic data in the collector's exact schema (Telegraf docker input names, the
// prometheus measurement for scraped services and the collector's own metrics), so the
// dashboards can be proved and benchmarked without the real collector.
import { COLLECTOR_JOB, MEASUREMENT, type Point, TAG, TOTAL, toLineProtocol } from '@dockwatch/collector';
import { diskUsagePoints, hostPoints, quietHost, type SyntheticHost } from './host.js';
import { type FieldValue, point } from './line-protocol.js';

export interface SyntheticContainer {
  name: string;
  host: string;
  image: string;
  /** CPU limit in cores; unset means unlimited (no usage_percent_of_limit). */
  cpuLimitCores?: number;
  /** Memory limit in bytes; unset means the host's memory is reported as the limit. */
  memoryLimitBytes?: number;
  pidsLimit?: number;
  /** Healthcheck result, when the container has a healthcheck. */
  health?: 'healthy' | 'unhealthy';
  /** Seconds (epoch) at which the container restarts. */
  restartsAt?: number[];
  /** Second (epoch) at which the container is OOM-killed (and restarted by its policy). */
  oomKilledAt?: number;
  /**
   * Seconds (epoch) at which the kernel kills a process inside the container, which keeps
   * running: its `oom_kills` counter rises, and falls back to 0 when the container restarts.
   */
  oomKillsInsideAt?: number[];
  /** Its writable layer (docker_disk_usage size_rw); default a few MiB. */
  writableLayerBytes?: number;
  /** Exposes the kvstore's Prometheus metrics. */
  kvstore?: boolean;
  /** Extra tags, as the collector writes a container's labels (Docker's swarm and stack labels among them). */
  labels?: Record<string, string>;
  /** Epoch seconds before which the container writes nothing (a task started late). */
  startsAt?: number;
  /** Epoch seconds from which the container writes nothing (its node went down, or its collector stopped). */
  silentFrom?: number;
  /**
   * Its cumulative counters (CPU throttling, network, block IO) start again from 0 when it
   * restarts, as a new cgroup and network namespace do; unset, they run on (older fixtures).
   */
  countersResetOnRestart?: boolean;
  /** Mean CPU in percent of one core. */
  cpuPercent: number;
  memoryBytes: number;
}

export interface SyntheticOptions {
  containers: SyntheticContainer[];
  /** Epoch seconds, inclusive. */
  from: number;
  to: number;
  stepSeconds: number;
  /** Also write the collector's own metrics for every host. */
  collector: boolean;
  /** Only the fields the dashboards read (keeps the benchmark's write volume sane). */
  lean?: boolean;
  /** The hosts' data-root filesystems and volumes; default a quiet host (see quietHost) per container host. */
  hosts?: SyntheticHost[];
  /** Host and engine points start here (default `from`): the disk-fill alert looks back an hour. */
  hostsFrom?: number;
  /** docker_disk_usage is written every this many seconds (the collector's DISK_USAGE_INTERVAL, default 300). */
  diskUsageStepSeconds?: number;
}

const HOST_MEMORY = 16 * 1024 ** 3;
const LATENCY_BOUNDS = [
  '0.005',
  '0.01',
  '0.025',
  '0.05',
  '0.1',
  '0.25',
  '0.5',
  '1',
  '2.5',
  '5',
  '10',
  '+Inf',
];
// Share of requests finishing within each bound (cumulative); 1.5 % are slower than 0.25 s.
const LATENCY_SHARES = [0.2, 0.45, 0.7, 0.85, 0.93, 0.985, 0.995, 0.999, 1, 1, 1, 1];
const GATHER_BOUNDS = ['0.01', '0.05', '0.1', '0.5', '1', '+Inf'];

/** Deterministic noise in [0, 1) from integers, so runs are reproducible. */
function noise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 13;
  return ((h >>> 0) % 1_000_000) / 1_000_000;
}

function commonTags(c: SyntheticContainer, status = 'running'): Record<string, string> {
  return {
    [TAG.engineHost]: c.host,
    [TAG.serverVersion]: '20.10.24',
    [TAG.containerName]: c.name,
    [TAG.containerImage]: c.image.split(':')[0] ?? c.image,
    [TAG.containerVersion]: c.image.split(':')[1] ?? 'latest',
    [TAG.containerStatus]: status,
    [TAG.composeProject]: 'dockwatch',
    [TAG.composeService]: c.name.replace(/-\d+$/, ''),
    ...c.labels,
  };
}

function idOf(index: number): string {
  return index.toString(16).padStart(12, '0').repeat(2);
}

function lastStartBefore(c: SyntheticContainer, t: number): number {
  return Math.max(
    1_600_000_000,
    ...(c.restartsAt ?? []).filter((at) => at <= t),
    ...(c.oomKilledAt !== undefined && c.oomKilledAt <= t ? [c.oomKilledAt] : []),
  );
}

/** The oom_kills counter: kills inside the container since it last started (a restart recreates its cgroup). */
function oomKillsAt(c: SyntheticContainer, t: number): number {
  const started = lastStartBefore(c, t);
  return (c.oomKillsInsideAt ?? []).filter((at) => at <= t && at >= started).length;
}

const MiB = 1024 ** 2;

function writableLayerOf(c: SyntheticContainer, index: number): number {
  return c.writableLayerBytes ?? (4 + index) * MiB;
}

function restartsBefore(c: SyntheticContainer, t: number): number {
  const restarts = (c.restartsAt ?? []).filter((at) => at <= t).length;
  return restarts + (c.oomKilledAt !== undefined && c.oomKilledAt <= t ? 1 : 0);
}

function* containerPoints(c: SyntheticContainer, index: number, t: number, step: number, lean: boolean) {
  const tags = commonTags(c);
  const id = idOf(index);
  const elapsed = t - 1_600_000_000;
  // What the cumulative counters have counted: since the epoch of the fixtures, or since the start.
  const counted = c.countersResetOnRestart ? t - lastStartBefore(c, t) : elapsed;
  const wave = 0.75 + 0.5 * noise(index, Math.floor(t / step));
  const cpu = c.cpuPercent * wave;
  const cpuFields: Record<string, FieldValue> = { usage_percent: cpu, container_id: id };
  if (c.cpuLimitCores !== undefined) cpuFields.usage_percent_of_limit = cpu / c.cpuLimitCores;
  const throttled = c.cpuLimitCores !== undefined ? Math.floor(counted / 10) : 0;
  cpuFields.throttling_throttled_periods = { int: throttled };
  if (!lean) {
    Object.assign(cpuFields, {
      usage_total: { int: elapsed * c.cpuPercent * 1e7 },
      usage_system: { int: elapsed * 2e9 },
      usage_in_kernelmode: { int: elapsed * c.cpuPercent * 2e6 },
      usage_in_usermode: { int: elapsed * c.cpuPercent * 8e6 },
      throttling_periods: { int: elapsed * 10 },
      throttling_throttled_time: { int: throttled * 1e6 },
    });
  }
  yield point(MEASUREMENT.cpu, { ...tags, [TAG.cpu]: TOTAL.cpu }, cpuFields, t);

  const limit = c.memoryLimitBytes ?? HOST_MEMORY;
  const used = Math.round(c.memoryBytes * (0.9 + 0.2 * noise(index + 7, Math.floor(t / step))));
  const memFields: Record<string, FieldValue> = {
    usage: { int: used },
    limit: { int: limit },
    usage_percent: (used / limit) * 100,
    oom_kills: { int: oomKillsAt(c, t) },
    container_id: id,
  };
  if (!lean)
    Object.assign(memFields, { usage: { int: used + 4_096_000 }, inactive_file: { int: 4_096_000 } });
  yield point(MEASUREMENT.memory, tags, memFields, t);

  const rx = Math.round(counted * (1000 + 50 * index));
  const tx = Math.round(counted * (500 + 20 * index));
  const netFields: Record<string, FieldValue> = {
    rx_bytes: { int: rx },
    tx_bytes: { int: tx },
    container_id: id,
  };
  if (!lean) {
    Object.assign(netFields, {
      rx_packets: { int: rx / 500 },
      tx_packets: { int: tx / 500 },
      rx_errors: { int: 0 },
      tx_errors: { int: 0 },
      rx_dropped: { int: 0 },
      tx_dropped: { int: 0 },
    });
  }
  yield point(MEASUREMENT.network, { ...tags, [TAG.network]: TOTAL.network }, netFields, t);

  const read = Math.round(counted * (200 + index));
  const written = Math.round(counted * (800 + 3 * index));
  const blkFields: Record<string, FieldValue> = {
    io_service_bytes_recursive_read: { int: read },
    io_service_bytes_recursive_write: { int: written },
    container_id: id,
  };
  if (!lean) {
    Object.assign(blkFields, {
      io_serviced_recursive_read: { int: read / 4096 },
      io_serviced_recursive_write: { int: written / 4096 },
    });
  }
  yield point(MEASUREMENT.blkio, { ...tags, [TAG.device]: TOTAL.device }, blkFields, t);

  const pidFields: Record<string, FieldValue> = { current: { int: 3 + (index % 20) }, container_id: id };
  if (c.pidsLimit !== undefined) pidFields.limit = { int: c.pidsLimit };
  yield point(MEASUREMENT.pids, tags, pidFields, t);

  const restarts = restartsBefore(c, t);
  const startedAt = lastStartBefore(c, t);
  const statusFields: Record<string, FieldValue> = {
    container_id: id,
    oomkilled: false,
    restart_count: { int: restarts },
    uptime_ns: { int: (t - startedAt) * 1e9 },
  };
  if (!lean) {
    Object.assign(statusFields, {
      pid: { int: 1000 + index },
      exitcode: { int: 0 },
      started_at: { int: startedAt * 1e9 },
      finished_at: { int: 0 },
      network_mode: 'bridge',
    });
  }
  yield point(MEASUREMENT.status, tags, statusFields, t);
  if (c.oomKilledAt !== undefined && c.oomKilledAt >= t && c.oomKilledAt < t + step) {
    // The extra status point written when the container dies.
    yield point(
      MEASUREMENT.status,
      commonTags(c, 'exited'),
      {
        container_id: id,
        oomkilled: true,
        restart_count: { int: restarts },
        uptime_ns: { int: 0 },
        exitcode: { int: 137 },
      },
      c.oomKilledAt,
    );
  }

  if (c.health) {
    const failing = c.health === 'unhealthy' ? 3 + Math.floor(elapsed / 30) : 0;
    yield point(
      MEASUREMENT.health,
      tags,
      { health_status: c.health, failing_streak: { int: failing }, container_id: id },
      t,
    );
  }
  if (c.kvstore) yield* kvstorePoints(c, tags, t);
}

function* kvstorePoints(c: SyntheticContainer, common: Record<string, string>, t: number) {
  const elapsed = t - 1_600_000_000;
  const tags = { ...common, [TAG.url]: `http://${c.name}:8080/metrics` };
  const series = [
    { method: 'GET', route: '/kv/:key', status_code: '200', perSecond: 40 },
    { method: 'PUT', route: '/kv/:key', status_code: '201', perSecond: 10 },
    { method: 'GET', route: '/kv/:key', status_code: '500', perSecond: 1.5 },
  ];
  for (const s of series) {
    const labels = { ...tags, method: s.method, route: s.route, status_code: s.status_code };
    const count = Math.round(elapsed * s.perSecond);
    for (const [i, le] of LATENCY_BOUNDS.entries()) {
      const within = le === '+Inf' ? count : Math.round(count * (LATENCY_SHARES[i] ?? 1));
      yield point(
        MEASUREMENT.prometheus,
        { ...labels, [TAG.le]: le },
        { http_request_duration_seconds_bucket: within },
        t,
      );
    }
    yield point(
      MEASUREMENT.prometheus,
      labels,
      { http_request_duration_seconds_sum: count * 0.03, http_request_duration_seconds_count: count },
      t,
    );
  }
  for (const [op, result, perSecond] of [
    ['get', 'hit', 30],
    ['get', 'miss', 11.5],
    ['set', 'ok', 10],
    ['delete', 'ok', 1],
  ] as const) {
    yield point(
      MEASUREMENT.prometheus,
      { ...tags, op, result },
      { kvstore_operations_total: Math.round(elapsed * perSecond) },
      t,
    );
  }
  for (const [mode, perSecond] of [
    ['lazy', 0.5],
    ['active', 2],
  ] as const) {
    yield point(
      MEASUREMENT.prometheus,
      { ...tags, mode },
      { kvstore_expired_keys_total: Math.round(elapsed * perSecond) },
      t,
    );
  }
  yield point(
    MEASUREMENT.prometheus,
    { ...tags, reason: 'bad_token' },
    { kvstore_auth_failures_total: Math.floor(elapsed / 60) },
    t,
  );
  yield point(
    MEASUREMENT.prometheus,
    tags,
    {
      http_requests_in_flight: 2,
      kvstore_keys: 5000 + (elapsed % 300),
      kvstore_storage_size_bytes: 2_500_000 + (elapsed % 300) * 500,
      process_cpu_seconds_total: elapsed * 0.12,
      process_resident_memory_bytes: 80_000_000,
      nodejs_eventloop_lag_seconds: 0.004,
      nodejs_eventloop_lag_p99_seconds: 0.012,
      nodejs_heap_size_used_bytes: 30_000_000,
    },
    t,
  );
}

function* collectorPoints(host: string, containers: number, t: number) {
  const elapsed = t - 1_600_000_000;
  const tags = {
    [TAG.job]: COLLECTOR_JOB,
    [TAG.engineHost]: host,
    [TAG.url]: 'http://localhost:9273/metrics',
  };
  const gathers = Math.floor(elapsed / 10);
  for (const source of ['docker', 'prometheus']) {
    for (const le of GATHER_BOUNDS) {
      const within = le === '0.01' ? 0 : le === '0.05' ? Math.floor(gathers * 0.2) : gathers;
      yield point(
        MEASUREMENT.prometheus,
        { ...tags, source, [TAG.le]: le },
        { collector_gather_duration_seconds_bucket: within },
        t,
      );
    }
    yield point(
      MEASUREMENT.prometheus,
      { ...tags, source },
      {
        collector_gather_duration_seconds_sum: gathers * (source === 'docker' ? 0.08 : 0.02),
        collector_gather_duration_seconds_count: gathers,
      },
      t,
    );
  }
  yield point(
    MEASUREMENT.prometheus,
    tags,
    {
      collector_containers_tracked: containers,
      collector_points_written_total: gathers * containers * 7,
      collector_points_failed_total: Math.floor(gathers / 100),
    },
    t,
  );
  // Labelled counters: one series per reason.
  yield point(
    MEASUREMENT.prometheus,
    { ...tags, reason: 'buffer_full' },
    { collector_points_dropped_total: Math.floor(gathers / 1000) },
    t,
  );
  yield point(
    MEASUREMENT.prometheus,
    { ...tags, reason: 'timeout' },
    { collector_stats_errors_total: Math.floor(gathers / 500) },
    t,
  );
}

/** Every point, in time order, as line protocol (whole seconds, written with ns precision). */
export function* syntheticLines(options: SyntheticOptions): Generator<string> {
  for (const p of syntheticPoints(options)) yield toLineProtocol(p);
}

/** Every point, in time order (whole seconds). */
export function* syntheticPoints(options: SyntheticOptions): Generator<Point> {
  const hostNames = [...new Set(options.containers.map((c) => c.host))];
  const hosts = options.hosts ?? hostNames.map((name) => quietHost(name, options.from));
  const diskUsageStep = options.diskUsageStepSeconds ?? 300;
  const start = Math.min(options.from, options.hostsFrom ?? options.from);
  for (let t = start; t <= options.to; t += options.stepSeconds) {
    const containersUp = t >= options.from;
    if (containersUp) {
      for (const [index, container] of options.containers.entries()) {
        if (container.silentFrom !== undefined && t >= container.silentFrom) continue;
        if (container.startsAt !== undefined && t < container.startsAt) continue;
        yield* containerPoints(container, index, t, options.stepSeconds, options.lean ?? false);
      }
      if (options.collector) {
        for (const host of hostNames) {
          const silentFrom = hosts.find((h) => h.name === host)?.silentFrom;
          if (silentFrom !== undefined && t >= silentFrom) continue;
          yield* collectorPoints(host, options.containers.filter((c) => c.host === host).length, t);
        }
      }
    }
    for (const [index, host] of hosts.entries()) {
      if (host.silentFrom !== undefined && t >= host.silentFrom) continue;
      const mine = containersUp ? options.containers.filter((c) => c.host === host.name) : [];
      yield* hostPoints(host, index, mine.length, t);
      if (containersUp && (t - options.from) % diskUsageStep === 0) {
        yield* diskUsagePoints(
          host,
          mine.map((c) => ({
            name: c.name,
            image: c.image,
            writableLayerBytes: writableLayerOf(c, options.containers.indexOf(c)),
            imageBytes: 80 * MiB,
          })),
          t,
        );
      }
    }
  }
}

// Builds, from the kernel's files, the same stats JSON the Engine answers for one container,
// so every derivation (CPU %, memory used, network, blkio, pids) is shared with the API path.
// What the Engine puts into each field is noted where it is not obvious.
import type {
  EngineBlkioEntry,
  EngineNetworkStats,
  EngineStats,
  JsonInteger,
} from '../derive/engine-stats.js';
import type { ContainerCgroup } from './cgroup-layout.js';
import type { HostFiles, OpenFiles } from './host-files.js';
import {
  parseBlkioV1,
  parseCounter,
  parseCounterList,
  parseIoStatV2,
  parseKeyed,
  parseKeyedSubset,
  parseKeyedValue,
  parseMemTotal,
  parseNetDev,
  parseProcStat,
  parseSingleValue,
  ticksToNs,
  usecToNs,
} from './parsers.js';

/** The memory.stat keys the Engine reports on cgroup v1, 0 when the kernel lacks one. */
export const V1_MEMORY_STAT_KEYS = [
  'cache',
  'rss',
  'rss_huge',
  'mapped_file',
  'dirty',
  'writeback',
  'pgpgin',
  'pgpgout',
  'pgfault',
  'pgmajfault',
  'inactive_anon',
  'active_anon',
  'inactive_file',
  'active_file',
  'unevictable',
  'hierarchical_memory_limit',
  'hierarchical_memsw_limit',
  'total_cache',
  'total_rss',
  'total_rss_huge',
  'total_mapped_file',
  'total_dirty',
  'total_writeback',
  'total_pgpgin',
  'total_pgpgout',
  'total_pgfault',
  'total_pgmajfault',
  'total_inactive_anon',
  'total_active_anon',
  'total_inactive_file',
  'total_active_file',
  'total_unevictable',
] as const;

/**
 * The memory.stat keys the Engine reports on cgroup v2, 0 when the kernel lacks one (e.g.
 * `workingset_refault`, split into _anon/_file since Linux 5.9, is always 0 there).
 */
export const V2_MEMORY_STAT_KEYS = [
  'anon',
  'file',
  'kernel_stack',
  'slab',
  'sock',
  'shmem',
  'file_mapped',
  'file_dirty',
  'file_writeback',
  'anon_thp',
  'inactive_anon',
  'active_anon',
  'inactive_file',
  'active_file',
  'unevictable',
  'slab_reclaimable',
  'slab_unreclaimable',
  'pgfault',
  'pgmajfault',
  'workingset_refault',
  'workingset_activate',
  'workingset_nodereclaim',
  'pgrefill',
  'pgscan',
  'pgsteal',
  'pgactivate',
  'pgdeactivate',
  'pglazyfree',
  'pglazyfreed',
  'thp_fault_alloc',
  'thp_collapse_alloc',
] as const;

/**
 * Devices every network namespace has that the Engine does not list: loopback and the
 * fallback tunnel devices the kernel adds when a tunnel module is loaded. The Engine lists
 * only the interfaces it configured (eth0, eth1, ...).
 */
const UNLISTED_INTERFACES = new Set([
  'lo',
  'tunl0',
  'gre0',
  'gretap0',
  'erspan0',
  'ip_vti0',
  'ip6_vti0',
  'sit0',
  'ip6tnl0',
  'ip6gre0',
  'ip6gretap0',
]);

/** What is read once per gather for every container: /proc/stat and /proc/meminfo. */
export interface HostSnapshot {
  systemCpuUsage: JsonInteger;
  onlineCpus: number;
  /** MemTotal in bytes; the Engine reports it as the limit when the cgroup's is larger. */
  machineMemory: number;
}

export function readHostSnapshot(
  files: HostFiles,
  procRoot: string,
  keep?: OpenFiles,
): HostSnapshot | undefined {
  const stat = files.read(`${procRoot}/stat`, keep);
  const meminfo = files.read(`${procRoot}/meminfo`, keep);
  const cpu = stat === undefined ? undefined : parseProcStat(stat);
  const machineMemory = meminfo === undefined ? undefined : parseMemTotal(meminfo);
  if (cpu === undefined || machineMemory === undefined) return undefined;
  return { ...cpu, machineMemory };
}

export interface SampleRequest {
  id: string;
  /** Inspect `Name`, with its leading slash, as the Engine sends it. */
  name: string;
  pid: number;
  /** HostConfig.NetworkMode: host and container:<id> have no `networks` key at the Engine. */
  networkMode: string | undefined;
  cgroup: ContainerCgroup;
  /** RFC 3339 with ns, the sample's `read`; the collector keeps its samples' time apart, as ns. */
  read?: string;
}

/**
 * The texts of a container's limit files (memory.limit_in_bytes, memory.max, pids.max), by
 * path, read once and reused until the caller clears it (a new inspect, or its time is up).
 */
export type LimitTexts = Map<string, string | undefined>;

/** What was found out once about a container's directories (whether a file exists), by path. */
export type PathProbes = Map<string, boolean>;

/** Thrown when the container's cgroup or process vanished mid-read: a gap for that container. */
export class ContainerGoneError extends Error {
  constructor(readonly path: string) {
    super(`container files gone: ${path}`);
    this.name = 'ContainerGoneError';
  }
}

/**
 * Reads one file of the container; undefined when absent. `limit` marks a file that holds a
 * limit, which changes only through `docker update` (an event that refreshes the inspect):
 * the caller may answer it from its limit cache.
 */
type Read = (path: string, limit?: boolean) => string | undefined;

function required(read: Read, path: string): string {
  const text = read(path);
  if (text === undefined) throw new ContainerGoneError(path);
  return text;
}

function optional(read: Read, path: string | undefined, limit = false): string | undefined {
  return path === undefined ? undefined : read(path, limit);
}

const V1_MEMORY_STAT_WANTED: ReadonlySet<string> = new Set(V1_MEMORY_STAT_KEYS);
const V2_MEMORY_STAT_WANTED: ReadonlySet<string> = new Set(V2_MEMORY_STAT_KEYS);

/** The Engine replaces a limit above the host's memory (i.e. none) by the host's memory. */
function capLimit(limit: JsonInteger | undefined, host: HostSnapshot): JsonInteger | undefined {
  if (limit === undefined) return undefined;
  return host.machineMemory > 0 && BigInt(limit) > BigInt(host.machineMemory) ? host.machineMemory : limit;
}

function sumCounters(values: readonly JsonInteger[]): JsonInteger {
  let total = 0n;
  for (const value of values) total += BigInt(value);
  return total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : total;
}

function nonZero(value: JsonInteger | undefined): JsonInteger | undefined {
  return value === undefined || BigInt(value) === 0n ? undefined : value;
}

function readNetworks(
  read: Read,
  procRoot: string,
  request: SampleRequest,
): Record<string, EngineNetworkStats> | undefined {
  const mode = request.networkMode ?? '';
  if (mode === 'host' || mode.startsWith('container:')) return undefined;
  const text = required(read, `${procRoot}/${request.pid}/net/dev`);
  const networks: Record<string, EngineNetworkStats> = {};
  for (const [name, stats] of parseNetDev(text)) {
    if (!UNLISTED_INTERFACES.has(name)) networks[name] = stats;
  }
  return Object.keys(networks).length > 0 ? networks : undefined;
}

function readPids(read: Read, dir: string | undefined): EngineStats['pids_stats'] {
  if (dir === undefined) return {};
  const current = parseCounter(optional(read, `${dir}/pids.current`) ?? '');
  const limit = parseSingleValue(optional(read, `${dir}/pids.max`, true) ?? '');
  return { current, limit: nonZero(limit) };
}

function readBlkioV1(
  read: Read,
  dir: string | undefined,
  probes: PathProbes | undefined,
): EngineStats['blkio_stats'] {
  if (dir === undefined) return undefined;
  const entries = (file: string): EngineBlkioEntry[] => parseBlkioV1(optional(read, `${dir}/${file}`) ?? '');
  // As the Engine's cgroup library: the CFQ/BFQ-era recursive files when the kernel has them
  // and they hold data, else the throttle files (which every v1 kernel has).
  // Whether the directory has the CFQ/BFQ recursive files: the kernel's scheduler set does
  // not change, so the caller's probes remember it for as long as it follows the container.
  const probe = `${dir}/blkio.io_serviced_recursive`;
  let cfq = probes?.get(probe);
  if (cfq === undefined) {
    cfq = read(probe) !== undefined;
    probes?.set(probe, cfq);
  }
  if (cfq) {
    const bytes = entries('blkio.io_service_bytes_recursive');
    const ops = entries('blkio.io_serviced_recursive');
    if (bytes.length + ops.length > 0)
      return { io_service_bytes_recursive: bytes, io_serviced_recursive: ops };
  }
  return {
    io_service_bytes_recursive: entries('blkio.throttle.io_service_bytes'),
    io_serviced_recursive: entries('blkio.throttle.io_serviced'),
  };
}

/**
 * v1 OOM kills: the `oom_kill` line of memory.oom_control (Linux 4.13+). Where the kernel has
 * no such line the probes remember it, so the file is not read again for this container.
 */
function readOomKillsV1(read: Read, dir: string, probes: PathProbes | undefined): JsonInteger | undefined {
  const path = `${dir}/memory.oom_control`;
  if (probes?.get(path) === false) return undefined;
  const text = read(path);
  const kills = text === undefined ? undefined : parseKeyedValue(text, 'oom_kill');
  if (kills === undefined) probes?.set(path, false);
  return kills;
}

function readV1(
  read: Read,
  cgroup: Extract<ContainerCgroup, { version: 1 }>,
  host: HostSnapshot,
  probes: PathProbes | undefined,
): EngineStats {
  const { dirs } = cgroup;
  // Usage first: if the memory cgroup is gone, so is the container.
  const usage = parseCounter(required(read, `${dirs.memory}/memory.usage_in_bytes`));
  const memoryStat = parseKeyedSubset(
    optional(read, `${dirs.memory}/memory.stat`) ?? '',
    V1_MEMORY_STAT_KEYS,
    V1_MEMORY_STAT_WANTED,
  );
  // Before the required reads below: a container gone by now fails on them, so its probes
  // (which a missing file here would set) are dropped with it.
  const oomKills = readOomKillsV1(read, dirs.memory, probes);
  const cpuacctStat = parseKeyed(required(read, `${dirs.cpuacct}/cpuacct.stat`));
  const cpuStat = parseKeyed(optional(read, dirs.cpu && `${dirs.cpu}/cpu.stat`) ?? '');
  // The kernel's cpuacct.usage is the sum of cpuacct.usage_percpu over the possible CPUs:
  // one file read instead of two, and the total always matches the per-CPU figures.
  const percpu = parseCounterList(required(read, `${dirs.cpuacct}/cpuacct.usage_percpu`));
  const userTicks = cpuacctStat.get('user');
  const systemTicks = cpuacctStat.get('system');
  return {
    cpu_stats: {
      cpu_usage: {
        total_usage: sumCounters(percpu),
        percpu_usage: percpu,
        usage_in_kernelmode: systemTicks === undefined ? undefined : ticksToNs(systemTicks),
        usage_in_usermode: userTicks === undefined ? undefined : ticksToNs(userTicks),
      },
      system_cpu_usage: host.systemCpuUsage,
      online_cpus: host.onlineCpus,
      throttling_data: {
        periods: cpuStat.get('nr_periods') ?? 0,
        throttled_periods: cpuStat.get('nr_throttled') ?? 0,
        throttled_time: cpuStat.get('throttled_time') ?? 0,
      },
    },
    memory_stats: {
      usage,
      max_usage: parseCounter(optional(read, `${dirs.memory}/memory.max_usage_in_bytes`) ?? ''),
      failcnt: nonZero(parseCounter(optional(read, `${dirs.memory}/memory.failcnt`) ?? '')),
      limit: capLimit(parseCounter(optional(read, `${dirs.memory}/memory.limit_in_bytes`, true) ?? ''), host),
      stats: memoryStat,
      ...(oomKills === undefined ? {} : { oom_kills: oomKills }),
    },
    blkio_stats: readBlkioV1(read, dirs.blkio, probes),
    pids_stats: readPids(read, dirs.pids),
  };
}

function readV2(
  read: Read,
  cgroup: Extract<ContainerCgroup, { version: 2 }>,
  host: HostSnapshot,
): EngineStats {
  const { dir } = cgroup;
  const usage = parseCounter(required(read, `${dir}/memory.current`));
  const memoryStat = parseKeyedSubset(
    optional(read, `${dir}/memory.stat`) ?? '',
    V2_MEMORY_STAT_KEYS,
    V2_MEMORY_STAT_WANTED,
  );
  const cpuStat = parseKeyed(required(read, `${dir}/cpu.stat`));
  const eventsText = optional(read, `${dir}/memory.events`);
  const events = eventsText === undefined ? undefined : parseKeyed(eventsText);
  const oomKills = events?.get('oom_kill');
  const maxText = optional(read, `${dir}/memory.max`, true)?.trim();
  const limit = maxText === 'max' ? host.machineMemory : parseCounter(maxText ?? '');
  const ns = (key: string) => {
    const usec = cpuStat.get(key);
    return usec === undefined ? undefined : usecToNs(usec);
  };
  const io = optional(read, `${dir}/io.stat`);
  return {
    cpu_stats: {
      cpu_usage: {
        total_usage: ns('usage_usec'),
        usage_in_kernelmode: ns('system_usec'),
        usage_in_usermode: ns('user_usec'),
      },
      system_cpu_usage: host.systemCpuUsage,
      online_cpus: host.onlineCpus,
      throttling_data: {
        periods: cpuStat.get('nr_periods') ?? 0,
        throttled_periods: cpuStat.get('nr_throttled') ?? 0,
        throttled_time: ns('throttled_usec') ?? 0,
      },
    },
    memory_stats: {
      usage,
      // cgroup v2 has no failcnt: the Engine reports the `oom` count of memory.events.
      failcnt: nonZero(events?.get('oom')),
      limit: capLimit(limit, host),
      stats: memoryStat,
      ...(oomKills === undefined ? {} : { oom_kills: oomKills }),
    },
    blkio_stats: {
      io_service_bytes_recursive: io === undefined ? null : parseIoStatV2(io),
      io_serviced_recursive: null,
    },
    pids_stats: readPids(read, dir),
  };
}

/**
 * One container's sample in the Engine's stats shape. Throws ContainerGoneError when its
 * cgroup or init process vanished while reading (it stopped): a gap, not a failed gather.
 */
export function readContainerSample(
  files: HostFiles,
  procRoot: string,
  host: HostSnapshot,
  request: SampleRequest,
  keep?: OpenFiles,
  limits?: LimitTexts,
  probes?: PathProbes,
): EngineStats {
  const read: Read = (path, limit) => {
    if (!limit || limits === undefined) return files.read(path, keep);
    if (limits.has(path)) return limits.get(path);
    // Read once per limit-cache lifetime: not worth an fd kept open.
    const text = files.read(path);
    limits.set(path, text);
    return text;
  };
  const stats =
    request.cgroup.version === 1
      ? readV1(read, request.cgroup, host, probes)
      : readV2(read, request.cgroup, host);
  const networks = readNetworks(read, procRoot, request);
  return {
    id: request.id,
    name: request.name,
    ...(request.read === undefined ? {} : { read: request.read }),
    ...stats,
    ...(networks === undefined ? {} : { networks }),
  };
}

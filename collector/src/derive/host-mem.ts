// Telegraf's `mem` measurement from the host's /proc/meminfo, with gopsutil's semantics:
// `cached` includes SReclaimable, used = total - free - buffers - cached, available is
// MemAvailable (Linux 3.14+; before it, cached + free).
import type { Point } from '../model/point.js';
import { MEASUREMENT, TAG } from '../schema/names.js';
import type { HostPointOptions, ProcProblem } from './host-proc.js';

/** The /proc/meminfo values the `mem` fields come from, in bytes. */
export interface Meminfo {
  total: bigint;
  free: bigint;
  /** Undefined on kernels before 3.14. */
  available: bigint | undefined;
  buffers: bigint;
  /** `Cached:` as the kernel prints it (page cache, shmem included, SReclaimable not). */
  cached: bigint;
  sReclaimable: bigint;
  active: bigint;
  inactive: bigint;
  slab: bigint;
  swapTotal: bigint;
  swapFree: bigint;
}

/** meminfo key -> Meminfo key. Keys absent from the file count 0, as in gopsutil (MemTotal aside). */
const KEYS: ReadonlyMap<string, keyof Meminfo> = new Map([
  ['MemTotal', 'total'],
  ['MemFree', 'free'],
  ['MemAvailable', 'available'],
  ['Buffers', 'buffers'],
  ['Cached', 'cached'],
  ['SReclaimable', 'sReclaimable'],
  ['Active', 'active'],
  ['Inactive', 'inactive'],
  ['Slab', 'slab'],
  ['SwapTotal', 'swapTotal'],
  ['SwapFree', 'swapFree'],
]);

/** `12345 kB` (most keys) or a bare count (HugePages_*): the value in bytes resp. as is. */
const VALUE = /^(\d+)(?: kB)?$/;

export interface ParsedMeminfo {
  /** Undefined when a line the fields need is malformed, or MemTotal is missing or 0. */
  meminfo: Meminfo | undefined;
  problems: ProcProblem[];
}

export function parseMeminfo(text: string): ParsedMeminfo {
  const values: Partial<Record<keyof Meminfo, bigint>> = {};
  const problems: ProcProblem[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = KEYS.get(line.slice(0, colon));
    if (key === undefined) continue; // only the lines the fields need are checked
    const value = VALUE.exec(line.slice(colon + 1).trim());
    if (value?.[1] === undefined) {
      problems.push({ reason: 'proc_malformed', file: 'meminfo', message: `not a meminfo line: "${line}"` });
      continue;
    }
    values[key] = BigInt(value[1]) * (line.endsWith('kB') ? 1024n : 1n);
  }
  if (problems.length === 0 && !values.total) {
    problems.push({ reason: 'proc_malformed', file: 'meminfo', message: 'no MemTotal line' });
  }
  if (problems.length > 0) return { meminfo: undefined, problems };
  const get = (key: keyof Meminfo) => values[key] ?? 0n;
  return {
    meminfo: {
      total: get('total'),
      free: get('free'),
      available: values.available,
      buffers: get('buffers'),
      cached: get('cached'),
      sReclaimable: get('sReclaimable'),
      active: get('active'),
      inactive: get('inactive'),
      slab: get('slab'),
      swapTotal: get('swapTotal'),
      swapFree: get('swapFree'),
    },
    problems,
  };
}

/** The `mem` point: integers in bytes, the two shares as floats, as Telegraf computes them. */
export function hostMemPoint(meminfo: Meminfo, options: HostPointOptions): Point {
  const cached = meminfo.cached + meminfo.sReclaimable;
  const available = meminfo.available ?? cached + meminfo.free;
  // gopsutil's uint64 would wrap below zero (seen under lxcfs); 0 is the honest floor.
  const usedRaw = meminfo.total - meminfo.free - meminfo.buffers - cached;
  const used = usedRaw < 0n ? 0n : usedRaw;
  const total = Number(meminfo.total);
  return {
    measurement: MEASUREMENT.hostMem,
    tags: { [TAG.host]: options.host },
    fields: {
      total: meminfo.total,
      available,
      used,
      free: meminfo.free,
      cached,
      buffered: meminfo.buffers,
      active: meminfo.active,
      inactive: meminfo.inactive,
      slab: meminfo.slab,
      swap_total: meminfo.swapTotal,
      swap_free: meminfo.swapFree,
      used_percent: (100 * Number(used)) / total,
      available_percent: (100 * Number(available)) / total,
    },
    time: options.time,
  };
}

// Pure parsers of the kernel's text files the fast path reads. Each takes the file's text and
// returns numbers as the Engine would put them in its stats JSON. Counters stay exact: values
// above 2^53 become bigint (the derivations accept either).
import type { EngineBlkioEntry, EngineNetworkStats, JsonInteger } from '../derive/engine-stats.js';

/** USER_HZ: the unit of /proc/stat and cpuacct.stat. Linux fixes it at 100 for user space. */
export const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_TICK = 1_000_000_000 / CLOCK_TICKS_PER_SECOND;

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13;

/** A decimal counter as a number when exact, else a bigint; undefined when not a number. */
export function parseCounter(text: string): JsonInteger | undefined {
  // By hand rather than trim() and a regex: this runs for every value of every file read.
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return undefined;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
  }
  const digits = start === 0 && end === text.length ? text : text.slice(start, end);
  if (end - start < 16) return Number(digits);
  const big = BigInt(digits);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** A single-value file (`memory.usage_in_bytes`, `pids.current`); `max` means no limit (0, as the Engine says). */
export function parseSingleValue(text: string): JsonInteger | undefined {
  if (text.trim() === 'max') return 0;
  return parseCounter(text);
}

/** Flat keyed files: `key value` per line (memory.stat, cpu.stat, cpuacct.stat, memory.events). */
export function parseKeyed(text: string): Map<string, JsonInteger> {
  const values = new Map<string, JsonInteger>();
  forEachKeyed(text, undefined, (key, value) => values.set(key, value));
  return values;
}

/**
 * A keyed file's values for `keys` only, as a record holding every one of them (0 where the
 * kernel has none), in the order of `keys`: memory.stat as the Engine reports it.
 */
export function parseKeyedSubset(
  text: string,
  keys: readonly string[],
  wanted: ReadonlySet<string>,
): Record<string, JsonInteger> {
  const out: Record<string, JsonInteger> = {};
  for (const key of keys) out[key] = 0;
  forEachKeyed(text, wanted, (key, value) => {
    out[key] = value;
  });
  return out;
}

/** Calls `visit` for each `key value` line whose key is in `wanted` (every key without it). */
function forEachKeyed(
  text: string,
  wanted: ReadonlySet<string> | undefined,
  visit: (key: string, value: JsonInteger) => void,
): void {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space > start && space < end) {
      const key = text.slice(start, space);
      if (wanted === undefined || wanted.has(key)) {
        const value = parseCounter(text.slice(space + 1, end));
        if (value !== undefined) visit(key, value);
      }
    }
    start = end + 1;
  }
}

/**
 * The value of one key of a keyed file (`oom_kill` of memory.oom_control or memory.events);
 * undefined when no line has that key (kernels before 4.13 have no `oom_kill`).
 */
export function parseKeyedValue(text: string, key: string): JsonInteger | undefined {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // `oom_kill 3` but not `oom_kill_disable 0`: the key is followed by its space.
    if (text.startsWith(key, start) && text.charCodeAt(start + key.length) === 32) {
      return parseCounter(text.slice(start + key.length + 1, end));
    }
    start = end + 1;
  }
  return undefined;
}

/** Space-separated counters on one line (cpuacct.usage_percpu). */
export function parseCounterList(text: string): JsonInteger[] {
  const values: JsonInteger[] = [];
  for (const word of text.trim().split(/\s+/)) {
    const value = parseCounter(word);
    if (value !== undefined) values.push(value);
  }
  return values;
}

/** Ticks to nanoseconds, exact. */
export function ticksToNs(ticks: JsonInteger): JsonInteger {
  return exact(BigInt(ticks) * BigInt(NS_PER_TICK));
}

/** Microseconds (cgroup v2 cpu.stat) to nanoseconds, exact. */
export function usecToNs(usec: JsonInteger): JsonInteger {
  return exact(BigInt(usec) * 1000n);
}

function exact(value: bigint): JsonInteger {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

export interface ProcStatCpu {
  /** Host CPU time in ns, as the Engine's `system_cpu_usage`. */
  systemCpuUsage: JsonInteger;
  /** Lines `cpuN`, as the Engine's `online_cpus`. */
  onlineCpus: number;
}

/**
 * /proc/stat as the Engine reads it: the `cpu` line's first seven fields (user, nice, system,
 * idle, iowait, irq, softirq; not steal) in ticks, times 1e9 / USER_HZ; online CPUs = the
 * number of `cpuN` lines. Undefined when there is no usable `cpu` line.
 */
export function parseProcStat(text: string): ProcStatCpu | undefined {
  let ticks: bigint | undefined;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) {
      if (ticks !== undefined) break; // the cpu lines come first
      continue;
    }
    const parts = line.split(/\s+/);
    const name = parts[0] ?? '';
    if (name === 'cpu') {
      if (parts.length < 8) return undefined;
      ticks = 0n;
      for (const part of parts.slice(1, 8)) {
        if (!/^\d+$/.test(part)) return undefined;
        ticks += BigInt(part);
      }
    } else if (name.length > 3) {
      onlineCpus++;
    }
  }
  if (ticks === undefined) return undefined;
  return { systemCpuUsage: exact(ticks * BigInt(NS_PER_TICK)), onlineCpus };
}

/** MemTotal of /proc/meminfo in bytes: what the Engine reports as the limit of an unlimited container. */
export function parseMemTotal(text: string): number | undefined {
  const match = /^MemTotal:\s+(\d+)\s*kB/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/**
 * /proc/<pid>/net/dev: per interface, the eight counters the Engine reports. `drop` on the
 * receive side is the kernel's rx_dropped plus rx_missed_errors (0 on veth devices).
 */
export function parseNetDev(text: string): Map<string, EngineNetworkStats> {
  const interfaces = new Map<string, EngineNetworkStats>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const numbers = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(parseCounter);
    if (name === '' || numbers.length < 16 || numbers.some((n) => n === undefined)) continue;
    const at = (index: number) => numbers[index] as JsonInteger;
    interfaces.set(name, {
      rx_bytes: at(0),
      rx_packets: at(1),
      rx_errors: at(2),
      rx_dropped: at(3),
      tx_bytes: at(8),
      tx_packets: at(9),
      tx_errors: at(10),
      tx_dropped: at(11),
    });
  }
  return interfaces;
}

/**
 * cgroup v1 blkio files: `major:minor Op value` per line, and a final `Total value` line that
 * the Engine skips. Lines without an op (`major:minor value`) get an empty op, as the Engine's.
 */
export function parseBlkioV1(text: string): EngineBlkioEntry[] {
  const entries: EngineBlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(/[ :]+/).filter((f) => f !== '');
    if (fields.length < 3) continue;
    const [major, minor] = [parseCounter(fields[0] ?? ''), parseCounter(fields[1] ?? '')];
    const op = fields.length >= 4 ? (fields[2] ?? '') : '';
    const value = parseCounter(fields[fields.length >= 4 ? 3 : 2] ?? '');
    if (major === undefined || minor === undefined || value === undefined) continue;
    entries.push({ major, minor, op, value });
  }
  return entries;
}

/**
 * cgroup v2 io.stat (`major:minor rbytes=.. wbytes=.. rios=..`) as the Engine turns it into
 * io_service_bytes_recursive: a `read` and a `write` entry per device, in file order; null
 * when the file lists no device (the Engine's nil slice).
 */
export function parseIoStatV2(text: string): EngineBlkioEntry[] | null {
  const entries: EngineBlkioEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const device = /^(\d+):(\d+)$/.exec(fields[0] ?? '');
    if (device === null) continue;
    let rbytes: JsonInteger = 0;
    let wbytes: JsonInteger = 0;
    for (const field of fields.slice(1)) {
      const [key, value] = field.split('=');
      const parsed = parseCounter(value ?? '');
      if (parsed === undefined) continue;
      if (key === 'rbytes') rbytes = parsed;
      else if (key === 'wbytes') wbytes = parsed;
    }
    const major = Number(device[1]);
    const minor = Number(device[2]);
    entries.push({ major, minor, op: 'read', value: rbytes }, { major, minor, op: 'write', value: wbytes });
  }
  return entries.length > 0 ? entries : null;
}

/** One line of /proc/<pid>/cgroup: hierarchy id, controllers (empty for v2), path. */
export interface ProcCgroupLine {
  hierarchy: string;
  controllers: string[];
  path: string;
}

export function parseProcCgroup(text: string): ProcCgroupLine[] {
  const lines: ProcCgroupLine[] = [];
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    lines.push({
      hierarchy: line.slice(0, first),
      controllers: controllers === '' ? [] : controllers.split(','),
      path: line.slice(second + 1),
    });
  }
  return lines;
}

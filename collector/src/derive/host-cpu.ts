// Telegraf's `cpu` measurement from two samples of the host's /proc/stat, with its arithmetic:
// times in seconds (ticks / USER_HZ, as float64, as gopsutil reads them), and each usage_*
// the share of the interval's total. Linux counts guest time inside user (and guest_nice
// inside nice), so total leaves guest out and usage_user / usage_nice subtract it.
import { CLOCK_TICKS_PER_SECOND } from '../cgroup/parsers.js';
import type { Point } from '../model/point.js';
import { MEASUREMENT, TAG, TOTAL } from '../schema/names.js';
import type { HostPointOptions, ProcProblem } from './host-proc.js';

/** One CPU's line of /proc/stat, in seconds. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

/** The CPU lines of one read of /proc/stat: `cpu-total` and each online `cpuN`. */
export interface ProcStatSample {
  cpus: ReadonlyMap<string, CpuTimes>;
  /** `cpuN` lines: the online logical CPUs (Telegraf's system n_cpus), malformed ones included. */
  logicalCpus: number;
}

export interface ParsedProcStat {
  sample: ProcStatSample;
  problems: ProcProblem[];
}

const COUNTER = /^\d+$/;

/**
 * The CPU lines of /proc/stat. A line with fewer than the seven fields every kernel since
 * 2.6 has (user .. softirq) or with a non-counter is a problem, and that CPU is left out;
 * steal, guest and guest_nice are 0 when the kernel lacks them, as in gopsutil.
 */
export function parseProcStatCpus(text: string): ParsedProcStat {
  const cpus = new Map<string, CpuTimes>();
  const problems: ProcProblem[] = [];
  let logicalCpus = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line.startsWith('cpu')) {
      if (cpus.size > 0 || problems.length > 0) break; // the cpu lines come first
      continue;
    }
    const parts = line.trim().split(/\s+/);
    const label = parts[0] ?? '';
    const isTotal = label === 'cpu';
    if (!isTotal && !/^cpu\d+$/.test(label)) continue;
    if (!isTotal) logicalCpus++;
    const values = parts.slice(1, 11);
    if (values.length < 7 || !values.every((value) => COUNTER.test(value))) {
      problems.push({ reason: 'proc_malformed', file: 'stat', message: `not a CPU line: "${line}"` });
      continue;
    }
    const seconds = (index: number) => {
      const value = values[index];
      return value === undefined ? 0 : Number(value) / CLOCK_TICKS_PER_SECOND;
    };
    cpus.set(isTotal ? TOTAL.hostCpu : label, {
      user: seconds(0),
      nice: seconds(1),
      system: seconds(2),
      idle: seconds(3),
      iowait: seconds(4),
      irq: seconds(5),
      softirq: seconds(6),
      steal: seconds(7),
      guest: seconds(8),
      guestNice: seconds(9),
    });
  }
  if (!cpus.has(TOTAL.hostCpu) && problems.length === 0) {
    problems.push({ reason: 'proc_malformed', file: 'stat', message: 'no "cpu" line' });
  }
  return { sample: { cpus, logicalCpus }, problems };
}

/** Telegraf's total: guest and guest_nice are already inside user and nice. */
function totalTime(t: CpuTimes): number {
  return t.user + t.system + t.nice + t.iowait + t.irq + t.softirq + t.steal + t.idle;
}

const COUNTERS: readonly (keyof CpuTimes)[] = [
  'user',
  'nice',
  'system',
  'idle',
  'iowait',
  'irq',
  'softirq',
  'steal',
  'guest',
  'guestNice',
];

export interface HostCpuOptions extends HostPointOptions {
  /** Per-CPU points besides cpu-total (PER_DEVICE). */
  perDevice: boolean;
}

export interface HostCpuResult {
  points: Point[];
  /** CPUs whose counters went backwards since the previous sample: no point, not a negative share. */
  skipped: ProcProblem[];
}

/** usage_* of one CPU over the interval, or a problem; undefined when there is nothing to say. */
function usage(
  name: string,
  previous: CpuTimes,
  current: CpuTimes,
): { fields: Record<string, number> } | { problem: ProcProblem } | undefined {
  const decreased = COUNTERS.filter((key) => current[key] < previous[key]);
  if (decreased.length > 0) {
    return {
      problem: {
        reason: 'counter_decreased',
        file: 'stat',
        message: `${name}: ${decreased.join(', ')} went backwards; no point for this interval`,
      },
    };
  }
  const totalDelta = totalTime(current) - totalTime(previous);
  if (totalDelta <= 0) return undefined; // no tick elapsed (Telegraf skips it too)
  // Telegraf's expressions, term for term, so the floats are the ones it would write.
  const fields = {
    usage_user: (100 * (current.user - previous.user - (current.guest - previous.guest))) / totalDelta,
    usage_system: (100 * (current.system - previous.system)) / totalDelta,
    usage_idle: (100 * (current.idle - previous.idle)) / totalDelta,
    usage_nice:
      (100 * (current.nice - previous.nice - (current.guestNice - previous.guestNice))) / totalDelta,
    usage_iowait: (100 * (current.iowait - previous.iowait)) / totalDelta,
    usage_irq: (100 * (current.irq - previous.irq)) / totalDelta,
    usage_softirq: (100 * (current.softirq - previous.softirq)) / totalDelta,
    usage_steal: (100 * (current.steal - previous.steal)) / totalDelta,
    usage_guest: (100 * (current.guest - previous.guest)) / totalDelta,
    usage_guest_nice: (100 * (current.guestNice - previous.guestNice)) / totalDelta,
  };
  // Guest time is charged to user (nice) and to guest a moment apart, so user - guest can
  // come out a tick below zero, and equal counters can leave float noise (-1e-15): 0 instead.
  for (const [key, value] of Object.entries(fields)) {
    if (value < 0) fields[key as keyof typeof fields] = 0;
  }
  return { fields };
}

/**
 * The `cpu` points of one interval: cpu-total always, each `cpuN` with perDevice. None on the
 * first sample, none for a CPU that was offline in either sample, none when no tick elapsed.
 */
export function hostCpuPoints(
  previous: ProcStatSample | undefined,
  current: ProcStatSample,
  options: HostCpuOptions,
): HostCpuResult {
  const points: Point[] = [];
  const skipped: ProcProblem[] = [];
  if (previous === undefined) return { points, skipped };
  for (const [name, times] of current.cpus) {
    if (name !== TOTAL.hostCpu && !options.perDevice) continue;
    const before = previous.cpus.get(name);
    if (before === undefined) continue; // came online (or was malformed) since the previous sample
    const result = usage(name, before, times);
    if (result === undefined) continue;
    if ('problem' in result) {
      skipped.push(result.problem);
      continue;
    }
    points.push({
      measurement: MEASUREMENT.hostCpu,
      tags: { [TAG.cpu]: name, [TAG.host]: options.host },
      fields: result.fields,
      time: options.time,
    });
  }
  return { points, skipped };
}

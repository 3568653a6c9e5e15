// Telegraf's `system` measurement (load, n_cpus, uptime in one point) from the host's
// /proc/loadavg, /proc/uptime and the number of `cpuN` lines of /proc/stat.
import type { Point } from '../model/point.js';
import { MEASUREMENT, TAG } from '../schema/names.js';
import type { HostPointOptions, ProcProblem } from './host-proc.js';

export interface Loadavg {
  load1: number;
  load5: number;
  load15: number;
}

const LOAD = /^\d+(?:\.\d+)?$/;

/** `0.52 0.58 0.59 2/345 6789`: the three averages, or a problem. */
export function parseLoadavg(text: string): Loadavg | ProcProblem {
  const [one = '', five = '', fifteen = ''] = text.trim().split(/\s+/);
  if (![one, five, fifteen].every((value) => LOAD.test(value))) {
    return { reason: 'proc_malformed', file: 'loadavg', message: `not a loadavg line: "${text.trim()}"` };
  }
  return { load1: Number(one), load5: Number(five), load15: Number(fifteen) };
}

const UPTIME = /^(\d+)(?:\.(\d+))?$/;

/**
 * `350735.47 1395433.11`: seconds since boot as an integer, rounded up as the kernel's
 * sysinfo(2) rounds it, which is what Telegraf (gopsutil's host.Uptime) reports.
 */
export function parseUptime(text: string): bigint | ProcProblem {
  const match = UPTIME.exec(text.trim().split(/\s+/)[0] ?? '');
  if (match?.[1] === undefined) {
    return { reason: 'proc_malformed', file: 'uptime', message: `not an uptime line: "${text.trim()}"` };
  }
  const fraction = match[2] !== undefined && /[1-9]/.test(match[2]);
  return BigInt(match[1]) + (fraction ? 1n : 0n);
}

export interface HostSystemSample {
  loadavg: Loadavg;
  uptimeSeconds: bigint;
  /** `cpuN` lines of /proc/stat. */
  logicalCpus: number;
}

export function hostSystemPoint(sample: HostSystemSample, options: HostPointOptions): Point {
  return {
    measurement: MEASUREMENT.hostSystem,
    tags: { [TAG.host]: options.host },
    fields: {
      load1: sample.loadavg.load1,
      load5: sample.loadavg.load5,
      load15: sample.loadavg.load15,
      n_cpus: BigInt(sample.logicalCpus),
      uptime: sample.uptimeSeconds,
    },
    time: options.time,
  };
}

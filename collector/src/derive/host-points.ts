// One gather of the host measurements from the texts of the host's /proc files: each family's
// derivation, with the problems they found. Pure, so a recorded /proc is a test case.
import type { Point } from '../model/point.js';
import { hostCpuPoints, type ProcStatSample, parseProcStatCpus } from './host-cpu.js';
import { hostMemPoint, parseMeminfo } from './host-mem.js';
import type { HostPointOptions, ProcFile, ProcProblem } from './host-proc.js';
import { hostSystemPoint, parseLoadavg, parseUptime } from './host-system.js';

/** The files' texts; a file that could not be read is absent, and so are its measurements. */
export type ProcTexts = Partial<Record<ProcFile, string>>;

export interface HostGather {
  points: Point[];
  problems: ProcProblem[];
  /** This gather's /proc/stat sample: the next gather's previous one (undefined without stat). */
  stat: ProcStatSample | undefined;
}

export interface HostGatherOptions extends HostPointOptions {
  perDevice: boolean;
}

/**
 * cpu (from the previous and the current /proc/stat), mem (meminfo) and system (loadavg,
 * uptime, and stat's CPU count; written only when all three are there and well-formed).
 */
export function deriveHostPoints(
  previousStat: ProcStatSample | undefined,
  texts: ProcTexts,
  options: HostGatherOptions,
): HostGather {
  const points: Point[] = [];
  const problems: ProcProblem[] = [];
  const point = { host: options.host, time: options.time };

  let stat: ProcStatSample | undefined;
  if (texts.stat !== undefined) {
    const parsed = parseProcStatCpus(texts.stat);
    problems.push(...parsed.problems);
    stat = parsed.sample;
    const cpu = hostCpuPoints(previousStat, stat, options);
    points.push(...cpu.points);
    problems.push(...cpu.skipped);
  }

  if (texts.meminfo !== undefined) {
    const { meminfo, problems: memProblems } = parseMeminfo(texts.meminfo);
    problems.push(...memProblems);
    if (meminfo !== undefined) points.push(hostMemPoint(meminfo, point));
  }

  if (texts.loadavg !== undefined && texts.uptime !== undefined && stat !== undefined) {
    const loadavg = parseLoadavg(texts.loadavg);
    const uptimeSeconds = parseUptime(texts.uptime);
    if ('reason' in loadavg) problems.push(loadavg);
    if (typeof uptimeSeconds !== 'bigint') problems.push(uptimeSeconds);
    if (!('reason' in loadavg) && typeof uptimeSeconds === 'bigint') {
      points.push(hostSystemPoint({ loadavg, uptimeSeconds, logicalCpus: stat.logicalCpus }, point));
    }
  }
  return { points, problems, stat };
}

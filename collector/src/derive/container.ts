import type { Point } from '../model/point.js';
import { blkioPoints } from './blkio.js';
import { sampleContext } from './context.js';
import { cpuPoints } from './cpu.js';
import type { ContainerSampleInput } from './input.js';
import { memoryPoints } from './memory.js';
import { networkPoints } from './network.js';
import { pidsPoints } from './pids.js';

/**
 * Every stats-based point of one container at one gather (cpu, mem, net, blkio, pids), all
 * stamped with the sample's own `read` time. [] for a stopped container's empty sample.
 * Status and health come from inspect data: see statusPoint and healthPoint.
 */
export function deriveContainerPoints(input: ContainerSampleInput): Point[] {
  const context = sampleContext(input);
  if (context === undefined) return [];
  const points = cpuPoints(context);
  for (const family of [memoryPoints, networkPoints, blkioPoints, pidsPoints]) {
    for (const point of family(context)) points.push(point);
  }
  return points;
}

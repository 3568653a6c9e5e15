import type { Point } from './point.js';

/** Where sources put points. Sources never import a sink; the daemon wires one in. */
export interface Accumulator {
  add(point: Point): void;
}

/** An accumulator that keeps points in memory (used by --once and by tests). */
export class ArrayAccumulator implements Accumulator {
  readonly points: Point[] = [];
  add(point: Point): void {
    this.points.push(point);
  }
}

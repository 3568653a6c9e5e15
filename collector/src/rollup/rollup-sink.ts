import type { PointSink } from '../model/point-sink.js';
import type { Point } from '../model/point.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import { RollupAggregator } from './aggregator.js';
import type { RollupResolution } from './resolutions.js';

/** Where one resolution's rollup points go. */
export interface RollupTarget {
  resolution: RollupResolution;
  sink: PointSink;
}

/**
 * A PointSink that passes every point to the raw sink unchanged and also rolls it up, one
 * aggregator per resolution. flush() writes the windows that are complete, then flushes all
 * sinks; close() writes the open (partial) windows, then closes all sinks; once only.
 */
export class RollupSink implements PointSink {
  private readonly rollups: { name: string; aggregator: RollupAggregator; sink: PointSink }[];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly raw: PointSink,
    targets: readonly RollupTarget[],
    private readonly metrics: SelfMetrics,
  ) {
    this.rollups = targets.map(({ resolution, sink }) => ({
      name: resolution.name,
      aggregator: new RollupAggregator(resolution.windowMs),
      sink,
    }));
  }

  add(point: Point): void {
    this.raw.add(point);
    if (this.closing) return;
    for (const { name, aggregator } of this.rollups) {
      if (!aggregator.add(point)) this.metrics.rollupLatePoints.inc({ resolution: name });
    }
  }

  async flush(): Promise<void> {
    if (!this.closing) {
      for (const rollup of this.rollups) this.write(rollup, rollup.aggregator.closeComplete());
    }
    await Promise.all([this.raw.flush(), ...this.rollups.map(({ sink }) => sink.flush())]);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const rollup of this.rollups) this.write(rollup, rollup.aggregator.drain());
      await Promise.all([this.raw.close(), ...this.rollups.map(({ sink }) => sink.close())]);
    })();
    return this.closing;
  }

  private write(rollup: { name: string; sink: PointSink }, points: readonly Point[]): void {
    for (const point of points) rollup.sink.add(point);
    if (points.length > 0) this.metrics.rollupPoints.inc({ resolution: rollup.name }, points.length);
  }
}

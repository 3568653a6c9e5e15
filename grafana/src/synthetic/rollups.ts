// Rollup points from synthetic raw points, by the collector's own aggregator (the one its
// rollup stage runs), so the dashboards are proved and benchmarked at every resolution on
// rollups made exactly as the collector makes them. Streams: a synthetic month does not fit
// in memory at once.
import { type Point, RollupAggregator, toLineProtocol } from '@dockwatch/collector';
import type { Resolution } from '../queries/resolution.js';

const NS_PER_MS = 1_000_000n;

/**
 * The rollup points of `points` (in time order, give or take one collector interval: a dying
 * container's status point comes a few seconds ahead of the other points of its gather) at
 * `resolution`. Complete windows are closed once a point `settleSeconds` past a window's end
 * arrives, as the collector closes them at its flush after each gather; a point for a closed
 * window is late and left out, as the collector leaves it to raw only. Open windows are
 * emitted at the end (partial windows, as on the collector's shutdown).
 */
export function* rollupPoints(
  points: Iterable<Point>,
  resolution: Resolution,
  settleSeconds = 10,
): Generator<Point> {
  const windowMs = resolution.windowSeconds * 1000;
  const windowNs = BigInt(windowMs) * NS_PER_MS;
  const settleNs = BigInt(settleSeconds) * 1_000_000_000n;
  const aggregator = new RollupAggregator(windowMs);
  let closeAt: bigint | undefined;
  for (const point of points) {
    if (closeAt !== undefined && point.time >= closeAt) {
      yield* aggregator.closeComplete();
      closeAt = undefined;
    }
    aggregator.add(point);
    closeAt ??= (point.time / windowNs + 1n) * windowNs + settleNs;
  }
  yield* aggregator.drain();
}

/** The rollup points of `points` at `resolution`, as line protocol (ns precision). */
export function* rollupLines(points: Iterable<Point>, resolution: Resolution): Generator<string> {
  for (const p of rollupPoints(points, resolution)) yield toLineProtocol(p);
}

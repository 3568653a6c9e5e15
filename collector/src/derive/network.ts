import type { FieldValue, Point } from '../model/point.js';
import { makePoint, type SampleContext } from './context.js';
import { withTag } from './tags.js';
import type { EngineNetworkStats } from './engine-stats.js';
import { toInt64 } from './integer.js';
import { MEASUREMENT, TAG, TOTAL } from '../schema/names.js';

export const NETWORK_MEASUREMENT = MEASUREMENT.network;

export const NETWORK_COUNTERS = [
  'rx_bytes',
  'rx_packets',
  'rx_errors',
  'rx_dropped',
  'tx_bytes',
  'tx_packets',
  'tx_errors',
  'tx_dropped',
] as const satisfies readonly (keyof EngineNetworkStats)[];

/**
 * False for containers that share the host's network stack: their stats have no `networks`
 * key, and zeros would be a lie. The status point's `network_mode` field marks them.
 */
export function hasOwnNetwork(context: SampleContext): boolean {
  const networks = context.current.networks;
  return (
    context.inspect.HostConfig.NetworkMode !== 'host' &&
    networks !== undefined &&
    networks !== null &&
    Object.keys(networks).length > 0
  );
}

/** `docker_container_net`: `network=total` summed over interfaces, plus one point per interface when per-device. */
export function networkPoints(context: SampleContext): Point[] {
  const networks = context.current.networks;
  if (!hasOwnNetwork(context) || networks === undefined || networks === null) return [];
  const totals = NETWORK_COUNTERS.map(() => 0n);
  const points: Point[] = [];
  const names = Object.keys(networks);
  if (names.length > 1) names.sort();
  for (const name of names) {
    const stats = networks[name];
    if (stats === undefined) continue;
    const fields: Record<string, FieldValue> = { container_id: context.containerId };
    NETWORK_COUNTERS.forEach((counter, index) => {
      const value = toInt64(stats[counter]);
      if (value === undefined) return;
      fields[counter] = value;
      totals[index] = (totals[index] ?? 0n) + value;
    });
    if (context.perDevice) {
      points.push(
        makePoint(
          NETWORK_MEASUREMENT,
          withTag(context.tags, TAG.network, name, context.memo),
          fields,
          context.time,
        ),
      );
    }
  }
  const totalFields: Record<string, FieldValue> = { container_id: context.containerId };
  NETWORK_COUNTERS.forEach((counter, index) => {
    totalFields[counter] = totals[index] ?? 0n;
  });
  points.unshift(
    makePoint(
      NETWORK_MEASUREMENT,
      withTag(context.tags, TAG.network, TOTAL.network, context.memo),
      totalFields,
      context.time,
    ),
  );
  return points;
}

// A small, realistic fleet for the dashboard proofs: limits, a healthcheck, restarts, an OOM
// kill that restarts a container and one inside a container that keeps running, an unhealthy
// container, a large writable layer, a kvstore with histogram buckets and the collector's
// metrics; and two hosts, one with its data root 90 % used, the other filling.
import {
  DEFAULT_WRITABLE_LAYER_ALERT_BYTES,
  diskAt,
  quietHost,
  type SyntheticContainer,
  type SyntheticHost,
} from '@dockwatch/grafana';
import type { ContainerExpectations } from './grafana-harness.js';

const GiB = 1024 ** 3;

/** Seconds the filling host's data root has left at `nowS`. */
export const FILLING_DISK_SECONDS_LEFT = 12 * 3600;

export function syntheticHosts(nowS: number): SyntheticHost[] {
  const almostFull: SyntheticHost = {
    ...quietHost('node-a', nowS),
    // 95 GiB usable (5 % reserved): 85.5 GiB used is 90 %.
    diskUsedBytes: 85.5 * GiB,
    volumes: [{ name: 'pgdata', sizeBytes: 3 * GiB }],
  };
  const filling: SyntheticHost = {
    ...quietHost('node-b', nowS),
    diskUsedBytes: 50 * GiB,
    volumes: [{ name: 'kvdata', sizeBytes: 1 * GiB }],
  };
  filling.diskGrowthBytesPerSecond = diskAt(filling, nowS).free / FILLING_DISK_SECONDS_LEFT;
  return [almostFull, filling];
}

/** The same engines with nothing to alert on: data roots 40 % used and steady. */
export function quietHosts(nowS: number): SyntheticHost[] {
  return [quietHost('node-a', nowS), quietHost('node-b', nowS)];
}

/** The fleet without its incidents: no OOM kill, no restart, small writable layers, all healthy. */
export function quietFleet(nowS: number): SyntheticContainer[] {
  return syntheticFleet(nowS).map((c) => ({
    name: c.name,
    host: c.host,
    image: c.image,
    cpuPercent: Math.min(c.cpuPercent, 50),
    memoryBytes: c.memoryBytes,
    ...(c.kvstore ? { kvstore: true } : {}),
    ...(c.health ? { health: 'healthy' as const } : {}),
  }));
}

export function syntheticFleet(nowS: number): SyntheticContainer[] {
  const MiB = 1024 ** 2;
  return [
    {
      name: 'web-1',
      host: 'node-a',
      image: 'nginx:1.22',
      cpuLimitCores: 0.5,
      memoryLimitBytes: 256 * MiB,
      pidsLimit: 100,
      cpuPercent: 30,
      memoryBytes: 120 * MiB,
    },
    {
      name: 'db-1',
      host: 'node-a',
      image: 'postgres:16',
      memoryLimitBytes: 1024 * MiB,
      health: 'healthy',
      cpuPercent: 15,
      memoryBytes: 400 * MiB,
    },
    {
      name: 'worker-1',
      host: 'node-b',
      image: 'busybox:1',
      restartsAt: [nowS - 900, nowS - 180],
      // Killed inside at -600 (its oom_kills counter 1), the counter back to 0 at the restart at
      // -180, then killed outright at -120: a reset the OOM queries must not count as negative.
      oomKillsInsideAt: [nowS - 600],
      oomKilledAt: nowS - 120,
      cpuPercent: 95,
      memoryBytes: 60 * MiB,
    },
    {
      name: 'kvstore-1',
      host: 'node-b',
      image: 'dockwatch/kvstore:0.1.0',
      health: 'healthy',
      kvstore: true,
      cpuPercent: 12,
      memoryBytes: 90 * MiB,
    },
    {
      name: 'sick-1',
      host: 'node-b',
      image: 'busybox:1',
      health: 'unhealthy',
      cpuPercent: 1,
      memoryBytes: 5 * MiB,
    },
    {
      name: 'batch-1',
      host: 'node-b',
      image: 'busybox:1',
      memoryLimitBytes: 64 * MiB,
      // One of its processes is OOM-killed; the container keeps running.
      oomKillsInsideAt: [nowS - 200],
      cpuPercent: 20,
      memoryBytes: 60 * MiB,
    },
    {
      name: 'scribe-1',
      host: 'node-a',
      image: 'busybox:1',
      // Writes its logs into its writable layer: 1.2 GiB, above the alert's default of 1 GiB.
      writableLayerBytes: Math.round(1.2 * DEFAULT_WRITABLE_LAYER_ALERT_BYTES),
      cpuPercent: 3,
      memoryBytes: 10 * MiB,
    },
    // Dots in a name must be regex-escaped by the variable expansion.
    { name: 'api.v2_edge-1', host: 'node-a', image: 'busybox:1', cpuPercent: 5, memoryBytes: 20 * MiB },
  ];
}

export function fleetExpectations(
  fleet: SyntheticContainer[],
  hosts: SyntheticHost[],
): ContainerExpectations {
  const names = (keep: (c: SyntheticContainer) => boolean) => fleet.filter(keep).map((c) => c.name);
  return {
    all: names(() => true),
    cpuLimited: names((c) => c.cpuLimitCores !== undefined),
    pidsLimited: names((c) => c.pidsLimit !== undefined),
    healthchecked: names((c) => c.health !== undefined),
    restarted: names((c) => (c.restartsAt ?? []).length > 0),
    oomKilled: names((c) => c.oomKilledAt !== undefined),
    oomKillCounted: names((c) => (c.oomKillsInsideAt ?? []).length > 0),
    unhealthy: names((c) => c.health === 'unhealthy'),
    kvstore: names((c) => c.kvstore === true),
    diskUsage: names(() => true),
    largeWritableLayer: names((c) => (c.writableLayerBytes ?? 0) > DEFAULT_WRITABLE_LAYER_ALERT_BYTES),
    hosts: {
      all: hosts.map((h) => h.name),
      diskFilling: hosts.filter((h) => h.diskGrowthBytesPerSecond > 0).map((h) => h.name),
      diskAlmostFull: hosts
        .filter((h) => {
          const { used, free } = diskAt(h, h.usedAt);
          return used / (used + free) > 0.85;
        })
        .map((h) => h.name),
      withVolumes: hosts.filter((h) => h.volumes.length > 0).map((h) => h.name),
    },
  };
}

// A small, realistic fleet for the dashboard proofs: limits, a healthcheck, restarts, an OOM
// kill, an unhealthy container, a kvstore with histogram buckets and the collector's metrics.
import type { SyntheticContainer } from '@dockwatch/grafana';
import type { ContainerExpectations } from './grafana-harness.js';

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
    // Dots in a name must be regex-escaped by the variable expansion.
    { name: 'api.v2_edge-1', host: 'node-a', image: 'busybox:1', cpuPercent: 5, memoryBytes: 20 * MiB },
  ];
}

export function fleetExpectations(fleet: SyntheticContainer[]): ContainerExpectations {
  const names = (keep: (c: SyntheticContainer) => boolean) => fleet.filter(keep).map((c) => c.name);
  return {
    all: names(() => true),
    cpuLimited: names((c) => c.cpuLimitCores !== undefined),
    pidsLimited: names((c) => c.pidsLimit !== undefined),
    healthchecked: names((c) => c.health !== undefined),
    restarted: names((c) => (c.restartsAt ?? []).length > 0),
    oomKilled: names((c) => c.oomKilledAt !== undefined),
    unhealthy: names((c) => c.health === 'unhealthy'),
    kvstore: names((c) => c.kvstore === true),
  };
}

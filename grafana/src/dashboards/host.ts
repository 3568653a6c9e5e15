// 5. Host overview: the host's CPU, memory and load next to the containers that use them, the
// data-root filesystem and how soon it fills, what Docker keeps on it, and the engine's counts.
import type { QuerySpec } from '../model/proof.js';
import { assembleDashboard, type DashboardBuild } from '../build/dashboard.js';
import { GREEN_AMBER_RED, row, stat, timeseries, topTable } from '../build/panels.js';
import * as containers from '../queries/containers.js';
import * as engine from '../queries/engine.js';
import * as host from '../queries/host.js';
import { ENGINE_SCOPE, HOST_TAG_SCOPE } from '../queries/scopes.js';
import { engineHostsQuery } from '../queries/variables.js';
import {
  DASHBOARD_TAG,
  DASHBOARD_UIDS,
  DATA_ROOT_USED_ALERT_PERCENT,
  DISK_FULL_WITHIN_SECONDS,
  DISK_USAGE_PANEL_INTERVAL,
} from '../settings.js';

const e = ENGINE_SCOPE;
const h = HOST_TAG_SCOPE;

/** A per-container query under this dashboard's $host, which lists engine hosts. */
function onEngineHosts(spec: QuerySpec): QuerySpec {
  return spec.proof.kind === 'containers' ? { ...spec, proof: { ...spec.proof, onlyWithHosts: true } } : spec;
}

/** Days-to-full estimates are drawn from trends over at least this long. */
const TREND_INTERVAL = '10m';

export function hostDashboard(): DashboardBuild {
  return assembleDashboard({
    uid: DASHBOARD_UIDS.host,
    title: 'Host',
    description:
      "The Docker host: CPU, memory and load with the containers using most, the data-root filesystem and when it fills at its current rate, Docker's images, writable layers and volumes, and the engine's counts.",
    tags: [DASHBOARD_TAG, 'docker', 'host'],
    variables: [{ name: 'host', label: 'Host', spec: engineHostsQuery(), multi: true, allValue: '.*' }],
    items: [
      row('CPU, memory and load'),
      timeseries({
        title: 'Host CPU',
        description:
          'All CPUs together (cpu-total), in percent of the host: busy = 100 - idle, and its user, system, iowait and steal parts.',
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: GREEN_AMBER_RED(70, 90),
        targets: [host.hostCpu(h)],
      }),
      topTable({
        title: 'Top containers by CPU',
        description:
          'The 10 containers of the selected hosts with the highest mean docker stats CPU % over the range (100 % is one core).',
        unit: 'percent',
        rankBy: 'mean',
        limit: 10,
        targets: [onEngineHosts(containers.cpuPercent(e))],
      }),
      timeseries({
        title: 'Host memory',
        description:
          'Used (total - free - buffers - cache, as free(1)), available to new processes without swapping, page cache, and the total.',
        unit: 'bytes',
        min: 0,
        targets: [host.hostMemory(h)],
      }),
      topTable({
        title: 'Top containers by memory',
        description:
          'The 10 containers of the selected hosts with the highest mean docker stats MEM USAGE over the range.',
        unit: 'bytes',
        rankBy: 'mean',
        limit: 10,
        targets: [onEngineHosts(containers.memoryUsed(e))],
      }),
      timeseries({
        title: 'Load',
        description:
          'Load averages over 1, 5 and 15 minutes, with the number of CPUs: a load that stays above it means runnable work waits.',
        unit: 'short',
        min: 0,
        targets: [host.hostLoad(h)],
      }),
      timeseries({
        title: 'Containers by state',
        description: "The engine's containers running, paused and stopped (GET /info).",
        unit: 'short',
        min: 0,
        targets: [engine.containersByState(e)],
      }),
      row('Data-root filesystem'),
      timeseries({
        title: 'Data-root used',
        description: `Share of the filesystem holding the engine's DockerRootDir that is used (used / (used + free), as df). The alert fires above ${DATA_ROOT_USED_ALERT_PERCENT} %.`,
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: GREEN_AMBER_RED(70, DATA_ROOT_USED_ALERT_PERCENT),
        targets: [host.dataRootUsedPercent(h)],
      }),
      timeseries({
        title: 'Time until the data-root is full',
        description: `Free space divided by the growth of used space, the growth taken between consecutive intervals of at least ${TREND_INTERVAL}; drawn only while the disk grows. The newest point is from an interval still under way and runs long. The alert fires when the growth over the last hour would fill the disk within ${DISK_FULL_WITHIN_SECONDS / 3600} h.`,
        unit: 's',
        min: 0,
        interval: TREND_INTERVAL,
        thresholds: [
          { color: 'red', value: null },
          { color: 'orange', value: DISK_FULL_WITHIN_SECONDS },
          { color: 'green', value: 7 * DISK_FULL_WITHIN_SECONDS },
        ],
        targets: [host.dataRootTimeToFull(h)],
      }),
      timeseries({
        title: 'Data-root space',
        description: 'Bytes used, and free to unprivileged users (reserved blocks excluded, as df).',
        unit: 'bytes',
        min: 0,
        targets: [host.dataRootSpace(h)],
      }),
      timeseries({
        title: 'Docker disk usage',
        description:
          "Image layers, reclaimable images, volumes and containers' writable layers (GET /system/df, every DISK_USAGE_INTERVAL, 5 minutes by default).",
        unit: 'bytes',
        min: 0,
        interval: DISK_USAGE_PANEL_INTERVAL,
        targets: [engine.dockerDiskUsage(e)],
      }),
      row('Docker disk usage'),
      stat({
        title: 'Images on disk',
        description: 'All image layers on disk (GET /system/df, every DISK_USAGE_INTERVAL).',
        unit: 'bytes',
        targets: [engine.imagesSize(e)],
        reduce: 'lastNotNull',
      }),
      stat({
        title: 'Reclaimable',
        description: 'What removing the images no container uses would free (docker system df RECLAIMABLE).',
        unit: 'bytes',
        targets: [engine.imagesReclaimable(e)],
        reduce: 'lastNotNull',
      }),
      topTable({
        title: 'Writable layers by size',
        description:
          "The 20 largest containers' writable layers (docker ps -s SIZE), latest value. The alert fires above its threshold (1 GiB by default).",
        unit: 'bytes',
        rankBy: 'lastNotNull',
        limit: 20,
        targets: [onEngineHosts(containers.writableLayerSize(e))],
      }),
      topTable({
        title: 'Volumes by size',
        description: 'The 20 largest volumes, latest value (the engine measures local volumes only).',
        unit: 'bytes',
        rankBy: 'lastNotNull',
        limit: 20,
        targets: [engine.volumeSizes(e)],
      }),
      row('Engine'),
      timeseries({
        title: 'Image count',
        description: 'Images the engine holds.',
        unit: 'short',
        min: 0,
        targets: [engine.imageCount(e)],
      }),
      timeseries({
        title: 'Engine resources',
        description: "The engine's open file descriptors, goroutines and event listeners (GET /info).",
        unit: 'short',
        min: 0,
        targets: [engine.engineResources(e)],
      }),
    ],
  });
}

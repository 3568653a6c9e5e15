// 2. Container detail: every series of one container, each drawn with its limit.
import { assembleDashboard, type DashboardBuild } from '../build/dashboard.js';
import { GREEN_AMBER_RED, HEALTH_MAPPINGS, row, stateTimeline, timeseries } from '../build/panels.js';
import * as q from '../queries/containers.js';
import { CONTAINER_SCOPE } from '../queries/scopes.js';
import { containersQuery, hostsQuery } from '../queries/variables.js';
import { DASHBOARD_TAG, DASHBOARD_UIDS, DISK_USAGE_PANEL_INTERVAL } from '../settings.js';

const s = CONTAINER_SCOPE;

export function containerDetailDashboard(): DashboardBuild {
  return assembleDashboard({
    uid: DASHBOARD_UIDS.containerDetail,
    title: 'Container detail',
    description: 'One container: every series the collector writes for it, with its limits.',
    tags: [DASHBOARD_TAG, 'docker'],
    variables: [
      { name: 'host', label: 'Host', spec: hostsQuery(), multi: false },
      { name: 'container', label: 'Container', spec: containersQuery(), multi: false },
    ],
    items: [
      row('CPU'),
      timeseries({
        title: 'CPU',
        description:
          'docker stats CPU % (100 % is one core), and the share of the CPU limit when one is set.',
        unit: 'percent',
        min: 0,
        thresholds: GREEN_AMBER_RED(70, 90),
        targets: [
          { ...q.cpuPercent(s), alias: 'CPU (of one core)' },
          { ...q.cpuPercentOfLimit(s), alias: 'CPU of limit' },
        ],
      }),
      timeseries({
        title: 'CPU throttling',
        description: 'CFS periods per second in which the container was throttled by its CPU limit.',
        unit: 'short',
        min: 0,
        targets: [{ ...q.cpuThrottledPeriodsRate(s), alias: 'throttled periods/s' }],
      }),
      row('Memory'),
      timeseries({
        title: 'Memory used and limit',
        description: 'Memory used, and the limit (host memory when the container has none).',
        unit: 'bytes',
        min: 0,
        targets: [
          { ...q.memoryUsed(s), alias: 'used' },
          { ...q.memoryLimit(s), alias: 'limit' },
        ],
      }),
      timeseries({
        title: 'Memory of limit',
        description: 'Memory used as a share of the limit.',
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: GREEN_AMBER_RED(70, 90),
        targets: [{ ...q.memoryPercentOfLimit(s), alias: 'of limit' }],
      }),
      row('Network and block IO'),
      timeseries({
        title: 'Network',
        description: 'Bytes per second received and sent.',
        unit: 'Bps',
        min: 0,
        targets: [
          { ...q.networkReceiveRate(s), alias: 'received' },
          { ...q.networkTransmitRate(s), alias: 'sent' },
        ],
      }),
      timeseries({
        title: 'Block IO',
        description: 'Bytes per second read and written.',
        unit: 'Bps',
        min: 0,
        targets: [
          { ...q.blockReadRate(s), alias: 'read' },
          { ...q.blockWriteRate(s), alias: 'written' },
        ],
      }),
      row('Disk'),
      timeseries({
        title: 'Writable layer and root filesystem',
        description:
          "The writable layer (docker ps -s SIZE) and the root filesystem (writable layer plus image), from the engine's disk usage, read every DISK_USAGE_INTERVAL (5 minutes by default).",
        unit: 'bytes',
        min: 0,
        interval: DISK_USAGE_PANEL_INTERVAL,
        targets: [
          { ...q.writableLayerSize(s), alias: 'writable layer' },
          { ...q.rootFsSize(s), alias: 'root filesystem' },
        ],
      }),
      row('Processes and lifecycle'),
      timeseries({
        title: 'PIDs and limit',
        description: 'Processes and threads, and the PIDs limit when one is set.',
        unit: 'short',
        min: 0,
        targets: [
          { ...q.pidsCurrent(s), alias: 'PIDs' },
          { ...q.pidsLimit(s), alias: 'limit' },
        ],
      }),
      timeseries({
        title: 'Uptime',
        description: 'Time since the container last started.',
        unit: 'ns',
        min: 0,
        targets: [{ ...q.uptime(s), alias: 'uptime' }],
      }),
      timeseries({
        title: 'Restarts and OOM kills',
        description:
          'Restarts, and OOM kills per interval: (running) is an increase of the oom_kills counter, a process killed inside the container; (exited) is the container dying with OOMKilled set.',
        unit: 'short',
        min: 0,
        bars: true,
        targets: [
          { ...q.restarts(s), alias: 'restarts' },
          { ...q.oomKills(s), alias: 'OOM kills ($tag_container_status)' },
        ],
      }),
      timeseries({
        title: 'Healthcheck failing streak',
        description: 'Consecutive failed healthchecks.',
        unit: 'short',
        min: 0,
        thresholds: GREEN_AMBER_RED(1, 3),
        targets: [{ ...q.healthFailingStreak(s), alias: 'failing streak' }],
      }),
      stateTimeline({
        title: 'Health',
        description: 'Docker healthcheck status over time.',
        targets: [{ ...q.healthStatus(s), alias: 'health' }],
        mappings: HEALTH_MAPPINGS,
      }),
    ],
  });
}

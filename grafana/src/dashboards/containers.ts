// 1. Containers: every container of the selected hosts, side by side.
import { assembleDashboard, type DashboardBuild } from '../build/dashboard.js';
import { GREEN_AMBER_RED, HEALTH_MAPPINGS, row, stat, stateTimeline, timeseries } from '../build/panels.js';
import * as q from '../queries/containers.js';
import { CONTAINER_SCOPE, HOST_SCOPE } from '../queries/scopes.js';
import { containersQuery, hostsQuery } from '../queries/variables.js';
import { DASHBOARD_TAG, DASHBOARD_UIDS } from '../settings.js';

const s = CONTAINER_SCOPE;

export function containersDashboard(): DashboardBuild {
  return assembleDashboard({
    uid: DASHBOARD_UIDS.containers,
    title: 'Containers',
    description:
      'Every container on the selected hosts: CPU, memory, network, block IO, PIDs, restarts, OOM kills and health.',
    tags: [DASHBOARD_TAG, 'docker'],
    variables: [
      { name: 'host', label: 'Host', spec: hostsQuery(), multi: true, allValue: '.*' },
      { name: 'container', label: 'Container', spec: containersQuery(), multi: true, allValue: '.*' },
    ],
    items: [
      row('Overview'),
      stat({
        title: 'Running',
        description:
          'Containers running on the selected hosts (every container, whatever $container selects).',
        unit: 'short',
        targets: [q.runningContainers(HOST_SCOPE)],
        reduce: 'lastNotNull',
      }),
      stat({
        title: 'Restarts',
        description: 'Restarts of the selected containers over the time range.',
        unit: 'short',
        targets: [q.restartsTotal(s)],
        reduce: 'sum',
        thresholds: GREEN_AMBER_RED(1, 5),
      }),
      stat({
        title: 'OOM kills',
        description:
          'Over the time range: increases of the oom_kills counter (processes killed by the kernel for want of memory, the container possibly still running) and deaths with OOMKilled set. On the API path one kill of the main process can show in both.',
        unit: 'short',
        targets: [q.oomKillCounterTotal(s), q.oomKilledDeathsTotal(s)],
        reduce: 'sum',
        thresholds: GREEN_AMBER_RED(1, 1),
        noValue: '0',
      }),
      stat({
        title: 'Unhealthy reports',
        description: 'Healthcheck reports with status unhealthy over the time range.',
        unit: 'short',
        targets: [q.unhealthyReportsTotal(s)],
        reduce: 'sum',
        thresholds: GREEN_AMBER_RED(1, 1),
        noValue: '0',
      }),
      row('CPU'),
      timeseries({
        title: 'CPU',
        description: 'docker stats CPU %: 100 % is one core.',
        unit: 'percent',
        min: 0,
        targets: [q.cpuPercent(s)],
      }),
      timeseries({
        title: 'CPU of limit',
        description: "CPU as a share of the container's CPU limit (containers with a limit only).",
        unit: 'percent',
        min: 0,
        thresholds: GREEN_AMBER_RED(70, 90),
        targets: [q.cpuPercentOfLimit(s)],
      }),
      row('Memory'),
      timeseries({
        title: 'Memory used',
        description: 'docker stats MEM USAGE: usage minus inactive file cache.',
        unit: 'bytes',
        min: 0,
        targets: [q.memoryUsed(s)],
      }),
      timeseries({
        title: 'Memory of limit',
        description: 'Memory used as a share of the limit (of host memory when the container has none).',
        unit: 'percent',
        min: 0,
        max: 100,
        thresholds: GREEN_AMBER_RED(70, 90),
        targets: [q.memoryPercentOfLimit(s)],
      }),
      row('Network and block IO'),
      timeseries({
        title: 'Network received',
        description: 'Bytes per second received on all interfaces.',
        unit: 'Bps',
        min: 0,
        targets: [q.networkReceiveRate(s)],
      }),
      timeseries({
        title: 'Network sent',
        description: 'Bytes per second sent on all interfaces.',
        unit: 'Bps',
        min: 0,
        targets: [q.networkTransmitRate(s)],
      }),
      timeseries({
        title: 'Block read',
        description: 'Bytes per second read from block devices.',
        unit: 'Bps',
        min: 0,
        targets: [q.blockReadRate(s)],
      }),
      timeseries({
        title: 'Block written',
        description: 'Bytes per second written to block devices.',
        unit: 'Bps',
        min: 0,
        targets: [q.blockWriteRate(s)],
      }),
      row('Processes and lifecycle'),
      timeseries({
        title: 'PIDs',
        description: 'Processes and threads in the container.',
        unit: 'short',
        min: 0,
        targets: [q.pidsCurrent(s)],
      }),
      timeseries({
        title: 'Restarts',
        description: "Restarts per interval (increase of Docker's restart count).",
        unit: 'short',
        min: 0,
        bars: true,
        thresholds: GREEN_AMBER_RED(1, 3),
        targets: [q.restarts(s)],
      }),
      timeseries({
        title: 'OOM kills',
        description:
          'OOM kills per interval, by container and status: (running) and the like are increases of the oom_kills counter, a process killed inside the container; (exited) is the container dying with OOMKilled set. Intervals without a kill are not drawn.',
        unit: 'short',
        min: 0,
        bars: true,
        targets: [q.oomKills(s)],
      }),
      timeseries({
        title: 'Healthcheck failing streak',
        description: 'Consecutive failed healthchecks (containers with a healthcheck only).',
        unit: 'short',
        min: 0,
        thresholds: GREEN_AMBER_RED(1, 3),
        targets: [q.healthFailingStreak(s)],
      }),
      stateTimeline({
        title: 'Health',
        description: 'Docker healthcheck status over time (containers with a healthcheck only).',
        targets: [q.healthStatus(s)],
        mappings: HEALTH_MAPPINGS,
      }),
    ],
  });
}

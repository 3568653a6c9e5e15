// 4. Collector: the collector's view of its own work.
import { assembleDashboard, type DashboardBuild } from '../build/dashboard.js';
import { GREEN_AMBER_RED, timeseries } from '../build/panels.js';
import * as q from '../queries/collector.js';
import { COLLECTOR_SCOPE } from '../queries/scopes.js';
import { collectorHostsQuery } from '../queries/variables.js';
import { DASHBOARD_TAG, DASHBOARD_UIDS } from '../settings.js';

const s = COLLECTOR_SCOPE;

export function collectorDashboard(): DashboardBuild {
  return assembleDashboard({
    uid: DASHBOARD_UIDS.collector,
    title: 'Collector',
    description:
      'The dockwatch collector: how long a gather takes, what it writes, fails and drops, and how many containers it follows.',
    tags: [DASHBOARD_TAG, 'collector'],
    variables: [{ name: 'host', label: 'Host', spec: collectorHostsQuery(), multi: true, allValue: '.*' }],
    items: [
      timeseries({
        title: 'Gather duration',
        description: 'Mean duration of one gather, by source (docker stats, prometheus scrapes).',
        unit: 's',
        min: 0,
        thresholds: GREEN_AMBER_RED(2, 5),
        targets: [q.gatherDuration(s)],
      }),
      timeseries({
        title: 'Points written, failed and dropped',
        description:
          'Points per second written to InfluxDB, failed after retries, and dropped from a full buffer.',
        unit: 'short',
        min: 0,
        targets: [q.pointsRates(s)],
      }),
      timeseries({
        title: 'Containers tracked',
        description: 'Containers the collector follows.',
        unit: 'short',
        min: 0,
        targets: [q.containersTracked(s)],
      }),
      timeseries({
        title: 'Stats errors',
        description: 'Failed docker stats reads per second.',
        unit: 'short',
        min: 0,
        targets: [q.statsErrorRate(s)],
      }),
    ],
  });
}

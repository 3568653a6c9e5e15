// 3. KV service: its own metrics, scraped by the collector into `prometheus`.
import { assembleDashboard, type DashboardBuild } from '../build/dashboard.js';
import { GREEN_AMBER_RED, row, timeseries } from '../build/panels.js';
import * as q from '../queries/kvstore.js';
import { KV_SCOPE } from '../queries/scopes.js';
import { scrapedContainersQuery } from '../queries/variables.js';
import { DASHBOARD_TAG, DASHBOARD_UIDS } from '../settings.js';

const s = KV_SCOPE;

export function kvstoreDashboard(): DashboardBuild {
  return assembleDashboard({
    uid: DASHBOARD_UIDS.kvstore,
    title: 'KV service',
    description:
      'The kvstore from its own Prometheus metrics: traffic, errors, latency, operations, keys and the Node.js process.',
    tags: [DASHBOARD_TAG, 'kvstore'],
    variables: [{ name: 'instance', label: 'Instance', spec: scrapedContainersQuery(), multi: true }],
    items: [
      row('Traffic'),
      timeseries({
        title: 'Request rate by route',
        description: 'HTTP requests per second, by route.',
        unit: 'reqps',
        min: 0,
        targets: [q.requestRateByRoute(s)],
      }),
      timeseries({
        title: 'Request rate by status',
        description: 'HTTP requests per second, by status code.',
        unit: 'reqps',
        min: 0,
        targets: [q.requestRateByStatus(s)],
      }),
      timeseries({
        title: 'Error rate',
        description: 'Share of requests answered with a 5xx status. The alert fires above 5 %.',
        unit: 'percentunit',
        min: 0,
        thresholds: GREEN_AMBER_RED(0.01, 0.05),
        targets: [q.errorRatio(s)],
      }),
      timeseries({
        title: 'Requests slower than 250 ms',
        description:
          'Share of requests above the 0.25 s histogram bucket: 1 - rate(bucket le=0.25) / rate(count). Above 1 % means p99 > 250 ms, above 5 % means p95 > 250 ms.',
        unit: 'percentunit',
        min: 0,
        thresholds: GREEN_AMBER_RED(0.01, 0.05),
        targets: [q.slowerThanRatio(s, '0.25')],
      }),
      row('Latency'),
      timeseries({
        title: 'Latency p50 / p95 / p99 (share of requests within each bucket)',
        description:
          'For each histogram bound le, the share of requests that finished within le (rate of the le bucket / rate of all requests). The p50, p95 and p99 are the smallest bounds whose line is above the 50 %, 95 % and 99 % threshold lines: quantiles at the resolution of the buckets, with no interpolation.',
        unit: 'percentunit',
        min: 0,
        max: 1,
        width: 24,
        thresholds: [
          { color: 'red', value: null },
          { color: 'orange', value: 0.5 },
          { color: 'yellow', value: 0.95 },
          { color: 'green', value: 0.99 },
        ],
        targets: [q.requestRateWithinBucket(s), q.requestRate(s), { math: '$A / $B' }],
        hidden: ['A', 'B'],
      }),
      timeseries({
        title: 'Mean latency',
        description: 'Mean request duration by route: increase of the histogram sum / increase of its count.',
        unit: 's',
        min: 0,
        targets: [q.meanLatency(s)],
      }),
      timeseries({
        title: 'Requests per second within each bucket',
        description:
          'Cumulative bucket rates: the line for le is the requests per second that took at most le seconds.',
        unit: 'reqps',
        min: 0,
        targets: [q.requestRateWithinBucket(s)],
      }),
      row('Store'),
      timeseries({
        title: 'Operations by type and result',
        description: 'Store operations per second, by operation and result.',
        unit: 'ops',
        min: 0,
        targets: [q.operationsByTypeAndResult(s)],
      }),
      timeseries({
        title: 'Keys',
        description: 'Keys held by the store.',
        unit: 'short',
        min: 0,
        targets: [q.keys(s)],
      }),
      timeseries({
        title: 'Expirations',
        description: 'Keys expired per second, by how they were found (lazily on read, or by the sweeper).',
        unit: 'ops',
        min: 0,
        targets: [q.expirationRate(s)],
      }),
      timeseries({
        title: 'Store size',
        description: 'Bytes held by keys and values.',
        unit: 'bytes',
        min: 0,
        targets: [q.storeSize(s)],
      }),
      row('Process'),
      timeseries({
        title: 'Event-loop lag',
        description: 'Node.js event-loop lag: mean, and the p99 reported by the process.',
        unit: 's',
        min: 0,
        thresholds: GREEN_AMBER_RED(0.05, 0.2),
        targets: [q.eventLoopLag(s)],
      }),
      timeseries({
        title: 'Process CPU',
        description: 'CPU used by the process: 100 % is one core.',
        unit: 'percent',
        min: 0,
        targets: [q.processCpuPercent(s)],
      }),
      timeseries({
        title: 'Process memory',
        description: 'Resident set size and V8 heap used.',
        unit: 'bytes',
        min: 0,
        targets: [q.processMemory(s)],
      }),
    ],
  });
}

// Alert rules for Grafana alerting. Each rule is one InfluxQL query (refId A), reduced over
// its time window (B) and compared with a threshold (C). Alert queries see no dashboard
// variables, so every rule covers every container and is labelled by container.
import type { QuerySpec } from '../model/proof.js';
import * as collector from '../queries/collector.js';
import * as containers from '../queries/containers.js';
import * as kv from '../queries/kvstore.js';
import * as host from '../queries/host.js';
import * as swarm from '../queries/swarm.js';
import { ALL_CONTAINERS, ALL_HOSTS } from '../queries/scopes.js';
import {
  ALERT_RULE_UIDS,
  DATA_ROOT_USED_ALERT_PERCENT,
  DEFAULT_WRITABLE_LAYER_ALERT_BYTES,
  DISK_FULL_WITHIN_SECONDS,
} from '../settings.js';

/** Rule groups, in the order they are provisioned. */
export const ALERT_GROUPS = ['containers', 'host', 'swarm', 'kvstore', 'collector'] as const;
export type AlertGroup = (typeof ALERT_GROUPS)[number];

export interface AlertRuleOptions {
  /** Threshold of the writable-layer rule, in bytes (default DEFAULT_WRITABLE_LAYER_ALERT_BYTES). */
  writableLayerBytes?: number;
}

export interface AlertRuleSpec {
  uid: string;
  title: string;
  group: AlertGroup;
  summary: string;
  query: QuerySpec;
  /** The query's window, in seconds before now. */
  windowSeconds: number;
  reducer: 'mean' | 'sum' | 'last';
  /**
   * A second query (refId D) over its own window, reduced alike (E) and subtracted from the
   * first by a math expression (F = $B - $E), which the threshold then reads. For conditions
   * InfluxQL cannot join across measurements; the second query returns one unlabelled number,
   * which Grafana's math pairs with every series of the first.
   */
  minus?: { query: QuerySpec; windowSeconds: number };
  threshold: { type: 'gt' | 'lt'; value: number };
  for: string;
  noDataState: 'OK' | 'NoData' | 'Alerting';
  severity: 'warning' | 'critical';
}

/** The silent-collector rule: engines must have written within this window. */
const ENGINE_REPORT_WINDOW_SECONDS = 180;

const COLLECTOR_EVERYWHERE = `"job" = 'collector'`;

/** The disk-fill rule extrapolates the growth of the last hour. */
const DISK_TREND_WINDOW_SECONDS = 3600;

function gibibytes(bytes: number): string {
  return `${Number((bytes / 1024 ** 3).toFixed(2))} GiB`;
}

export function alertRules(options: AlertRuleOptions = {}): AlertRuleSpec[] {
  const writableLayerBytes = options.writableLayerBytes ?? DEFAULT_WRITABLE_LAYER_ALERT_BYTES;
  return [
    {
      uid: ALERT_RULE_UIDS.cpuOfLimit,
      title: 'Container CPU above 90 % of its limit',
      group: 'containers',
      summary:
        'Container {{ $labels.container_name }} on {{ $labels.engine_host }} used {{ $values.B }} % of its CPU limit for 5 minutes.',
      query: containers.cpuPercentOfLimit(ALL_CONTAINERS),
      windowSeconds: 120,
      reducer: 'mean',
      threshold: { type: 'gt', value: 90 },
      for: '5m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.cpuOfCore,
      title: 'Container without CPU limit above 90 % of one core',
      group: 'containers',
      summary:
        'Container {{ $labels.container_name }} on {{ $labels.engine_host }} has no CPU limit and used {{ $values.B }} % of one core for 5 minutes.',
      query: containers.cpuPercentOfCoreUnlimited(ALL_CONTAINERS),
      windowSeconds: 120,
      reducer: 'mean',
      threshold: { type: 'gt', value: 90 },
      for: '5m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.memoryOfLimit,
      title: 'Container memory above 90 % of its limit',
      group: 'containers',
      summary:
        'Container {{ $labels.container_name }} on {{ $labels.engine_host }} used {{ $values.B }} % of its memory limit for 5 minutes.',
      query: containers.memoryPercentOfLimit(ALL_CONTAINERS),
      windowSeconds: 120,
      reducer: 'mean',
      threshold: { type: 'gt', value: 90 },
      for: '5m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.restarted,
      title: 'Container restarted',
      group: 'containers',
      summary:
        'Container {{ $labels.container_name }} on {{ $labels.engine_host }} restarted {{ $values.B }} times in the last 5 minutes.',
      query: containers.restarts(ALL_CONTAINERS),
      windowSeconds: 300,
      reducer: 'sum',
      threshold: { type: 'gt', value: 0 },
      for: '0s',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.oomKilled,
      title: 'Container OOM-killed',
      group: 'containers',
      summary:
        'The kernel killed a process of container {{ $labels.container_name }} on {{ $labels.engine_host }} for running out of memory (status {{ $labels.container_status }}; running is an increase of its oom_kills counter, exited a death with OOMKilled set).',
      query: containers.oomKills(ALL_CONTAINERS),
      windowSeconds: 300,
      reducer: 'sum',
      threshold: { type: 'gt', value: 0 },
      for: '0s',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.writableLayerLarge,
      title: `Container writable layer above ${gibibytes(writableLayerBytes)}`,
      group: 'containers',
      summary: `The writable layer of container {{ $labels.container_name }} on {{ $labels.engine_host }} holds {{ humanize1024 $values.B.Value }}B, more than ${gibibytes(writableLayerBytes)}: it writes to its image's filesystem what belongs in a volume or a tmpfs.`,
      query: containers.writableLayerSize(ALL_CONTAINERS),
      // docker_disk_usage is written every DISK_USAGE_INTERVAL (5 minutes by default).
      windowSeconds: 900,
      reducer: 'last',
      threshold: { type: 'gt', value: writableLayerBytes },
      for: '0s',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.unhealthy,
      title: 'Container unhealthy',
      group: 'containers',
      summary:
        'Container {{ $labels.container_name }} on {{ $labels.engine_host }} reports an unhealthy healthcheck.',
      query: containers.unhealthyReports(ALL_CONTAINERS),
      windowSeconds: 60,
      reducer: 'sum',
      threshold: { type: 'gt', value: 0 },
      for: '0s',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.dataRootAlmostFull,
      title: `Data-root filesystem above ${DATA_ROOT_USED_ALERT_PERCENT} % used`,
      group: 'host',
      summary: `The filesystem holding Docker's data root ({{ $labels.path }}) on {{ $labels.host }} is {{ $values.B }} % used, above ${DATA_ROOT_USED_ALERT_PERCENT} %.`,
      query: host.dataRootUsedPercent(ALL_HOSTS),
      windowSeconds: 300,
      reducer: 'last',
      threshold: { type: 'gt', value: DATA_ROOT_USED_ALERT_PERCENT },
      for: '5m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.diskFillsWithin24h,
      title: `Data-root filesystem full within ${DISK_FULL_WITHIN_SECONDS / 3600} h at its current rate`,
      group: 'host',
      summary: `At the rate it grew over the last hour, the filesystem holding Docker's data root ({{ $labels.path }}) on {{ $labels.host }} is full in {{ humanizeDuration $values.B.Value }}.`,
      query: host.dataRootTimeToFullOverWindow(ALL_HOSTS, DISK_TREND_WINDOW_SECONDS),
      windowSeconds: DISK_TREND_WINDOW_SECONDS,
      reducer: 'last',
      threshold: { type: 'lt', value: DISK_FULL_WITHIN_SECONDS },
      for: '15m',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.swarmServiceBelowDesired,
      title: 'Swarm service below its desired tasks',
      group: 'swarm',
      summary:
        'Swarm service {{ $labels.service_name }} runs {{ $values.B }} task(s) fewer than it wants, for 2 minutes (a constraint no node meets, a crash loop, or a node lost).',
      query: swarm.serviceTasksMissing(swarm.LONG_RUNNING_SERVICES),
      windowSeconds: 120,
      reducer: 'last',
      threshold: { type: 'gt', value: 0 },
      for: '2m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.swarmNodeDown,
      title: 'Swarm node down',
      group: 'swarm',
      summary:
        'Swarm node {{ $labels.node_hostname }} ({{ $labels.node_id }}) is not ready (the managers see it down, disconnected or unknown).',
      query: swarm.nodeReady(),
      windowSeconds: 120,
      reducer: 'last',
      threshold: { type: 'lt', value: 1 },
      for: '1m',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.swarmQuorumAtRisk,
      title: 'Swarm quorum at risk',
      group: 'swarm',
      summary:
        'In swarm {{ $labels.cluster_id }} the reachable managers are {{ $values.B }} above half of all managers, so losing one more would lose the Raft quorum (or it is lost), and with it every change to services.',
      query: swarm.quorumMargin(),
      windowSeconds: 120,
      reducer: 'last',
      // Half-integers: 1 (or less) means one more lost manager leaves no majority.
      threshold: { type: 'lt', value: 1.5 },
      for: '1m',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.swarmNoLeader,
      title: 'Swarm manager without a leader',
      group: 'swarm',
      summary:
        'Swarm manager {{ $labels.engine_host }} has reached no Raft leader for a minute, so the swarm lost its quorum (or this manager is cut off) and no service or node can change.',
      query: swarm.managerReachesLeader(),
      windowSeconds: 120,
      reducer: 'last',
      threshold: { type: 'lt', value: 1 },
      for: '1m',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.swarmNodeCollectorSilent,
      title: 'Ready swarm node without collector data',
      group: 'swarm',
      summary:
        "The swarm counts {{ $values.B }} ready node(s), but only {{ $values.E }} engine(s) wrote in the last 3 minutes: a ready node is not observed (its collector is down or cannot reach InfluxDB). The Swarm dashboard's tasks per node shows which.",
      query: swarm.readyNodeCount(),
      windowSeconds: 120,
      reducer: 'last',
      minus: { query: swarm.reportingEngineCount(), windowSeconds: ENGINE_REPORT_WINDOW_SECONDS },
      threshold: { type: 'gt', value: 0 },
      for: '2m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.kvErrorRate,
      title: 'KV error rate above 5 %',
      group: 'kvstore',
      summary:
        'KV instance {{ $labels.container_name }} answered {{ $values.B }} of its requests with a 5xx status (share, 0-1).',
      query: kv.errorRatio(ALL_CONTAINERS),
      windowSeconds: 300,
      reducer: 'mean',
      threshold: { type: 'gt', value: 0.05 },
      for: '2m',
      noDataState: 'OK',
      severity: 'critical',
    },
    {
      uid: ALERT_RULE_UIDS.kvLatencyP99,
      title: 'KV p99 latency above 250 ms',
      group: 'kvstore',
      summary:
        'More than 1 % of requests to {{ $labels.container_name }} took over 250 ms, so its p99 is above 250 ms.',
      query: kv.slowerThanRatio(ALL_CONTAINERS, '0.25'),
      windowSeconds: 300,
      reducer: 'mean',
      threshold: { type: 'gt', value: 0.01 },
      for: '5m',
      noDataState: 'OK',
      severity: 'warning',
    },
    {
      uid: ALERT_RULE_UIDS.collectorSilent,
      title: 'No data from the collector for 2 minutes',
      group: 'collector',
      summary: 'No collector wrote its own metrics to InfluxDB in the last 2 minutes.',
      query: collector.collectorSamples(COLLECTOR_EVERYWHERE),
      windowSeconds: 120,
      reducer: 'last',
      threshold: { type: 'lt', value: 1 },
      for: '0s',
      noDataState: 'Alerting',
      severity: 'critical',
    },
  ];
}

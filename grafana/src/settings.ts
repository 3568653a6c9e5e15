// Every identifier another file or a running Grafana relies on, pinned in one place:
// renaming one here renames it everywhere, and a test proves the committed JSON agrees.

/** The provisioned InfluxDB datasource; dashboards and alert rules refer to it by uid. */
export const DATASOURCE = {
  uid: 'dockwatch-influxdb',
  type: 'influxdb',
  name: 'dockwatch InfluxDB',
} as const;

/** Server-side expressions in alert rules (reduce, threshold, math). */
export const EXPRESSION_DATASOURCE_UID = '__expr__';

/** Dashboard uids: stable links and the file names of the generated JSON. */
export const DASHBOARD_UIDS = {
  containers: 'dockwatch-containers',
  containerDetail: 'dockwatch-container-detail',
  kvstore: 'dockwatch-kvstore',
  collector: 'dockwatch-collector',
  host: 'dockwatch-host',
  swarm: 'dockwatch-swarm',
} as const;

export type DashboardKey = keyof typeof DASHBOARD_UIDS;

/** Every dockwatch dashboard carries this tag; their links list the dashboards that have it. */
export const DASHBOARD_TAG = 'dockwatch';

/** Alert rule uids (Grafana limits them to 40 characters). */
export const ALERT_RULE_UIDS = {
  cpuOfLimit: 'dockwatch-cpu-of-limit',
  cpuOfCore: 'dockwatch-cpu-of-core',
  memoryOfLimit: 'dockwatch-memory-of-limit',
  restarted: 'dockwatch-container-restarted',
  oomKilled: 'dockwatch-container-oom-killed',
  unhealthy: 'dockwatch-container-unhealthy',
  kvErrorRate: 'dockwatch-kv-error-rate',
  kvLatencyP99: 'dockwatch-kv-latency-p99',
  collectorSilent: 'dockwatch-collector-no-data',
  dataRootAlmostFull: 'dockwatch-data-root-above-85',
  diskFillsWithin24h: 'dockwatch-disk-fills-within-24h',
  writableLayerLarge: 'dockwatch-writable-layer-large',
  swarmServiceBelowDesired: 'dockwatch-swarm-service-below-desired',
  swarmNodeDown: 'dockwatch-swarm-node-down',
  swarmQuorumAtRisk: 'dockwatch-swarm-quorum-at-risk',
  swarmNodeCollectorSilent: 'dockwatch-swarm-node-collector-silent',
  swarmNoLeader: 'dockwatch-swarm-no-leader',
} as const;

export const CONTACT_POINT = { name: 'dockwatch-webhook', uid: 'dockwatch-webhook' } as const;

/** Folder that holds the alert rules in Grafana. */
export const ALERT_FOLDER = 'dockwatch';

/**
 * The collector's default interval. The datasource's timeInterval must equal the collector's
 * interval so that $__interval never goes below one sample; provisioning takes it from
 * ${COLLECT_INTERVAL}, and this is the value the compose file defaults it to.
 */
export const DEFAULT_COLLECT_INTERVAL = '10s';

/** Grafana's dashboard grid is 24 columns wide; the harness renders it this many pixels wide. */
export const GRID_COLUMNS = 24;
export const DASHBOARD_WIDTH_PX = 1800;

/** Dashboard JSON schema version written into every dashboard (Grafana 11 and later read it). */
export const SCHEMA_VERSION = 39;

/** A `${NAME}` reference that Grafana expands from its environment when it reads provisioning. */
export function grafanaEnv(name: string): string {
  return `\${${name}}`;
}

/** The webhook that receives every dockwatch alert. */
export const ALERT_WEBHOOK_ENV = 'ALERT_WEBHOOK_URL';

/**
 * The writable-layer alert fires when a container's writable layer (docker ps -s SIZE) is
 * larger than this. Grafana reads alert query models and thresholds raw (no `${ENV}`
 * expansion there), so the threshold is set when the files are generated:
 * `WRITABLE_LAYER_ALERT_BYTES=<bytes> npm run dashboards` (see README.md). The committed file,
 * and every proof, use this default.
 */
export const DEFAULT_WRITABLE_LAYER_ALERT_BYTES = 1024 ** 3;
export const WRITABLE_LAYER_ALERT_ENV = 'WRITABLE_LAYER_ALERT_BYTES';

/** The data-root filesystem alert fires above this share used (percent). */
export const DATA_ROOT_USED_ALERT_PERCENT = 85;

/** The disk-fill alert fires when the data-root filesystem would be full within this many seconds. */
export const DISK_FULL_WITHIN_SECONDS = 24 * 3600;

/**
 * Minimum interval of panels over docker_disk_usage: the collector reads GET /system/df every
 * DISK_USAGE_INTERVAL, 5 minutes by default, so finer buckets would mostly be empty.
 */
export const DISK_USAGE_PANEL_INTERVAL = '5m';

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
} as const;

export type DashboardKey = keyof typeof DASHBOARD_UIDS;

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

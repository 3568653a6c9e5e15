import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { parseDurationMs } from './duration.js';
import { parseRollups, type RollupResolution, ROLLUPS_DEFAULT } from '../rollup/resolutions.js';
import { ROLLUP_BUCKET_FORMAT_DEFAULT } from '../rollup/targets.js';

const duration = (min: number, max: number) =>
  z.string().transform((text, ctx) => {
    const ms = parseDurationMs(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 10s, 500ms or 1m` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `${text} is outside ${min} ms .. ${max} ms` });
      return z.NEVER;
    }
    return ms;
  });

/** A duration, or `0` for "off" (undefined). */
const offOrDuration = (min: number, max: number) =>
  z.string().transform((text, ctx): number | undefined => {
    if (text.trim() === '0') return undefined;
    const ms = parseDurationMs(text);
    if (ms === undefined || ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not 0 or a duration in ${min} ms .. ${max} ms` });
      return z.NEVER;
    }
    return ms;
  });

const list = z.string().transform((text) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

/** ROLLUPS: `off`, or `<window>:<retention>,...`. */
const rollups = z.string().transform((text, ctx): RollupResolution[] => {
  if (text.trim() === 'off') return [];
  try {
    return parseRollups(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every environment variable the collector reads: name -> [schema with default, one-line doc].
 * The README's configuration table is checked against this list.
 */
export const ENVIRONMENT = {
  DOCKER_HOST: [
    z.string().default('unix:///var/run/docker.sock'),
    'Engine address: unix:///path or tcp://host:port.',
  ],
  COLLECT_INTERVAL: [duration(1_000, 3_600_000).prefault('10s'), 'Gather interval (1s .. 1h).'],
  SELF_METRICS_INTERVAL: [
    duration(1_000, 3_600_000).prefault('10s'),
    'How often the collector writes its own metrics (job=collector); at most once per gather.',
  ],
  STATS_TIMEOUT: [duration(100, 60_000).prefault('5s'), 'Timeout of one stats call to the engine.'],
  STATS_CONCURRENCY: [
    int(1, 1024).default(128),
    'Stats calls in flight at once (one-shot calls wait for the engine cycle, so this bounds fds, not speed).',
  ],
  STATS_SOURCE: [
    z.enum(['auto', 'api', 'cgroupfs']).default('auto'),
    'Per-container stats: auto (cgroupfs when the host trees are readable), api, or cgroupfs.',
  ],
  HOST_PROC: [
    z.string().startsWith('/').default('/proc'),
    "The host's /proc as mounted here (fast path: stat, meminfo, <pid>/cgroup, <pid>/net/dev).",
  ],
  HOST_CGROUP: [
    z.string().startsWith('/').default('/sys/fs/cgroup'),
    "The host's cgroup tree (v1 or v2) as mounted here (fast path).",
  ],
  HOST_MOUNT_PREFIX: [
    z
      .string()
      .regex(/^(\/.*)?$/, 'an absolute path, or empty')
      .default(''),
    "Where the host's / is mounted here; the data root's filesystem is statfs'd at this prefix + DockerRootDir.",
  ],
  HOST_INPUTS: [
    bool.prefault('true'),
    "Write the host's cpu, mem, system and disk (data root) measurements, read from HOST_PROC and statfs.",
  ],
  DISK_USAGE_INTERVAL: [
    offOrDuration(60_000, 86_400_000).prefault('5m'),
    'How often docker_disk_usage is read from /system/df (the engine walks every layer); 0 turns it off.',
  ],
  STATS_SELF_CHECK_INTERVAL: [
    offOrDuration(10_000, 86_400_000).prefault('5m'),
    'How often the fast path is compared with the API on a few containers; 0 turns it off.',
  ],
  CONTAINER_NAME_INCLUDE: [list.prefault(''), 'Comma-separated name globs to include; empty means all.'],
  CONTAINER_NAME_EXCLUDE: [list.prefault(''), 'Comma-separated name globs to exclude.'],
  CONTAINER_LABEL_INCLUDE: [
    list.prefault(''),
    'Comma-separated `key` or `key=glob` label selectors to include; empty means all.',
  ],
  CONTAINER_LABEL_EXCLUDE: [
    list.prefault(''),
    'Comma-separated `key` or `key=glob` label selectors to exclude.',
  ],
  DOCKER_LABEL_TAGS: [
    list.prefault(''),
    'Container label keys to write as tags, besides compose and swarm labels (cardinality opt-in).',
  ],
  PER_DEVICE: [
    bool.prefault('true'),
    'Also write per-CPU, per-interface and per-device points besides the totals.',
  ],
  PROMETHEUS_SCRAPE: [bool.prefault('true'), 'Scrape containers labelled prometheus.io/scrape=true.'],
  SCRAPE_TIMEOUT: [duration(100, 60_000).prefault('5s'), 'Timeout of one Prometheus scrape.'],
  SWARM_INPUT: [
    bool.prefault('true'),
    "Write docker_swarm, docker_swarm_node and docker_swarm_cluster when this engine is the swarm's leader, and docker_swarm_manager on every manager.",
  ],
  INFLUX_API: [
    z.enum(['v2', 'v1']).default('v2'),
    'Write API: v2 (InfluxDB 2.x, 3.x, and 1.8+ compat) or v1 (/write of InfluxDB <= 1.7).',
  ],
  INFLUX_URL: [
    z.url().optional(),
    'InfluxDB base URL, e.g. http://influxdb:8086. Required except with --once.',
  ],
  INFLUX_TOKEN: [z.string().optional(), 'v2 API token (or INFLUX_TOKEN_FILE).'],
  INFLUX_ORG: [z.string().optional(), 'v2 organisation.'],
  INFLUX_BUCKET: [z.string().optional(), 'v2 bucket (for 1.8+ compat: database/retention-policy).'],
  INFLUX_DB: [z.string().optional(), 'v1 database.'],
  INFLUX_RP: [z.string().optional(), 'v1 retention policy; empty means the default one.'],
  INFLUX_USERNAME: [z.string().optional(), 'v1 user, when auth is enabled.'],
  INFLUX_CREATE_DATABASE: [
    bool.prefault('true'),
    'v1: create INFLUX_DB at start if missing (as Telegraf does).',
  ],
  INFLUX_PASSWORD: [z.string().optional(), 'v1 password (or INFLUX_PASSWORD_FILE).'],
  INFLUX_TIMEOUT: [duration(100, 300_000).prefault('10s'), 'Timeout of one write request.'],
  INFLUX_BATCH_SIZE: [int(1, 100_000).default(5_000), 'Lines per write request.'],
  INFLUX_MAX_BUFFER_LINES: [
    int(1_000, 10_000_000).default(200_000),
    'Lines kept for retry while InfluxDB is unreachable; the oldest are dropped beyond.',
  ],
  INFLUX_MAX_RETRY_TIME: [
    duration(1_000, 86_400_000).prefault('15m'),
    'How long a batch is retried before it is dropped.',
  ],
  INFLUX_MAX_RETRY_DELAY: [
    duration(100, 600_000).prefault('10s'),
    'Longest wait between two retries of a batch.',
  ],
  INFLUX_CONTENT_ENCODING: [
    z.enum(['identity', 'gzip']).default('identity'),
    'Write bodies as sent (identity) or gzipped: gzip for a slow link, identity for a near InfluxDB.',
  ],
  INFLUX_GZIP_THRESHOLD: [
    int(0, 100_000_000).default(1_000),
    'With gzip: bodies of at least this many bytes are gzipped.',
  ],
  ROLLUPS: [
    rollups.prefault(ROLLUPS_DEFAULT),
    'Rollups written besides raw points, as window:retention pairs (rp rollup_<window>); off turns them off.',
  ],
  INFLUX_ROLLUP_BUCKET: [
    z
      .string()
      .regex(/\{rp\}/, 'must contain {rp}, or every resolution would share one bucket')
      .default(ROLLUP_BUCKET_FORMAT_DEFAULT),
    'v2: bucket of each rollup: {bucket} is INFLUX_BUCKET, {rp} rollup_<window>; {bucket}/{rp} for InfluxDB 3 Core.',
  ],
  HTTP_HOST: [z.string().default('0.0.0.0'), 'Address of the /metrics and /healthz server.'],
  HTTP_PORT: [int(0, 65_535).default(9273), 'Port of the /metrics and /healthz server (0 picks a free one).'],
  SHUTDOWN_TIMEOUT: [
    duration(100, 120_000).prefault('10s'),
    'Longest time shutdown may take, flushing included.',
  ],
  LOG_LEVEL: [
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    'pino log level.',
  ],
} as const;

type Environment = typeof ENVIRONMENT;
type Parsed<K extends keyof Environment> = z.output<Environment[K][0]>;

export type InfluxTarget =
  | { api: 'v2'; url: string; token: string; org: string; bucket: string }
  | {
      api: 'v1';
      url: string;
      db: string;
      rp: string | undefined;
      username: string | undefined;
      password: string | undefined;
      createDatabase: boolean;
    };

/** How the sink batches and retries (INFLUX_TIMEOUT, INFLUX_BATCH_SIZE, ...). */
export interface WriteSettings {
  timeoutMs: number;
  batchSize: number;
  maxBufferLines: number;
  maxRetryTimeMs: number;
  maxRetryDelayMs: number;
  /** Bodies of at least this many bytes are gzipped; undefined when INFLUX_CONTENT_ENCODING is identity. */
  gzipThreshold: number | undefined;
}

export interface CollectorConfig {
  dockerHost: string;
  intervalMs: number;
  selfMetricsIntervalMs: number;
  statsTimeoutMs: number;
  statsConcurrency: number;
  statsSource: Parsed<'STATS_SOURCE'>;
  /** The host's trees as mounted here; `mountPrefix` is '' when / is the host's own. */
  host: { proc: string; cgroup: string; mountPrefix: string };
  hostInputs: boolean;
  /** Undefined: docker_disk_usage is off. */
  diskUsageIntervalMs: number | undefined;
  /** Undefined: the self-check is off. */
  selfCheckIntervalMs: number | undefined;
  filter: { nameInclude: string[]; nameExclude: string[]; labelInclude: string[]; labelExclude: string[] };
  labelTags: string[];
  perDevice: boolean;
  prometheusScrape: boolean;
  scrapeTimeoutMs: number;
  swarmInput: boolean;
  /** Undefined only when the caller does not need a sink (--once). */
  influx: InfluxTarget | undefined;
  write: WriteSettings;
  /** The rollup resolutions (none: off), and the v2 bucket name format of each. */
  rollups: { resolutions: RollupResolution[]; bucketFormat: string };
  http: { host: string; port: number };
  shutdownTimeoutMs: number;
  logLevel: Parsed<'LOG_LEVEL'>;
}

/** Reads `NAME`, or the contents of the file named by `NAME_FILE` (Docker/compose secrets). */
function secret(
  env: NodeJS.ProcessEnv,
  name: string,
  problems: ConfigError['problems'][number][],
): string | undefined {
  const file = env[`${name}_FILE`];
  if (file && env[name]) {
    problems.push({ variable: name, message: `set either ${name} or ${name}_FILE, not both` });
    return undefined;
  }
  if (!file) return env[name] || undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    problems.push({ variable: `${name}_FILE`, message: `cannot read ${file}: ${(error as Error).message}` });
    return undefined;
  }
}

/**
 * Parses the environment once, at start. Throws a ConfigError that names every bad variable.
 * `requireSink: false` (the --once mode) makes the InfluxDB settings optional.
 */
export function loadConfig(env: NodeJS.ProcessEnv, { requireSink = true } = {}): CollectorConfig {
  const problems: { variable: string; message: string }[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, [schema]] of Object.entries(ENVIRONMENT)) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = (schema as z.ZodType).safeParse(raw);
    if (result.success) values[name] = result.data;
    else problems.push({ variable: name, message: result.error.issues.map((i) => i.message).join('; ') });
  }
  const get = <K extends keyof Environment>(name: K) => values[name] as Parsed<K>;

  const token = secret(env, 'INFLUX_TOKEN', problems);
  const password = secret(env, 'INFLUX_PASSWORD', problems);
  let influx: InfluxTarget | undefined;
  const url = get('INFLUX_URL');
  if (url === undefined) {
    if (requireSink)
      problems.push({ variable: 'INFLUX_URL', message: 'required (the InfluxDB to write to)' });
  } else if (get('INFLUX_API') === 'v2') {
    const org = get('INFLUX_ORG');
    const bucket = get('INFLUX_BUCKET');
    if (!token) problems.push({ variable: 'INFLUX_TOKEN', message: 'required with INFLUX_API=v2' });
    if (!org) problems.push({ variable: 'INFLUX_ORG', message: 'required with INFLUX_API=v2' });
    if (!bucket) problems.push({ variable: 'INFLUX_BUCKET', message: 'required with INFLUX_API=v2' });
    if (token && org && bucket) influx = { api: 'v2', url, token, org, bucket };
  } else {
    const db = get('INFLUX_DB');
    if (!db) problems.push({ variable: 'INFLUX_DB', message: 'required with INFLUX_API=v1' });
    const username = get('INFLUX_USERNAME');
    if (Boolean(username) !== Boolean(password)) {
      problems.push({
        variable: 'INFLUX_PASSWORD',
        message: 'INFLUX_USERNAME and INFLUX_PASSWORD go together',
      });
    }
    if (db) {
      influx = {
        api: 'v1',
        url,
        db,
        rp: get('INFLUX_RP'),
        username,
        password,
        createDatabase: get('INFLUX_CREATE_DATABASE'),
      };
    }
  }
  const dockerHost = get('DOCKER_HOST');
  if (typeof dockerHost === 'string' && !/^(unix|tcp|http|https):\/\//.test(dockerHost)) {
    problems.push({
      variable: 'DOCKER_HOST',
      message: `"${dockerHost}" is not unix:///path or tcp://host:port`,
    });
  }
  for (const name of ['CONTAINER_LABEL_INCLUDE', 'CONTAINER_LABEL_EXCLUDE'] as const) {
    for (const selector of get(name) ?? []) {
      if (selector.startsWith('='))
        problems.push({ variable: name, message: `"${selector}" has no label key` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    dockerHost,
    intervalMs: get('COLLECT_INTERVAL'),
    selfMetricsIntervalMs: get('SELF_METRICS_INTERVAL'),
    statsTimeoutMs: get('STATS_TIMEOUT'),
    statsConcurrency: get('STATS_CONCURRENCY'),
    statsSource: get('STATS_SOURCE'),
    host: {
      proc: get('HOST_PROC').replace(/\/+$/, '') || '/',
      cgroup: get('HOST_CGROUP').replace(/\/+$/, '') || '/',
      mountPrefix: get('HOST_MOUNT_PREFIX').replace(/\/+$/, ''),
    },
    hostInputs: get('HOST_INPUTS'),
    diskUsageIntervalMs: get('DISK_USAGE_INTERVAL'),
    selfCheckIntervalMs: get('STATS_SELF_CHECK_INTERVAL'),
    filter: {
      nameInclude: get('CONTAINER_NAME_INCLUDE'),
      nameExclude: get('CONTAINER_NAME_EXCLUDE'),
      labelInclude: get('CONTAINER_LABEL_INCLUDE'),
      labelExclude: get('CONTAINER_LABEL_EXCLUDE'),
    },
    labelTags: get('DOCKER_LABEL_TAGS'),
    perDevice: get('PER_DEVICE'),
    prometheusScrape: get('PROMETHEUS_SCRAPE'),
    scrapeTimeoutMs: get('SCRAPE_TIMEOUT'),
    swarmInput: get('SWARM_INPUT'),
    influx,
    write: {
      timeoutMs: get('INFLUX_TIMEOUT'),
      batchSize: get('INFLUX_BATCH_SIZE'),
      maxBufferLines: get('INFLUX_MAX_BUFFER_LINES'),
      maxRetryTimeMs: get('INFLUX_MAX_RETRY_TIME'),
      maxRetryDelayMs: get('INFLUX_MAX_RETRY_DELAY'),
      gzipThreshold: get('INFLUX_CONTENT_ENCODING') === 'gzip' ? get('INFLUX_GZIP_THRESHOLD') : undefined,
    },
    rollups: { resolutions: get('ROLLUPS'), bucketFormat: get('INFLUX_ROLLUP_BUCKET') },
    http: { host: get('HTTP_HOST'), port: get('HTTP_PORT') },
    shutdownTimeoutMs: get('SHUTDOWN_TIMEOUT'),
    logLevel: get('LOG_LEVEL'),
  };
}

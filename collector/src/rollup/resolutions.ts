import { parseDurationMs } from '../config/duration.js';

/**
 * One rollup resolution: its name (as in ROLLUPS, e.g. `1m`), its window, the InfluxQL
 * retention policy that addresses it (`rollup_<name>`) and a retention for that policy.
 */
export interface RollupResolution {
  name: string;
  windowMs: number;
  /** InfluxQL: `"rollup_1m"."docker_container_cpu"` in the raw database. */
  retentionPolicy: string;
  /** An InfluxQL duration literal (`90d`): the RP's DURATION on 1.x. */
  retention: string;
}

/** The resolutions written by default, with their default retention (the contract's table). */
export const ROLLUP_RESOLUTIONS = [
  { name: '1m', windowMs: 60_000, retentionPolicy: 'rollup_1m', defaultRetention: '90d' },
  { name: '1h', windowMs: 3_600_000, retentionPolicy: 'rollup_1h', defaultRetention: '730d' },
] as const;

/** How long raw points are meant to be kept (the database's default RP; set by the bundle, not here). */
export const RAW_RETENTION_DEFAULT = '7d';

/** ROLLUPS' default: `<resolution>:<retention>` per rollup. */
export const ROLLUPS_DEFAULT = ROLLUP_RESOLUTIONS.map((r) => `${r.name}:${r.defaultRetention}`).join(',');

/** The retention policy (and bucket / database suffix) of a resolution: `rollup_<name>`. */
export function rollupRetentionPolicy(name: string): string {
  return `rollup_${name}`;
}

const INFLUX_DURATION_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** An InfluxQL retention literal such as `90d`, `2w`, `12h`: its milliseconds, else undefined. */
export function parseRetentionMs(text: string): number | undefined {
  const match = /^(\d+)(m|h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (INFLUX_DURATION_MS[match[2] ?? ''] ?? Number.NaN);
}

/** InfluxDB refuses a retention policy shorter than an hour. */
const MIN_RETENTION_MS = 3_600_000;
/** A window of a day at most: longer windows are not what rollups are for, and stay aligned to UTC days. */
const MAX_WINDOW_MS = 86_400_000;

/**
 * Parses ROLLUPS: `1m:90d,1h:730d` (window, retention). An empty text means no rollups.
 * Windows are whole seconds, 1 s .. 1 d, and must divide a day, so that windows of every
 * resolution line up with each other and with InfluxQL's GROUP BY time(). Throws an Error
 * whose message says what is wrong.
 */
export function parseRollups(text: string): RollupResolution[] {
  const resolutions: RollupResolution[] = [];
  for (const item of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const [name = '', retention = '', ...rest] = item.split(':').map((part) => part.trim());
    if (rest.length > 0 || name === '' || retention === '') {
      throw new Error(`"${item}" is not <window>:<retention>, e.g. 1m:90d`);
    }
    const windowMs = /^\d+(s|m|h)$/.test(name) ? parseDurationMs(name) : undefined;
    if (
      windowMs === undefined ||
      windowMs < 1_000 ||
      windowMs > MAX_WINDOW_MS ||
      MAX_WINDOW_MS % windowMs !== 0
    ) {
      throw new Error(`"${name}" is not a window like 10s, 1m or 1h that divides a day`);
    }
    const retentionMs = parseRetentionMs(retention);
    if (retentionMs === undefined || retentionMs < MIN_RETENTION_MS) {
      throw new Error(`"${retention}" is not a retention like 90d, 2w or 12h (1h at least)`);
    }
    if (resolutions.some((r) => r.windowMs === windowMs)) throw new Error(`window ${name} is listed twice`);
    resolutions.push({ name, windowMs, retentionPolicy: rollupRetentionPolicy(name), retention });
  }
  return resolutions.sort((a, b) => a.windowMs - b.windowMs);
}

// The resolutions the collector writes (issue #18, rollups contract): raw points in the
// database's default retention policy, and rollups per aligned window in their own retention
// policies. These values mirror the collector's exported rollup constants (names, windows,
// retention policy names, default retentions); the dashboards read them from here only, so
// switching to the collector's export is a change of this file alone.
import { measurementSpec, type FieldKind } from '@dockwatch/collector';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

export type ResolutionName = 'raw' | '1m' | '1h';

export interface Resolution {
  name: ResolutionName;
  /** Window of one point in seconds; raw points come every collector interval (10 s by default). */
  windowSeconds: number;
  /** InfluxQL retention policy; undefined for raw (the database's default policy, unnamed in queries). */
  retentionPolicy?: string;
  /** Default retention, as an InfluxQL duration literal. */
  retention: string;
  retentionMs: number;
}

function resolution(
  name: ResolutionName,
  windowSeconds: number,
  retentionDays: number,
  retentionPolicy?: string,
): Resolution {
  return {
    name,
    windowSeconds,
    ...(retentionPolicy ? { retentionPolicy } : {}),
    retention: `${retentionDays}d`,
    retentionMs: retentionDays * DAY_MS,
  };
}

export const RAW = resolution('raw', 10, 7);
export const ROLLUP_1M = resolution('1m', 60, 90, 'rollup_1m');
export const ROLLUP_1H = resolution('1h', 3600, 730, 'rollup_1h');

/** Finest first: a panel's targets come in this order (refIds A, B, C for its first query). */
export const RESOLUTIONS: readonly Resolution[] = [RAW, ROLLUP_1M, ROLLUP_1H];

/**
 * Longest range each resolution serves (R1, R2): up to 24 h raw, up to 8 days 1-minute
 * points, beyond that hourly points. At panel widths of 900-1800 px, 24 h of raw is 50-100 s
 * buckets and 8 days of 1-minute points 5-10 min buckets: never more points than pixels.
 */
export const RANGE_LIMIT_MS = { raw: DAY_MS, '1m': 8 * DAY_MS } as const;

/** Suffixes and the count field of a rollup point (contract: gauge `f` mean, `f_min`, `f_max`; `samples`). */
export const ROLLUP_FIELD = { minSuffix: '_min', maxSuffix: '_max', samples: 'samples' } as const;

// Grafana's builtins for the panel's range: epoch ms, and the start as ISO 8601 (UTC, ms).
const RANGE_MS = '${__to} - ${__from}';
const FROM_ISO = "'${__from:date:iso}'";

/** The range starts after `retention` ago: the resolution still holds its beginning. */
function holdsFrom(resolution: Resolution): string {
  return `now() - ${resolution.retention} <= ${FROM_ISO}`;
}

function startsBefore(resolution: Resolution): string {
  return `now() - ${resolution.retention} > ${FROM_ISO}`;
}

/**
 * The WHERE condition that InfluxQL folds to a constant from the range: exactly one of the
 * three is true for any range, so exactly one of a panel's three targets returns series.
 */
export function resolutionGuard(resolution: Resolution): string {
  switch (resolution.name) {
    case 'raw':
      return `${RANGE_MS} <= ${RANGE_LIMIT_MS.raw} AND ${holdsFrom(RAW)}`;
    case '1m':
      return `(${RANGE_MS} > ${RANGE_LIMIT_MS.raw} OR ${startsBefore(RAW)}) AND ${RANGE_MS} <= ${RANGE_LIMIT_MS['1m']} AND ${holdsFrom(ROLLUP_1M)}`;
    case '1h':
      return `(${RANGE_MS} > ${RANGE_LIMIT_MS['1m']} OR ${startsBefore(ROLLUP_1M)})`;
  }
}

/** The resolution the guards choose for a range (what the proofs expect). */
export function resolutionFor(fromMs: number, toMs: number, nowMs: number): Resolution {
  const range = toMs - fromMs;
  if (range <= RANGE_LIMIT_MS.raw && nowMs - RAW.retentionMs <= fromMs) return RAW;
  if (range <= RANGE_LIMIT_MS['1m'] && nowMs - ROLLUP_1M.retentionMs <= fromMs) return ROLLUP_1M;
  return ROLLUP_1H;
}

/**
 * How a field is rolled up. The catalogue's kind where it knows the field; otherwise
 * (prometheus `<metric>` families) counter by name, else gauge (the contract's rule).
 */
export function rollupKind(measurement: string, field: string): FieldKind {
  const known = measurementSpec(measurement)?.fields.find((spec) => spec.name === field);
  if (known) return known.type === 'string' || known.type === 'boolean' ? 'info' : known.kind;
  return /_(bucket|count|sum|total)$/.test(field) ? 'counter' : 'gauge';
}

/** `"rollup_1m"."docker_container_cpu"`; the bare measurement on raw. */
export function measurementAt(measurement: string, resolution: Resolution): string {
  const name = `"${measurement}"`;
  return resolution.retentionPolicy ? `"${resolution.retentionPolicy}".${name}` : name;
}

// A SELECT that reads a measurement directly (not a subquery): its field list and measurement.
const SELECT_FROM_MEASUREMENT = /SELECT ((?:(?!SELECT |FROM ).)*?) FROM "([^"]+)"(?!\.)/g;
// An aggregate of one quoted field: max("f").
const AGGREGATE = /\b(max|min|count)\("([^"]+)"\)/g;

/** The field list of a SELECT over `measurement`, with the aggregates rollups store differently. */
function rollupSelectList(list: string, measurement: string): string {
  return list.replace(AGGREGATE, (whole, fn: string, field: string) => {
    const kind = rollupKind(measurement, field);
    // Gauges keep their extremes in f_max and f_min (f is the window's mean).
    if (fn === 'max' && kind === 'gauge') return `max("${field}${ROLLUP_FIELD.maxSuffix}")`;
    if (fn === 'min' && kind === 'gauge') return `min("${field}${ROLLUP_FIELD.minSuffix}")`;
    // Counting reports (an info field, one per raw point) counts raw points: the windows' samples.
    if (fn === 'count' && kind === 'info') return `sum("${ROLLUP_FIELD.samples}")`;
    return whole;
  });
}

/**
 * A panel query at one resolution: measurements addressed in the resolution's retention
 * policy, gauge extremes and report counts read from the rollup fields, and the resolution's
 * guard after every time filter (subqueries included, so no level scans what it will not use).
 * Queries are written for raw points; this is the one place that knows how rollups differ.
 */
export function queryAtResolution(query: string, resolution: Resolution): string {
  let rewritten = query;
  if (resolution.retentionPolicy) {
    rewritten = rewritten.replace(
      SELECT_FROM_MEASUREMENT,
      (_, list: string, measurement: string) =>
        `SELECT ${rollupSelectList(list, measurement)} FROM ${measurementAt(measurement, resolution)}`,
    );
  }
  return rewritten.replaceAll('$timeFilter', `$timeFilter AND ${resolutionGuard(resolution)}`);
}

// The resolutions the collector writes (collector/README.md, "Rollups"): raw points in the
// database's default retention policy, and rollups per aligned window in their own retention
// policies. Names, windows and default retentions are the collector's exports; this file only
// derives what the queries need from them.
import {
  maxField,
  parseRetentionMs,
  RAW_RETENTION_DEFAULT,
  ROLLUP_RESOLUTIONS,
  rollupFieldKind,
  SAMPLES_FIELD,
} from '@dockwatch/collector';

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
/** The collector's default COLLECT_INTERVAL: the raw points' spacing. */
const RAW_INTERVAL_SECONDS = 10;

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

function retentionMsOf(retention: string): number {
  const ms = parseRetentionMs(retention);
  if (ms === undefined) throw new Error(`the collector's retention ${retention} is not an InfluxQL duration`);
  return ms;
}

function rollup(name: '1m' | '1h'): Resolution {
  const spec = ROLLUP_RESOLUTIONS.find((candidate) => candidate.name === name);
  if (!spec) throw new Error(`the collector writes no ${name} rollup`);
  return {
    name,
    windowSeconds: spec.windowMs / 1000,
    retentionPolicy: spec.retentionPolicy,
    retention: spec.defaultRetention,
    retentionMs: retentionMsOf(spec.defaultRetention),
  };
}

export const RAW: Resolution = {
  name: 'raw',
  windowSeconds: RAW_INTERVAL_SECONDS,
  retention: RAW_RETENTION_DEFAULT,
  retentionMs: retentionMsOf(RAW_RETENTION_DEFAULT),
};
export const ROLLUP_1M = rollup('1m');
export const ROLLUP_1H = rollup('1h');

/** Finest first: a panel's targets come in this order (refIds A, B, C for its first query). */
export const RESOLUTIONS: readonly Resolution[] = [RAW, ROLLUP_1M, ROLLUP_1H];

/**
 * Longest range each resolution serves (R1, R2): up to 24 h raw, up to 8 days 1-minute
 * points, beyond that hourly points. At panel widths of 900-1800 px, 24 h of raw is 50-100 s
 * buckets and 8 days of 1-minute points 5-10 min buckets: never more points than pixels.
 */
export const RANGE_LIMIT_MS = { raw: DAY_MS, '1m': 8 * DAY_MS } as const;

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
    const kind = rollupFieldKind(measurement, field);
    // Gauges keep their largest value in f_max (f is the window's mean).
    if (fn === 'max' && kind === 'gauge') return `max("${maxField(field)}")`;
    // Rollups keep no minimum (no panel reads one): fail at generation, not with wrong lines.
    if (fn === 'min' && kind === 'gauge')
      throw new Error(`min("${field}") of ${measurement}: rollups keep no minimum of a gauge`);
    // Counting reports (an info field, one per raw point) counts raw points: the windows' samples.
    if (fn === 'count' && kind === 'info') return `sum("${SAMPLES_FIELD}")`;
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

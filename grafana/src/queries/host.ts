// The host's own measurements (Telegraf's cpu, mem, system and disk inputs), tagged `host` with
// the engine's name. `disk` is the filesystem holding the engine's DockerRootDir.
import { MEASUREMENT, TAG, TOTAL } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { groupByInterval, ident, literal, where } from './influxql.js';

const BY_HOST = groupByInterval(TAG.host);
const BY_FILESYSTEM = groupByInterval(TAG.host, TAG.path);
const HOST_PROOF = { kind: 'hosts', tag: 'host', set: 'all' } as const;

/** Busy share of all CPUs (100 - idle) and its main parts, in percent of the host's capacity. */
export function hostCpu(scope: string): QuerySpec {
  return {
    query: `SELECT 100 - mean("usage_idle") AS "busy", mean("usage_user") AS "user", mean("usage_system") AS "system", mean("usage_iowait") AS "iowait", mean("usage_steal") AS "steal" FROM ${ident(MEASUREMENT.hostCpu)} ${where(`${ident(TAG.cpu)} = ${literal(TOTAL.hostCpu)}`, scope)} ${BY_HOST} fill(none)`,
    alias: `$tag_${TAG.host} $col`,
    proof: HOST_PROOF,
  };
}

export function hostMemory(scope: string): QuerySpec {
  return {
    query: `SELECT mean("used") AS "used", mean("available") AS "available", mean("cached") AS "cached", max("total") AS "total" FROM ${ident(MEASUREMENT.hostMem)} ${where(scope)} ${BY_HOST} fill(none)`,
    alias: `$tag_${TAG.host} $col`,
    proof: HOST_PROOF,
  };
}

/** Load averages, with the CPU count as the line a sustained load should stay under. */
export function hostLoad(scope: string): QuerySpec {
  return {
    query: `SELECT mean("load1") AS "load1", mean("load5") AS "load5", mean("load15") AS "load15", max("n_cpus") AS "CPUs" FROM ${ident(MEASUREMENT.hostSystem)} ${where(scope)} ${BY_HOST} fill(none)`,
    alias: `$tag_${TAG.host} $col`,
    proof: HOST_PROOF,
  };
}

/** Share of the data-root filesystem used (Telegraf: used / (used + free)). */
export function dataRootUsedPercent(scope: string): QuerySpec {
  return {
    query: `SELECT last("used_percent") FROM ${ident(MEASUREMENT.hostDisk)} ${where(scope)} ${BY_FILESYSTEM} fill(none)`,
    alias: `$tag_${TAG.host} $tag_${TAG.path}`,
    proof: HOST_PROOF,
  };
}

export function dataRootSpace(scope: string): QuerySpec {
  return {
    query: `SELECT last("used") AS "used", last("free") AS "free" FROM ${ident(MEASUREMENT.hostDisk)} ${where(scope)} ${BY_FILESYSTEM} fill(none)`,
    alias: `$tag_${TAG.host} $tag_${TAG.path} $col`,
    proof: HOST_PROOF,
  };
}

/**
 * Seconds until the data-root filesystem is full, at the rate `used` grew over the last
 * interval: free / growth, growth = non_negative_derivative(last(used), 1s) between consecutive
 * intervals (the last samples of two whole intervals are exactly one interval apart). Only
 * intervals where the disk grew are returned: a flat or shrinking disk never fills. The panel
 * sets a 10-minute minimum interval so one write burst does not make the trend; the newest
 * point comes from an interval still under way and underestimates the growth (overestimates
 * the time left) by up to the part of the interval not yet elapsed.
 */
export function dataRootTimeToFull(scope: string): QuerySpec {
  const inner = `SELECT non_negative_derivative(last("used"), 1s) AS "growth", last("free") AS "free" FROM ${ident(MEASUREMENT.hostDisk)} ${where(scope)} ${BY_FILESYSTEM}`;
  return {
    query: `SELECT last("free") / last("growth") FROM (${inner}) ${where('"growth" > 0')} ${BY_FILESYSTEM} fill(none)`,
    alias: `$tag_${TAG.host} $tag_${TAG.path}`,
    proof: { kind: 'hosts', tag: 'host', set: 'diskFilling' },
  };
}

/**
 * Seconds until the data-root filesystem is full at the rate `used` grew over the whole query
 * window: free / ((last(used) - first(used)) / window). One value per filesystem, only when
 * it grew. The window is the alert rule's; if the data starts later than the window (a new
 * host), the rate is underestimated, which errs towards silence.
 */
export function dataRootTimeToFullOverWindow(scope: string, windowSeconds: number): QuerySpec {
  const inner = `SELECT (last("used") - first("used")) / ${windowSeconds} AS "growth", last("free") AS "free" FROM ${ident(MEASUREMENT.hostDisk)} ${where(scope)} GROUP BY ${ident(TAG.host)}, ${ident(TAG.path)}`;
  return {
    query: `SELECT last("free") / last("growth") FROM (${inner}) ${where('"growth" > 0')} GROUP BY ${ident(TAG.host)}, ${ident(TAG.path)}`,
    alias: `$tag_${TAG.host} $tag_${TAG.path}`,
    proof: { kind: 'hosts', tag: 'host', set: 'diskFilling' },
  };
}

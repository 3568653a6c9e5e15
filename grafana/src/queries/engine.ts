// The engine's own measurements: `docker` (counts from GET /info, every interval) and
// `docker_disk_usage` (GET /system/df, every DISK_USAGE_INTERVAL): a summary point per engine,
// and one point per container, image and volume, told apart by their tags.
import { MEASUREMENT, TAG } from '@dockwatch/collector';
import type { QuerySpec } from '../model/proof.js';
import { groupByInterval, ident, where } from './influxql.js';

const BY_ENGINE = groupByInterval(TAG.engineHost);
const ENGINE_PROOF = { kind: 'hosts', tag: 'engine_host', set: 'all' } as const;

export function containersByState(scope: string): QuerySpec {
  return {
    query: `SELECT last("n_containers_running") AS "running", last("n_containers_paused") AS "paused", last("n_containers_stopped") AS "stopped" FROM ${ident(MEASUREMENT.engine)} ${where(scope)} ${BY_ENGINE} fill(none)`,
    alias: `$tag_${TAG.engineHost} $col`,
    proof: ENGINE_PROOF,
  };
}

export function imageCount(scope: string): QuerySpec {
  return {
    query: `SELECT last("n_images") FROM ${ident(MEASUREMENT.engine)} ${where(scope)} ${BY_ENGINE} fill(none)`,
    alias: `$tag_${TAG.engineHost} images`,
    proof: ENGINE_PROOF,
  };
}

export function engineResources(scope: string): QuerySpec {
  return {
    query: `SELECT last("n_used_file_descriptors") AS "file descriptors", last("n_goroutines") AS "goroutines", last("n_listener_events") AS "event listeners" FROM ${ident(MEASUREMENT.engine)} ${where(scope)} ${BY_ENGINE} fill(none)`,
    alias: `$tag_${TAG.engineHost} $col`,
    proof: ENGINE_PROOF,
  };
}

/** The summary point's totals: image layers, what removing unused images would free, volumes, writable layers. */
export function dockerDiskUsage(scope: string): QuerySpec {
  return {
    query: `SELECT last("layers_size") AS "images", last("images_reclaimable") AS "reclaimable", last("volumes_size") AS "volumes", last("containers_size_rw") AS "writable layers" FROM ${ident(MEASUREMENT.diskUsage)} ${where(scope)} ${BY_ENGINE} fill(none)`,
    alias: `$tag_${TAG.engineHost} $col`,
    proof: ENGINE_PROOF,
  };
}

function summaryField(field: string, label: string, scope: string): QuerySpec {
  return {
    query: `SELECT last(${ident(field)}) FROM ${ident(MEASUREMENT.diskUsage)} ${where(scope)} ${BY_ENGINE} fill(none)`,
    alias: `$tag_${TAG.engineHost} ${label}`,
    proof: ENGINE_PROOF,
  };
}

/** All image layers (Telegraf's layers_size). */
export function imagesSize(scope: string): QuerySpec {
  return summaryField('layers_size', 'images', scope);
}

/** What removing the images no container uses would free (the docker CLI's RECLAIMABLE). */
export function imagesReclaimable(scope: string): QuerySpec {
  return summaryField('images_reclaimable', 'reclaimable', scope);
}

/** One series per volume (image points also have `size`: only points with a volume_name). */
export function volumeSizes(scope: string): QuerySpec {
  return {
    query: `SELECT last("size") FROM ${ident(MEASUREMENT.diskUsage)} ${where(`${ident(TAG.volumeName)} != ''`, scope)} ${groupByInterval(TAG.engineHost, TAG.volumeName)} fill(none)`,
    alias: `$tag_${TAG.volumeName} ($tag_${TAG.engineHost})`,
    proof: { kind: 'hosts', tag: 'engine_host', set: 'withVolumes' },
  };
}

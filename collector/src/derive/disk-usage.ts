import type { FieldValue, Point } from '../model/point.js';
import { MEASUREMENT, TAG } from '../schema/names.js';
import { parseImageReference } from './image.js';
import type { EngineInfo } from './input.js';

/**
 * What the collector reads of GET /system/df. The engine answers -1 for a size or count it did
 * not compute (e.g. a volume of another driver), and older engines leave some keys out.
 */
export interface DiskUsage {
  LayersSize?: number;
  Images?: readonly DiskUsageImage[] | null;
  Containers?: readonly DiskUsageContainer[] | null;
  Volumes?: readonly DiskUsageVolume[] | null;
}

export interface DiskUsageImage {
  Id: string;
  RepoTags?: readonly string[] | null;
  Size?: number;
  SharedSize?: number;
  /** Containers using the image, stopped ones included. */
  Containers?: number;
}

export interface DiskUsageContainer {
  Id: string;
  Names?: readonly string[] | null;
  Image?: string;
  Labels?: Readonly<Record<string, string>> | null;
  SizeRw?: number;
  SizeRootFs?: number;
}

export interface DiskUsageVolume {
  Name: string;
  UsageData?: { Size?: number; RefCount?: number } | null;
}

/** Which containers get a point: the collector's name/label filter (ContainerFilter). */
export interface ContainerMatcher {
  matches(name: string, labels: Readonly<Record<string, string>>): boolean;
}

/** The compose labels a container point carries as tags, as on the docker_container_* points. */
const CONTAINER_LABEL_TAGS = [TAG.composeProject, TAG.composeService] as const;

/** A size or count the engine computed: a non-negative integer (-1 means "not computed"). */
function known(value: number | undefined): bigint | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
}

function putKnown(fields: Record<string, FieldValue>, name: string, value: number | undefined): void {
  const integer = known(value);
  if (integer !== undefined) fields[name] = integer;
}

/**
 * `docker system df`'s RECLAIMABLE for images, with the docker CLI's arithmetic: all layers
 * minus what images in use by a container (stopped ones count) hold alone (Size - SharedSize),
 * skipping images whose sizes were not computed.
 */
export function imagesReclaimable(df: DiskUsage): bigint | undefined {
  const total = known(df.LayersSize);
  if (total === undefined) return undefined;
  let used = 0n;
  for (const image of df.Images ?? []) {
    if ((image.Containers ?? 0) <= 0) continue;
    const size = known(image.Size);
    const shared = known(image.SharedSize);
    if (size === undefined || shared === undefined) continue;
    used += size - shared;
  }
  return total - used;
}

function sumKnown(values: Iterable<number | undefined>): bigint {
  let sum = 0n;
  for (const value of values) sum += known(value) ?? 0n;
  return sum;
}

function summaryPoint(df: DiskUsage, tags: Readonly<Record<string, string>>, time: bigint): Point {
  const fields: Record<string, FieldValue> = {};
  putKnown(fields, 'layers_size', df.LayersSize);
  const reclaimable = imagesReclaimable(df);
  if (reclaimable !== undefined) fields.images_reclaimable = reclaimable;
  fields.volumes_size = sumKnown((df.Volumes ?? []).map((volume) => volume.UsageData?.Size));
  fields.containers_size_rw = sumKnown((df.Containers ?? []).map((container) => container.SizeRw));
  return { measurement: MEASUREMENT.diskUsage, tags, fields, time };
}

function containerPoint(
  container: DiskUsageContainer,
  engineTags: Readonly<Record<string, string>>,
  time: bigint,
): Point | undefined {
  const fields: Record<string, FieldValue> = {};
  // The engine leaves a zero size out (omitempty): absent is 0 here, -1 is "not computed".
  putKnown(fields, 'size_rw', container.SizeRw ?? 0);
  putKnown(fields, 'size_root_fs', container.SizeRootFs ?? 0);
  if (Object.keys(fields).length === 0) return undefined;
  const image = parseImageReference(container.Image ?? '');
  const tags: Record<string, string> = {
    ...engineTags,
    [TAG.containerName]: containerName(container),
    [TAG.containerImage]: image.name,
    [TAG.containerVersion]: image.version,
  };
  const labels = container.Labels ?? {};
  for (const key of CONTAINER_LABEL_TAGS) {
    const value = labels[key];
    // Line protocol cannot carry an empty tag value.
    if (value !== undefined && value !== '') tags[key] = value;
  }
  if (tags[TAG.containerImage] === '') delete tags[TAG.containerImage];
  return { measurement: MEASUREMENT.diskUsage, tags, fields, time };
}

function containerName(container: DiskUsageContainer): string {
  return (container.Names?.[0] ?? '').replace(/^\//, '') || container.Id.slice(0, 12);
}

function imagePoint(
  image: DiskUsageImage,
  engineTags: Readonly<Record<string, string>>,
  time: bigint,
): Point | undefined {
  const fields: Record<string, FieldValue> = {};
  putKnown(fields, 'size', image.Size);
  putKnown(fields, 'shared_size', image.SharedSize);
  putKnown(fields, 'containers', image.Containers);
  if (Object.keys(fields).length === 0) return undefined;
  const tags: Record<string, string> = {
    ...engineTags,
    [TAG.imageId]: image.Id.replace(/^sha256:/, '').slice(0, 12),
  };
  // The first tag names the image; untagged (dangling) images have none, or `<none>:<none>`.
  const reference = image.RepoTags?.find((tag) => tag !== '<none>:<none>');
  if (reference !== undefined) {
    const { name, version } = parseImageReference(reference);
    tags[TAG.imageName] = name;
    tags[TAG.imageVersion] = version;
  }
  return { measurement: MEASUREMENT.diskUsage, tags, fields, time };
}

function volumePoint(
  volume: DiskUsageVolume,
  engineTags: Readonly<Record<string, string>>,
  time: bigint,
): Point | undefined {
  const fields: Record<string, FieldValue> = {};
  putKnown(fields, 'size', volume.UsageData?.Size);
  putKnown(fields, 'ref_count', volume.UsageData?.RefCount);
  if (Object.keys(fields).length === 0 || volume.Name === '') return undefined;
  return {
    measurement: MEASUREMENT.diskUsage,
    tags: { ...engineTags, [TAG.volumeName]: volume.Name },
    fields,
    time,
  };
}

/**
 * Telegraf's `docker_disk_usage` from one /system/df answer: a summary point for the engine,
 * then one point per container (stopped ones too: their layers use disk) that `containers`
 * matches, per image and per volume. Sizes the engine did not compute (-1) are left out, and
 * an object with none left writes no point.
 */
export function diskUsagePoints(
  df: DiskUsage,
  engine: EngineInfo,
  time: bigint,
  containers: ContainerMatcher,
): Point[] {
  const engineTags = { [TAG.engineHost]: engine.host, [TAG.serverVersion]: engine.serverVersion };
  const points: (Point | undefined)[] = [summaryPoint(df, engineTags, time)];
  for (const container of df.Containers ?? []) {
    if (containers.matches(containerName(container), container.Labels ?? {}))
      points.push(containerPoint(container, engineTags, time));
  }
  for (const image of df.Images ?? []) points.push(imagePoint(image, engineTags, time));
  for (const volume of df.Volumes ?? []) points.push(volumePoint(volume, engineTags, time));
  return points.filter((point) => point !== undefined);
}

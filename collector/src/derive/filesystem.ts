import type { Point } from '../model/point.js';
import { MEASUREMENT, TAG } from '../schema/names.js';

/** One line of /proc/<pid>/mountinfo, as far as the `disk` tags need it. */
export interface MountEntry {
  /** Where it is mounted, in that process's mount namespace (octal escapes decoded). */
  mountPoint: string;
  /** The mount source, e.g. /dev/vda1, or overlay, tmpfs. */
  source: string;
  fstype: string;
  /** The per-mount options, e.g. rw,relatime. */
  options: readonly string[];
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescapeOctal(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Parses /proc/<pid>/mountinfo (proc(5)): `id parent major:minor root mountpoint options
 * [optional fields...] - fstype source superoptions`. Malformed lines are skipped.
 */
export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    const mountPoint = fields[4];
    const options = fields[5];
    const fstype = fields[separator + 1];
    const source = fields[separator + 2];
    if (separator < 0 || mountPoint === undefined || options === undefined) continue;
    if (fstype === undefined || source === undefined) continue;
    mounts.push({
      mountPoint: unescapeOctal(mountPoint),
      source: unescapeOctal(source),
      fstype,
      options: options.split(','),
    });
  }
  return mounts;
}

/**
 * The mount that holds `path`: the longest mount point that is `path` or one of its parent
 * directories; of several mounts on the same point, the last (the one on top).
 */
export function mountHolding(mounts: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const holds =
      point === '/' || path === point || (path.startsWith(point) && path.charAt(point.length) === '/');
    if (holds && (best === undefined || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}

/** What statfs(2) says of a filesystem (Node's fs.statfs with bigint: true). */
export interface FilesystemStats {
  bsize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
}

/** Where the filesystem is: the path as the host sees it, its host and its mount (if known). */
export interface FilesystemPlace {
  host: string;
  path: string;
  mount: MountEntry | undefined;
}

/** Telegraf's `device` tag: the source without /dev/, or the fstype for sourceless mounts. */
function deviceTag(mount: MountEntry): string {
  const device = mount.source === 'none' || mount.source === '' ? mount.fstype : mount.source;
  return device.replaceAll('/dev/', '');
}

function modeTag(mount: MountEntry): string {
  if (mount.options.includes('rw')) return 'rw';
  if (mount.options.includes('ro')) return 'ro';
  return 'unknown';
}

const percent = (part: bigint, whole: bigint): number =>
  whole > 0n ? (Number(part) / Number(whole)) * 100 : 0;

/**
 * Telegraf's `disk` point for one filesystem, with its arithmetic: used = (blocks - bfree) x
 * bsize, free = bavail x bsize (what an unprivileged writer may still use), so
 * used_percent = used / (used + free) x 100 leaves the root-reserved blocks out, as df does.
 */
export function diskPoint(stats: FilesystemStats, place: FilesystemPlace, time: bigint): Point {
  const total = stats.blocks * stats.bsize;
  const used = (stats.blocks - stats.bfree) * stats.bsize;
  const free = stats.bavail * stats.bsize;
  const inodesUsed = stats.files - stats.ffree;
  const tags: Record<string, string> = { [TAG.host]: place.host, [TAG.path]: place.path };
  if (place.mount !== undefined) {
    tags[TAG.device] = deviceTag(place.mount);
    tags[TAG.fstype] = place.mount.fstype;
    tags[TAG.mode] = modeTag(place.mount);
  }
  return {
    measurement: MEASUREMENT.hostDisk,
    tags,
    fields: {
      total,
      free,
      used,
      used_percent: percent(used, used + free),
      inodes_total: stats.files,
      inodes_free: stats.ffree,
      inodes_used: inodesUsed,
      inodes_used_percent: percent(inodesUsed, stats.files),
    },
    time,
  };
}

import type { FieldValue, Point } from '../model/point.js';
import { makePoint, type SampleContext } from './context.js';
import { withTag } from './tags.js';
import type { EngineBlkioEntry } from './engine-stats.js';
import { toInt64 } from './integer.js';
import { MEASUREMENT, TAG, TOTAL } from '../schema/names.js';

export const BLKIO_MEASUREMENT = MEASUREMENT.blkio;

/** The Engine arrays read, by field prefix. cgroup v2 fills only the first (the other is null). */
export const BLKIO_FAMILIES = ['io_service_bytes_recursive', 'io_serviced_recursive'] as const;

/** Op classes kept: read/write on both cgroup versions, the rest only on v1. */
export const BLKIO_OPS = ['read', 'write', 'sync', 'async', 'discard', 'total'] as const;
export type BlkioOp = (typeof BLKIO_OPS)[number];

type BlkioFamily = (typeof BLKIO_FAMILIES)[number];

/** Every `<family>_<op>` field key, made once rather than once per container and gather. */
const FIELD_KEYS = Object.fromEntries(
  BLKIO_FAMILIES.map((family) => [
    family,
    Object.fromEntries(BLKIO_OPS.map((op) => [op, `${family}_${op}`])),
  ]),
) as Record<BlkioFamily, Record<BlkioOp, string>>;

/** v1 says "Read"/"Write", v2 "read"/"write": classify by the first letter; other ops by name. */
export function classifyBlkioOp(op: string): BlkioOp | undefined {
  const lower = op.toLowerCase();
  if (lower.startsWith('r')) return 'read';
  if (lower.startsWith('w')) return 'write';
  return (BLKIO_OPS as readonly string[]).includes(lower) ? (lower as BlkioOp) : undefined;
}

/**
 * `docker_container_blkio`: `device=total`, plus one point per "major:minor" device when
 * per-device. An array that is present but empty means no I/O yet, so the total carries
 * read/write zeros; an array that is null (v2's io_serviced_recursive) contributes no fields.
 */
export function blkioPoints(context: SampleContext): Point[] {
  const blkio = context.current.blkio_stats;
  if (blkio === undefined || blkio === null) return [];
  const total = new Map<string, bigint>();
  const devices = new Map<string, Map<string, bigint>>();
  for (const family of BLKIO_FAMILIES) {
    const entries: readonly EngineBlkioEntry[] | null | undefined = blkio[family];
    if (entries === undefined || entries === null) continue;
    const keys = FIELD_KEYS[family];
    total.set(keys.read, total.get(keys.read) ?? 0n);
    total.set(keys.write, total.get(keys.write) ?? 0n);
    for (const entry of entries) {
      const op = classifyBlkioOp(entry.op);
      const value = toInt64(entry.value);
      const major = toInt64(entry.major);
      const minor = toInt64(entry.minor);
      if (op === undefined || value === undefined || major === undefined || minor === undefined) continue;
      const field = keys[op];
      const device = `${major}:${minor}`;
      let deviceFields = devices.get(device);
      if (deviceFields === undefined) {
        deviceFields = new Map();
        devices.set(device, deviceFields);
      }
      deviceFields.set(field, (deviceFields.get(field) ?? 0n) + value);
      total.set(field, (total.get(field) ?? 0n) + value);
    }
  }
  if (total.size === 0) return [];
  const withId = (fields: Map<string, bigint>): Record<string, FieldValue> => {
    const record: Record<string, FieldValue> = { container_id: context.containerId };
    for (const [key, value] of fields) record[key] = value;
    return record;
  };
  const points = [
    makePoint(
      BLKIO_MEASUREMENT,
      withTag(context.tags, TAG.device, TOTAL.device, context.memo),
      withId(total),
      context.time,
    ),
  ];
  if (context.perDevice) {
    for (const [device, fields] of [...devices].sort(([a], [b]) => a.localeCompare(b))) {
      points.push(
        makePoint(
          BLKIO_MEASUREMENT,
          withTag(context.tags, TAG.device, device, context.memo),
          withId(fields),
          context.time,
        ),
      );
    }
  }
  return points;
}

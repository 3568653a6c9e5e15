// Synthetic points as line protocol, written by the collector's own writer.
import { type FieldValue as PointFieldValue, type Point, toLineProtocol } from '@dockwatch/collector';

/** A field value; `{ int }` is an integer field given as a number (rounded). */
export type FieldValue = number | bigint | boolean | string | { int: number };

/** One point at `time` seconds since the epoch, as the collector holds it. */
export function point(
  measurement: string,
  tags: Record<string, string>,
  fields: Record<string, FieldValue>,
  time: number,
): Point {
  const values: Record<string, PointFieldValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    values[key] = typeof value === 'object' ? BigInt(Math.round(value.int)) : value;
  }
  return { measurement, tags, fields: values, time: BigInt(time) * 1_000_000_000n };
}

/** One point at `time` seconds since the epoch, as line protocol (ns precision). */
export function line(
  measurement: string,
  tags: Record<string, string>,
  fields: Record<string, FieldValue>,
  time: number,
): string {
  return toLineProtocol(point(measurement, tags, fields, time));
}

/** Points as line protocol (ns precision), one line each. */
export function* toLineProtocolLines(points: Iterable<Point>): Generator<string> {
  for (const p of points) yield toLineProtocol(p);
}

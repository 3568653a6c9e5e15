import { Point as LineProtocolPoint } from '@influxdata/influxdb-client';
import type { Point } from '../model/point.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Line protocol cannot carry a tag key or value that ends in a backslash: the backslash
 * escapes the separator after it and InfluxDB rejects the whole line (even `\\` at the
 * end). Such trailing backslashes are removed, as Telegraf does, so the point is kept.
 */
function tagSafe(text: string): string {
  return text.replace(/\\+$/, '');
}

/**
 * One line of InfluxDB line protocol for a point, ns precision. bigint fields become integers
 * (`12i`), numbers floats, plus strings and booleans; empty tag values are left out.
 * Throws for a point without fields or with an integer outside int64.
 */
export function toLineProtocol(point: Point): string {
  const line = new LineProtocolPoint(point.measurement);
  for (const [key, value] of Object.entries(point.tags)) {
    const safeKey = tagSafe(key);
    const safeValue = tagSafe(value);
    if (safeKey !== '' && safeValue !== '') line.tag(safeKey, safeValue);
  }
  for (const [name, value] of Object.entries(point.fields)) {
    switch (typeof value) {
      case 'bigint':
        if (value < INT64_MIN || value > INT64_MAX) {
          throw new RangeError(`integer field ${name} outside int64: ${value}`);
        }
        // intField goes through a JS number, which rounds above 2^53; write the exact digits instead
        // (`fields` holds the client's already-escaped values; an integer needs no escaping).
        if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
          line.intField(name, Number(value));
        } else {
          line.fields[name] = `${value}i`;
        }
        break;
      case 'number':
        line.floatField(name, value);
        break;
      case 'string':
        line.stringField(name, value);
        break;
      case 'boolean':
        line.booleanField(name, value);
        break;
    }
  }
  line.timestamp(point.time.toString());
  const text = line.toLineProtocol();
  if (text === undefined) throw new Error(`point ${point.measurement} has no fields`);
  return text;
}

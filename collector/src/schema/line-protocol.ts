import type { Point } from '../model/point.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// The escaping rules of @influxdata/influxdb-client's Point (the unit tests hold this writer
// to that class's output). Writing lines directly is about 5x cheaper than building a Point
// per line, which matters at 1,000+ lines a second.
const MEASUREMENT_SPECIAL = /[, \n\r\t]/;
const MEASUREMENT_SPECIAL_ALL = /[, \n\r\t]/g;
const TAG_SPECIAL = /[,= \n\r\t]/;
const TAG_SPECIAL_ALL = /[,= \n\r\t]/g;
const STRING_SPECIAL = /["\\]/;
const STRING_SPECIAL_ALL = /["\\]/g;
const CONTROL: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeChar = (c: string): string => CONTROL[c] ?? `\\${c}`;
const escapeMeasurement = (s: string): string =>
  MEASUREMENT_SPECIAL.test(s) ? s.replace(MEASUREMENT_SPECIAL_ALL, escapeChar) : s;
const escapeTag = (s: string): string => (TAG_SPECIAL.test(s) ? s.replace(TAG_SPECIAL_ALL, escapeChar) : s);
const quoteString = (s: string): string =>
  `"${STRING_SPECIAL.test(s) ? s.replace(STRING_SPECIAL_ALL, '\\$&') : s}"`;

/**
 * Line protocol cannot carry a tag key or value that ends in a backslash: the backslash
 * escapes the separator after it and InfluxDB rejects the whole line (even `\\` at the
 * end). Such trailing backslashes are removed, as Telegraf does, so the point is kept.
 */
function tagSafe(text: string): string {
  return text.endsWith('\\') ? text.replace(/\\+$/, '') : text;
}

/** A field key list in sorted order, with each key's escaped `key=` prefix. */
interface FieldOrder {
  /** The keys in the order the source inserted them: what a later list is compared with. */
  inserted: readonly string[];
  sorted: readonly string[];
  prefixes: readonly string[];
}

const ORDERS_PER_MEASUREMENT = 64;

function newFieldOrder(keys: readonly string[]): FieldOrder {
  const sorted = [...keys].sort();
  return { inserted: keys, sorted, prefixes: sorted.map((key) => `${escapeTag(key)}=`) };
}

/**
 * Writes InfluxDB line protocol, one line per point, ns precision, tags and fields sorted by
 * key. bigint fields become integers (`12i`, exact beyond 2^53), numbers floats, plus
 * strings and booleans (`T`/`F`). Empty tag values and non-finite floats (which InfluxDB
 * cannot store) are left out. Throws for a point without fields or with an integer outside
 * int64.
 *
 * A writer remembers, for as long as it lives, the sorted field order of each measurement's
 * key lists and the escaped tag section of each frozen tags object: sources build a family's
 * fields in the same order every time and hand the same frozen tags to every point of a
 * container (see derive/tags.ts), so a long-lived writer (the sink's) sorts and escapes once
 * per container, not once per line.
 */
export class LineProtocolWriter {
  private readonly fieldOrders = new Map<string, FieldOrder[]>();
  private readonly tagSections = new WeakMap<Readonly<Record<string, string>>, string>();

  line(point: Point): string {
    return formatLine(point, this.fieldOrder(point.measurement, point.fields), this.tagSection(point.tags));
  }

  // Keys from Object.keys are internalised strings: comparing a list with a remembered one
  // is pointer comparisons, cheaper than sorting ~40 keys or joining them into a lookup key.
  private fieldOrder(measurement: string, record: object): FieldOrder {
    const keys = Object.keys(record);
    let known = this.fieldOrders.get(measurement);
    if (known === undefined) {
      known = [];
      this.fieldOrders.set(measurement, known);
    }
    for (const order of known) {
      const inserted = order.inserted;
      if (inserted.length !== keys.length) continue;
      let same = true;
      for (let i = 0; i < keys.length && same; i++) same = inserted[i] === keys[i];
      if (same) return order;
    }
    const order = newFieldOrder(keys);
    if (known.length >= ORDERS_PER_MEASUREMENT) known.length = 0;
    known.push(order);
    return order;
  }

  private tagSection(tags: Readonly<Record<string, string>>): string {
    // Only a frozen object cannot change under the memo.
    const frozen = Object.isFrozen(tags);
    const known = frozen ? this.tagSections.get(tags) : undefined;
    if (known !== undefined) return known;
    const section = formatTags(tags);
    if (frozen) this.tagSections.set(tags, section);
    return section;
  }
}

/** One line for a point, remembering nothing (see LineProtocolWriter for the rules). */
export function toLineProtocol(point: Point): string {
  return formatLine(point, newFieldOrder(Object.keys(point.fields)), formatTags(point.tags));
}

function formatLine(point: Point, { sorted, prefixes }: FieldOrder, tagSection: string): string {
  let fields = '';
  for (let i = 0; i < sorted.length; i++) {
    const name = sorted[i] ?? '';
    const value = point.fields[name];
    let text: string;
    switch (typeof value) {
      case 'bigint':
        if (value < INT64_MIN || value > INT64_MAX) {
          throw new RangeError(`integer field ${name} outside int64: ${value}`);
        }
        text = `${value}i`;
        break;
      case 'number':
        if (!Number.isFinite(value)) continue;
        text = String(value);
        break;
      case 'string':
        text = quoteString(value);
        break;
      case 'boolean':
        text = value ? 'T' : 'F';
        break;
      default:
        continue;
    }
    if (name === '') continue;
    fields += `${fields === '' ? '' : ','}${prefixes[i] ?? ''}${text}`;
  }
  if (fields === '') throw new Error(`point ${point.measurement} has no fields`);
  return `${escapeMeasurement(point.measurement)}${tagSection} ${fields} ${point.time}`;
}

/** `,key=value` for each tag, sorted by key; empty values left out. */
function formatTags(tags: Readonly<Record<string, string>>): string {
  let section = '';
  for (const key of Object.keys(tags).sort()) {
    const safeKey = tagSafe(key);
    const safeValue = tagSafe(tags[key] ?? '');
    if (safeKey !== '' && safeValue !== '') section += `,${escapeTag(safeKey)}=${escapeTag(safeValue)}`;
  }
  return section;
}

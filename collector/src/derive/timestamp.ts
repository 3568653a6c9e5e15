import type { DeriveMemo } from './memo.js';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The Go zero time the Engine sends for "never" (not started, not finished, no sample). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

// InfluxDB stores int64 ns: 1677-09-21 .. 2262-04-11.
const MIN_NS = -(2n ** 63n);
const MAX_NS = 2n ** 63n - 1n;

/**
 * Exact nanoseconds since the Unix epoch of an RFC 3339 timestamp with 0-9 fraction digits
 * and `Z` or a numeric offset. Throws a RangeError for malformed input and for times InfluxDB
 * cannot store, which includes the zero time (use {@link optionalTimestampNs} for "maybe").
 */
export function parseTimestampNs(rfc3339: string, memo?: DeriveMemo): bigint {
  return memo === undefined ? parse(rfc3339) : memo.timestamp(rfc3339, parse);
}

function parse(rfc3339: string): bigint {
  const match = RFC3339.exec(rfc3339);
  if (match === null) throw new RangeError(`not an RFC 3339 timestamp: ${JSON.stringify(rfc3339)}`);
  const [, year, month, day, hour, minute, second, fraction, , sign, offsetHours, offsetMinutes] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [y, mo, d, h, mi, s] = parts;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  const valid =
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60;
  if (!valid) throw new RangeError(`not a valid calendar time: ${JSON.stringify(rfc3339)}`);
  let ns = BigInt(date.getTime()) * 1_000_000n + BigInt((fraction ?? '').padEnd(9, '0'));
  if (sign !== undefined) {
    const offsetNs = BigInt(Number(offsetHours) * 3600 + Number(offsetMinutes) * 60) * 1_000_000_000n;
    ns += sign === '+' ? -offsetNs : offsetNs;
  }
  if (ns < MIN_NS || ns > MAX_NS) {
    throw new RangeError(`time outside the storable range (missing?): ${JSON.stringify(rfc3339)}`);
  }
  return ns;
}

/** Like {@link parseTimestampNs}, but undefined for an absent, zero or unusable time. */
export function optionalTimestampNs(
  rfc3339: string | null | undefined,
  memo?: DeriveMemo,
): bigint | undefined {
  if (rfc3339 === null || rfc3339 === undefined || rfc3339 === '' || rfc3339 === ZERO_TIME) return undefined;
  try {
    return parseTimestampNs(rfc3339, memo);
  } catch {
    return undefined;
  }
}

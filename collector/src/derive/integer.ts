import type { JsonInteger } from './engine-stats.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * An Engine counter as an InfluxDB integer, or undefined when absent, not an integer, or
 * outside int64 (the uint64 "unlimited" sentinels some kernels report): such a field is
 * left out rather than rejected by the database.
 */
export function toInt64(value: JsonInteger | null | undefined): bigint | undefined {
  let integer: bigint;
  if (typeof value === 'number') {
    // Every safe integer is inside int64: skip the range check (the common case).
    if (Number.isSafeInteger(value)) return BigInt(value);
    if (!Number.isInteger(value)) return undefined;
    integer = BigInt(value);
  } else if (typeof value === 'bigint') integer = value;
  else return undefined;
  return integer >= INT64_MIN && integer <= INT64_MAX ? integer : undefined;
}

/** Adds `name` to `fields` when `value` is a representable integer. */
export function putInt(
  fields: Record<string, unknown>,
  name: string,
  value: JsonInteger | null | undefined,
): void {
  const integer = toInt64(value);
  if (integer !== undefined) fields[name] = integer;
}

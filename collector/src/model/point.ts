/**
 * A measurement point as sources emit it, before any sink sees it (Telegraf's metric).
 * Field values: `number` is written as a float, `bigint` as an integer (`123i`), plus
 * strings and booleans. Integers use bigint so counters keep Telegraf's integer type.
 */
export type FieldValue = number | bigint | string | boolean;

export interface Point {
  measurement: string;
  tags: Readonly<Record<string, string>>;
  fields: Readonly<Record<string, FieldValue>>;
  /** Nanoseconds since the Unix epoch: the sample's own `read` time, not the arrival time. */
  time: bigint;
}

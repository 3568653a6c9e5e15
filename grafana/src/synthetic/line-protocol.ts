// InfluxDB line protocol for the synthetic data: escaping as the protocol requires.

export type FieldValue = number | bigint | boolean | string | { int: number };

function escapeKey(text: string): string {
  return text.replace(/[,= ]/g, (char) => `\\${char}`);
}

function formatField(value: FieldValue): string {
  if (typeof value === 'string') return `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return `${value}i`;
  if (typeof value === 'object') return `${Math.round(value.int)}i`;
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

/** One point; `time` is in the precision the writer declares. */
export function line(
  measurement: string,
  tags: Record<string, string>,
  fields: Record<string, FieldValue>,
  time: number,
): string {
  const tagText = Object.entries(tags)
    .filter(([, value]) => value !== '')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => `,${escapeKey(key)}=${escapeKey(value)}`)
    .join('');
  const fieldText = Object.entries(fields)
    .map(([key, value]) => `${escapeKey(key)}=${formatField(value)}`)
    .join(',');
  return `${escapeKey(measurement)}${tagText} ${fieldText} ${time}`;
}

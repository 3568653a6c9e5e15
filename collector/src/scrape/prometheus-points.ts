import type { Point } from '../model/point.js';
import { MEASUREMENT } from '../schema/names.js';
import type { Sample } from './exposition-parser.js';

export const PROMETHEUS_MEASUREMENT = MEASUREMENT.prometheus;

/**
 * Turns scraped samples into `prometheus` points the way Telegraf's prometheus input does
 * with metric_version=2: the field is the sample's name (`x_total`, `x_bucket` with tag
 * `le`, `x_sum`, `x_count`, `x` with tag `quantile`), labels become tags, and fields that
 * share a tag set are merged into one point. `baseTags` (the container's tags) win over
 * metric labels of the same name, which are kept as `exported_<label>`, as Prometheus does
 * without honor_labels. NaN and infinities are left out: InfluxDB cannot store them.
 */
export function prometheusPoints(
  samples: readonly Sample[],
  baseTags: Readonly<Record<string, string>>,
  time: bigint,
): Point[] {
  const byTagSet = new Map<string, { tags: Record<string, string>; fields: Record<string, number> }>();
  for (const sample of samples) {
    if (!Number.isFinite(sample.value)) continue;
    const tags: Record<string, string> = { ...baseTags };
    for (const [key, labelValue] of Object.entries(sample.labels)) {
      if (labelValue === '') continue; // an empty label is the same as no label
      tags[Object.hasOwn(baseTags, key) ? `exported_${key}` : key] = labelValue;
    }
    const key = JSON.stringify(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let entry = byTagSet.get(key);
    if (!entry) {
      entry = { tags, fields: {} };
      byTagSet.set(key, entry);
    }
    entry.fields[sample.name] = sample.value;
  }
  return [...byTagSet.values()].map(({ tags, fields }) => ({
    measurement: PROMETHEUS_MEASUREMENT,
    tags,
    fields,
    time,
  }));
}

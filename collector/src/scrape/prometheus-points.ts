import type { Point } from '../model/point.js';

/** One metric family as parse-prometheus-text-format returns it (prom2json's shape). */
export interface MetricFamily {
  name: string;
  help?: string;
  type: string;
  metrics: Array<{
    labels?: Record<string, string>;
    value?: string;
    buckets?: Record<string, string>;
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
    timestamp_ms?: string;
  }>;
}

export const PROMETHEUS_MEASUREMENT = 'prometheus';

function toFloat(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  // InfluxDB stores no NaN or infinities: such samples are left out.
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Turns scraped families into `prometheus` points the way Telegraf's prometheus input does
 * with metric_version=2: one field per metric name, labels as tags; histograms as
 * `<name>_bucket` (tag `le`) plus `<name>_sum`/`<name>_count`; summaries as `<name>`
 * (tag `quantile`) plus `_sum`/`_count`. Fields that share tags are merged into one point.
 * `baseTags` (the container's tags) win over metric labels of the same name, which are kept
 * as `exported_<label>`, as Prometheus does without honor_labels.
 */
export function prometheusPoints(
  families: readonly MetricFamily[],
  baseTags: Readonly<Record<string, string>>,
  time: bigint,
): Point[] {
  const byTagSet = new Map<string, { tags: Record<string, string>; fields: Record<string, number> }>();
  const put = (
    labels: Record<string, string> | undefined,
    extra: Record<string, string>,
    field: string,
    text?: string,
  ) => {
    const value = toFloat(text);
    if (value === undefined) return;
    const tags: Record<string, string> = { ...baseTags };
    for (const [key, labelValue] of Object.entries({ ...labels, ...extra })) {
      if (labelValue === '') continue; // an empty label is the same as no label
      tags[Object.hasOwn(baseTags, key) ? `exported_${key}` : key] = labelValue;
    }
    const key = JSON.stringify(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    let entry = byTagSet.get(key);
    if (!entry) {
      entry = { tags, fields: {} };
      byTagSet.set(key, entry);
    }
    entry.fields[field] = value;
  };

  for (const family of families) {
    for (const metric of family.metrics) {
      if (metric.buckets) {
        for (const [le, count] of Object.entries(metric.buckets))
          put(metric.labels, { le }, `${family.name}_bucket`, count);
      } else if (metric.quantiles) {
        for (const [quantile, value] of Object.entries(metric.quantiles)) {
          put(metric.labels, { quantile }, family.name, value);
        }
      } else {
        put(metric.labels, {}, family.name, metric.value);
      }
      if (metric.count !== undefined) put(metric.labels, {}, `${family.name}_count`, metric.count);
      if (metric.sum !== undefined) put(metric.labels, {}, `${family.name}_sum`, metric.sum);
    }
  }
  return [...byTagSet.values()].map(({ tags, fields }) => ({
    measurement: PROMETHEUS_MEASUREMENT,
    tags,
    fields,
    time,
  }));
}

// Evaluates an alert rule the way Grafana does, against a real InfluxDB: query A over the rule's
// window ending now (macros only), B = reduce each series (non-numbers dropped), C = threshold.
// Returns the series that would fire, by their labels (the InfluxDB tags).
import {
  ALERT_MAX_DATA_POINTS,
  type AlertRuleSpec,
  alertRules,
  expandQuery,
  type QueryTarget,
  runInfluxQL,
} from '@dockwatch/grafana';

export interface AlertInstance {
  labels: Record<string, string>;
  /** B: the reduced value. */
  value: number;
  firing: boolean;
}

export function ruleByUid(uid: string): AlertRuleSpec {
  const found = alertRules().find((r) => r.uid === uid);
  if (!found) throw new Error(`no alert rule ${uid}`);
  return found;
}

function reduce(values: number[], reducer: AlertRuleSpec['reducer']): number | undefined {
  if (values.length === 0) return undefined;
  switch (reducer) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'last':
      return values[values.length - 1];
  }
}

interface Reduced {
  labels: Record<string, string>;
  value: number;
}

/** A query over its window ending now, each series reduced (series without numbers dropped). */
async function reduceQuery(
  target: QueryTarget,
  rule: AlertRuleSpec,
  queryText: string,
  windowSeconds: number,
  nowMs: number,
  minIntervalMs: number,
): Promise<Reduced[]> {
  const { query } = expandQuery(queryText, {
    variables: [],
    fromMs: nowMs - windowSeconds * 1000,
    toMs: nowMs,
    maxDataPoints: ALERT_MAX_DATA_POINTS,
    minIntervalMs,
  });
  const series = await runInfluxQL(target, query);
  const reduced: Reduced[] = [];
  const seen = new Set<string>();
  for (const s of series) {
    const labels = s.tags ?? {};
    // Grafana refuses a result with two series of the same labels.
    const key = JSON.stringify(Object.entries(labels).sort());
    if (seen.has(key)) throw new Error(`${rule.uid}: two series with labels ${key}`);
    seen.add(key);
    const values = s.values.map((row) => row[1]).filter((v): v is number => typeof v === 'number');
    const value = reduce(values, rule.reducer);
    if (value !== undefined) reduced.push({ labels, value });
  }
  return reduced;
}

/**
 * Every series of the rule's query, reduced and compared with its threshold. With a second
 * query, its single unlabelled number is subtracted from each (Grafana's math pairs an
 * unlabelled number with every series; without it the expression has no data, so nothing fires).
 */
export async function evaluateRule(
  target: QueryTarget,
  rule: AlertRuleSpec,
  nowMs: number,
  minIntervalMs = 10_000,
): Promise<AlertInstance[]> {
  let reduced = await reduceQuery(target, rule, rule.query.query, rule.windowSeconds, nowMs, minIntervalMs);
  if (rule.minus) {
    const subtrahend = await reduceQuery(
      target,
      rule,
      rule.minus.query.query,
      rule.minus.windowSeconds,
      nowMs,
      minIntervalMs,
    );
    if (subtrahend.length > 1 || subtrahend.some((s) => Object.keys(s.labels).length > 0))
      throw new Error(`${rule.uid}: the second query must return one unlabelled number`);
    const minus = subtrahend[0]?.value;
    reduced = minus === undefined ? [] : reduced.map((r) => ({ ...r, value: r.value - minus }));
  }
  const instances: AlertInstance[] = [];
  for (const { labels, value } of reduced) {
    const firing = rule.threshold.type === 'gt' ? value > rule.threshold.value : value < rule.threshold.value;
    instances.push({ labels, value, firing });
  }
  return instances;
}

/** The labels of the instances that fire, as `tag=value` strings of the given tag. */
export async function firingBy(
  target: QueryTarget,
  uid: string,
  nowMs: number,
  tag: string,
): Promise<string[]> {
  const instances = await evaluateRule(target, ruleByUid(uid), nowMs);
  return instances
    .filter((i) => i.firing)
    .map((i) => i.labels[tag] ?? '')
    .sort();
}

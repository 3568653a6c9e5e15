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

/** Every series of the rule's query, reduced and compared with its threshold. */
export async function evaluateRule(
  target: QueryTarget,
  rule: AlertRuleSpec,
  nowMs: number,
  minIntervalMs = 10_000,
): Promise<AlertInstance[]> {
  const { query } = expandQuery(rule.query.query, {
    variables: [],
    fromMs: nowMs - rule.windowSeconds * 1000,
    toMs: nowMs,
    maxDataPoints: ALERT_MAX_DATA_POINTS,
    minIntervalMs,
  });
  const series = await runInfluxQL(target, query);
  const instances: AlertInstance[] = [];
  const seen = new Set<string>();
  for (const s of series) {
    const labels = s.tags ?? {};
    // Grafana refuses a result with two series of the same labels.
    const key = JSON.stringify(Object.entries(labels).sort());
    if (seen.has(key)) throw new Error(`${rule.uid}: two series with labels ${key}`);
    seen.add(key);
    const values = s.values.map((row) => row[1]).filter((v): v is number => typeof v === 'number');
    const value = reduce(values, rule.reducer);
    if (value === undefined) continue;
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

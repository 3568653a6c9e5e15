// Field names are spelled once, in the collector's catalogue (MEASUREMENTS); grafana's queries
// write them as InfluxQL identifiers. This test reads every panel and alert query and checks
// that each field it aggregates exists on the measurement it reads, so a renamed or misspelt
// field fails here instead of drawing an empty panel.
import {
  MEASUREMENT,
  MEASUREMENTS,
  type MeasurementSpec,
  maxField,
  rollupFieldKind,
  SAMPLES_FIELD,
} from '@dockwatch/collector';
import { alertRules, dashboardBuilds, RESOLUTIONS } from '@dockwatch/grafana';
import { describe, expect, it } from 'vitest';

interface NamedQuery {
  where: string;
  query: string;
}

function everyQuery(): NamedQuery[] {
  const queries: NamedQuery[] = [];
  for (const { dashboard } of Object.values(dashboardBuilds())) {
    for (const panel of dashboard.panels) {
      if (panel.type === 'row') continue;
      for (const target of panel.targets) {
        if ('query' in target)
          queries.push({ where: `${dashboard.uid} / ${panel.title}`, query: target.query });
      }
    }
  }
  for (const rule of alertRules()) {
    queries.push({ where: `alert ${rule.uid}`, query: rule.query.query });
    if (rule.minus) queries.push({ where: `alert ${rule.uid} D`, query: rule.minus.query.query });
  }
  return queries;
}

const ROLLUP_POLICIES = RESOLUTIONS.flatMap((r) => (r.retentionPolicy ? [r.retentionPolicy] : []));

/** Measurements named after FROM (rollups' in their retention policy), at any depth of subquery. */
function measurementsOf(query: string): string[] {
  return [...query.matchAll(/FROM (?:"([^"]+)"\.)?"((?:[^"\\]|\\.)+)"/g)].map((match) => {
    if (match[1] !== undefined && !ROLLUP_POLICIES.includes(match[1]))
      throw new Error(`unknown retention policy ${match[1]}`);
    return match[2] ?? '';
  });
}

/** A rollup's own fields: `samples`, and `f_max` of a gauge `f` of the spec. */
function isRollupField(spec: MeasurementSpec, name: string): boolean {
  if (name === SAMPLES_FIELD) return true;
  const suffix = maxField('');
  const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
  return base !== name && hasField(spec, base) && rollupFieldKind(spec.name, base) === 'gauge';
}

/** Identifiers given to a function as its first argument: `max("usage")`, `mean("x")`. */
function aggregatedIdentifiers(query: string): string[] {
  return [...query.matchAll(/\w+\("((?:[^"\\]|\\.)+)"/g)].map((match) => match[1] ?? '');
}

/** Names a subquery defines with AS, which an outer query may aggregate again. */
function aliases(query: string): Set<string> {
  return new Set([...query.matchAll(/ AS "((?:[^"\\]|\\.)+)"/g)].map((match) => match[1] ?? ''));
}

/** Whether `name` is a field of the spec: a literal name, or one of a `<family>` of keys. */
function hasField(spec: MeasurementSpec, name: string): boolean {
  return spec.fields.some((field) => field.name === name || /^<.+>$/.test(field.name));
}

describe('grafana queries use the collector catalogue', () => {
  const queries = everyQuery();

  it('finds the queries (a guard against a parser that reads nothing)', () => {
    expect(queries.length).toBeGreaterThan(40);
    expect(queries.every((q) => measurementsOf(q.query).length > 0)).toBe(true);
  });

  it('reads only measurements the collector writes', () => {
    const known = new Set(MEASUREMENTS.map((spec) => spec.name));
    const unknown = queries.flatMap((q) =>
      measurementsOf(q.query)
        .filter((name) => !known.has(name))
        .map((name) => `${q.where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('aggregates only fields the catalogue lists on that measurement', () => {
    const problems: string[] = [];
    for (const q of queries) {
      const specs = measurementsOf(q.query).flatMap((name) => MEASUREMENTS.filter((s) => s.name === name));
      // The prometheus measurement's fields are the scraped metric names: checked by the
      // kvstore and collector query proofs, not by the catalogue.
      if (specs.some((spec) => spec.name === MEASUREMENT.prometheus)) continue;
      const defined = aliases(q.query);
      for (const name of aggregatedIdentifiers(q.query)) {
        if (defined.has(name) || specs.some((spec) => hasField(spec, name))) continue;
        if (q.query.includes('"rollup_') && specs.some((spec) => isRollupField(spec, name))) continue;
        problems.push(`${q.where}: "${name}" is not a field of ${specs.map((s) => s.name).join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// The committed dashboards and alert rules are exactly what the TypeScript generates, and the
// generated queries follow the rules every panel must keep.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ALERT_RULE_UIDS,
  ALERTING_FILE,
  alertingProvisioning,
  alertRules,
  DASHBOARD_UIDS,
  DATASOURCE,
  dashboardBuilds,
  grafanaEnv,
  type InfluxQLTarget,
  type Panel,
  renderFiles,
} from '@dockwatch/grafana';

const grafanaDir = path.resolve(import.meta.dirname, '../../grafana');

describe('generated files', () => {
  const files = renderFiles();

  for (const [relative, content] of files) {
    it(`${relative} is committed and up to date (run \`npm run dashboards\`)`, () => {
      const onDisk = path.join(grafanaDir, relative);
      expect(existsSync(onDisk), `${relative} was never generated`).toBe(true);
      expect(readFileSync(onDisk, 'utf8')).toBe(content);
    });
  }

  it('leaves no stale dashboard behind', () => {
    const committed = readdirSync(path.join(grafanaDir, 'dashboards')).map((name) => `dashboards/${name}`);
    expect(committed.sort()).toEqual([...files.keys()].filter((f) => f.startsWith('dashboards/')).sort());
  });
});

describe('dashboards', () => {
  const builds = Object.values(dashboardBuilds());
  const panels = builds.flatMap(({ dashboard }) =>
    dashboard.panels
      .filter((panel): panel is Panel => panel.type !== 'row')
      .map((panel) => ({ dashboard, panel })),
  );

  it('use the pinned uids, each once', () => {
    expect(builds.map((b) => b.dashboard.uid).sort()).toEqual(Object.values(DASHBOARD_UIDS).sort());
  });

  it('refer to the datasource by its uid on every panel, target and variable', () => {
    for (const { panel } of panels) {
      expect(panel.datasource.uid).toBe(DATASOURCE.uid);
      for (const target of panel.targets) {
        if ('query' in target)
          expect(target.datasource).toEqual({ type: DATASOURCE.type, uid: DATASOURCE.uid });
      }
    }
    for (const { dashboard } of builds) {
      for (const variable of dashboard.templating.list) expect(variable.datasource.uid).toBe(DATASOURCE.uid);
      expect(JSON.stringify(dashboard)).not.toContain('${DS_');
    }
  });

  it('aggregate every panel query with GROUP BY time($__interval) inside the time filter', () => {
    for (const { panel } of panels) {
      for (const target of panel.targets.filter((t): t is InfluxQLTarget => 'query' in t)) {
        expect(target.rawQuery, panel.title).toBe(true);
        expect(target.query, panel.title).toContain('$timeFilter');
        expect(target.query, panel.title).toMatch(/GROUP BY time\(\$__interval\)/);
      }
    }
  });

  it('give every panel a unit, and a sorted multi tooltip on graphs', () => {
    for (const { panel } of panels) {
      if (panel.type === 'state-timeline') continue;
      expect(panel.fieldConfig.defaults.unit, panel.title).toBeTruthy();
      if (panel.type === 'timeseries') expect(panel.options.tooltip).toEqual({ mode: 'multi', sort: 'desc' });
    }
  });

  it('name per-container series by container', () => {
    for (const { panel } of panels) {
      for (const target of panel.targets.filter((t): t is InfluxQLTarget => 'query' in t)) {
        if (
          target.query.includes('"container_name"') &&
          /GROUP BY[^)]*\), "engine_host", "container_name"/.test(target.query)
        ) {
          expect(target.alias, panel.title).toBeDefined();
        }
      }
    }
  });

  it('have a proof for every query', () => {
    for (const { dashboard, proofs } of builds) {
      for (const variable of dashboard.templating.list)
        expect(proofs[`variable:${variable.name}`]).toBeDefined();
      for (const panel of dashboard.panels) {
        if (panel.type === 'row') continue;
        for (const target of panel.targets) {
          if ('query' in target)
            expect(proofs[`panel:${panel.id}:${target.refId}`], panel.title).toBeDefined();
        }
      }
    }
  });
});

describe('InfluxQL portability (1.x, 2.x and 3.x)', () => {
  // Functions InfluxDB 3's InfluxQL implements (docs: influxql feature-support) that the
  // dashboards may use; anything else (INTEGRAL, SAMPLE, HOLT_WINTERS...) is refused here.
  const PORTABLE = new Set([
    'mean',
    'max',
    'min',
    'last',
    'first',
    'count',
    'sum',
    'non_negative_derivative',
    'non_negative_difference',
    'time',
    'fill',
    // The resolution guards compare now() with the range's start.
    'now',
  ]);
  const queries = [
    ...Object.values(dashboardBuilds()).flatMap(({ dashboard }) => [
      ...dashboard.templating.list.map((variable) => variable.query),
      ...dashboard.panels.flatMap((panel) =>
        panel.type === 'row' ? [] : panel.targets.flatMap((t) => ('query' in t ? [t.query] : [])),
      ),
    ]),
    ...alertRules().flatMap((rule) => [rule.query.query, ...(rule.minus ? [rule.minus.query.query] : [])]),
  ];

  it('call only functions every version implements', () => {
    for (const query of queries) {
      for (const [, name] of query.matchAll(/([A-Za-z_]+)\(/g))
        expect(PORTABLE, query).toContain(name?.toLowerCase());
    }
  });

  it('avoid clauses and metaqueries InfluxDB 3 lacks', () => {
    for (const query of queries) {
      expect(query).not.toMatch(/\b(SLIMIT|SOFFSET|INTO)\b|SHOW (SERIES|DATABASES)|CARDINALITY/i);
      if (query.startsWith('SHOW'))
        expect(query).toMatch(/^SHOW TAG VALUES FROM "rollup_1m"\."[a-z_]+" WITH KEY = /);
    }
  });

  it('bound every SHOW TAG VALUES by the time range, which InfluxDB 3 otherwise cuts at 24 h', () => {
    for (const { dashboard } of Object.values(dashboardBuilds())) {
      for (const variable of dashboard.templating.list) {
        if (!variable.query.startsWith('SHOW TAG VALUES')) continue;
        expect(variable.query, variable.name).toMatch(/ WHERE (.* AND )?\$timeFilter$/);
        // Refreshed when the range changes, so the bound is the range on screen.
        expect(variable.refresh, variable.name).toBe(2);
      }
    }
  });
});

describe('alert rules', () => {
  const document = parse(readFileSync(path.join(grafanaDir, ALERTING_FILE), 'utf8')) as {
    groups: Array<{
      rules: Array<{
        uid: string;
        condition: string;
        data: Array<{ refId: string; datasourceUid: string; model: { query?: string } }>;
      }>;
    }>;
    contactPoints: Array<{ receivers: Array<{ type: string; settings: { url: string } }> }>;
  };
  const rules = document.groups.flatMap((group) => group.rules);

  it('cover the seventeen conditions, with unique uids of at most 40 characters', () => {
    expect(rules).toHaveLength(17);
    expect(new Set(rules.map((r) => r.uid)).size).toBe(17);
    expect(rules.map((r) => r.uid).sort()).toEqual(Object.values(ALERT_RULE_UIDS).sort());
    for (const rule of rules) expect(rule.uid.length).toBeLessThanOrEqual(40);
  });

  it('query the datasource by uid, with the time filter and no dashboard variable', () => {
    for (const rule of rules) {
      const query = rule.data.find((d) => d.refId === 'A');
      expect(query?.datasourceUid).toBe(DATASOURCE.uid);
      expect(query?.model.query).toContain('$timeFilter');
      expect(query?.model.query).not.toMatch(/\$(host|container|instance)\b/);
      expect(rule.data.map((d) => d.refId)).toContain(rule.condition);
    }
  });

  it('send to a webhook taken from the environment', () => {
    expect(document.contactPoints[0]?.receivers[0]).toMatchObject({
      type: 'webhook',
      settings: { url: grafanaEnv('ALERT_WEBHOOK_URL') },
    });
  });

  it('have a proof for every alert query', () => {
    const { proofs } = alertingProvisioning();
    for (const rule of rules)
      for (const data of rule.data)
        if (data.datasourceUid === DATASOURCE.uid)
          expect(proofs[`alert:${rule.uid}:${data.refId}`]).toBeDefined();
  });
});

describe('provisioning files', () => {
  const datasource = parse(
    readFileSync(path.join(grafanaDir, 'provisioning/datasources/influxdb.yaml'), 'utf8'),
  ) as {
    datasources: Array<
      Record<string, unknown> & { jsonData: Record<string, unknown>; secureJsonData: Record<string, unknown> }
    >;
  };
  const ds = datasource.datasources[0];

  it('provision the InfluxQL datasource with the pinned uid, POST, token header and the collector interval', () => {
    expect(ds).toMatchObject({ uid: DATASOURCE.uid, type: 'influxdb', url: grafanaEnv('INFLUXDB_URL') });
    expect(ds?.jsonData).toMatchObject({
      version: 'InfluxQL',
      dbName: grafanaEnv('INFLUXDB_BUCKET'),
      httpMode: 'POST',
      timeInterval: grafanaEnv('COLLECT_INTERVAL'),
      httpHeaderName1: 'Authorization',
    });
    expect(ds?.secureJsonData.httpHeaderValue1).toBe(`Token ${grafanaEnv('INFLUXDB_TOKEN')}`);
  });

  it('load dashboards from files', () => {
    const provider = parse(
      readFileSync(path.join(grafanaDir, 'provisioning/dashboards/dockwatch.yaml'), 'utf8'),
    ) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(provider.providers[0]).toMatchObject({ type: 'file', options: { path: expect.any(String) } });
  });
});

// The alerting provisioning file: rule groups, the webhook contact point and the policy
// that routes every dockwatch alert to it.
import type { Proof } from '../model/proof.js';
import {
  ALERT_FOLDER,
  ALERT_WEBHOOK_ENV,
  CONTACT_POINT,
  DATASOURCE,
  EXPRESSION_DATASOURCE_UID,
  grafanaEnv,
} from '../settings.js';
import { ALERT_GROUPS, type AlertRuleOptions, type AlertRuleSpec, alertRules } from './rules.js';

/** Grafana alerting evaluates alert queries with this resolution. */
export const ALERT_MAX_DATA_POINTS = 43200;
export const ALERT_INTERVAL_MS = 1000;

function influxQuery(refId: string, query: string, windowSeconds: number) {
  return {
    refId,
    relativeTimeRange: { from: windowSeconds, to: 0 },
    datasourceUid: DATASOURCE.uid,
    model: {
      refId,
      datasource: { type: DATASOURCE.type, uid: DATASOURCE.uid },
      rawQuery: true,
      query,
      resultFormat: 'time_series',
      intervalMs: ALERT_INTERVAL_MS,
      maxDataPoints: ALERT_MAX_DATA_POINTS,
    },
  };
}

function expression(refId: string, model: Record<string, unknown>) {
  return {
    refId,
    datasourceUid: EXPRESSION_DATASOURCE_UID,
    model: {
      refId,
      datasource: { type: EXPRESSION_DATASOURCE_UID, uid: EXPRESSION_DATASOURCE_UID },
      ...model,
    },
  };
}

function ruleData(rule: AlertRuleSpec) {
  const reduce = (input: string) => ({
    type: 'reduce',
    expression: input,
    reducer: rule.reducer,
    settings: { mode: 'dropNN' },
  });
  const difference = rule.minus
    ? [
        influxQuery('D', rule.minus.query.query, rule.minus.windowSeconds),
        expression('E', reduce('D')),
        expression('F', { type: 'math', expression: '$B - $E' }),
      ]
    : [];
  return [
    influxQuery('A', rule.query.query, rule.windowSeconds),
    expression('B', reduce('A')),
    ...difference,
    {
      refId: 'C',
      datasourceUid: EXPRESSION_DATASOURCE_UID,
      model: {
        refId: 'C',
        datasource: { type: EXPRESSION_DATASOURCE_UID, uid: EXPRESSION_DATASOURCE_UID },
        type: 'threshold',
        expression: rule.minus ? 'F' : 'B',
        conditions: [{ evaluator: { type: rule.threshold.type, params: [rule.threshold.value] } }],
      },
    },
  ];
}

export interface AlertingBuild {
  /** The provisioning document (serialised to YAML by the generator). */
  document: Record<string, unknown>;
  /** Keyed `alert:<uid>:A`: what each alert query must return. */
  proofs: Record<string, Proof>;
}

export function alertingProvisioning(options: AlertRuleOptions = {}): AlertingBuild {
  const rules = alertRules(options);
  const proofs: Record<string, Proof> = {};
  const groups = ALERT_GROUPS.map((group) => ({
    orgId: 1,
    name: group,
    folder: ALERT_FOLDER,
    interval: '1m',
    rules: rules
      .filter((rule) => rule.group === group)
      .map((rule) => {
        proofs[`alert:${rule.uid}:A`] = rule.query.proof;
        if (rule.minus) proofs[`alert:${rule.uid}:D`] = rule.minus.query.proof;
        return {
          uid: rule.uid,
          title: rule.title,
          condition: 'C',
          data: ruleData(rule),
          noDataState: rule.noDataState,
          execErrState: 'Error',
          for: rule.for,
          annotations: { summary: rule.summary },
          labels: { severity: rule.severity, source: 'dockwatch' },
          isPaused: false,
        };
      }),
  }));
  return {
    document: {
      apiVersion: 1,
      groups,
      contactPoints: [
        {
          orgId: 1,
          name: CONTACT_POINT.name,
          receivers: [
            {
              uid: CONTACT_POINT.uid,
              type: 'webhook',
              disableResolveMessage: false,
              settings: { url: grafanaEnv(ALERT_WEBHOOK_ENV), httpMethod: 'POST' },
            },
          ],
        },
      ],
      policies: [
        {
          orgId: 1,
          receiver: CONTACT_POINT.name,
          group_by: ['grafana_folder', 'alertname'],
          group_wait: '30s',
          group_interval: '5m',
          repeat_interval: '4h',
        },
      ],
    },
    proofs,
  };
}

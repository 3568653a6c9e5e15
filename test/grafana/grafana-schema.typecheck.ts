// Type-level test: compiled by `tsc -p test` (part of `npm run lint`), never run. The dashboard
// types are checked against Grafana's own (@grafana/schema), so every `@ts-expect-error` below
// must stay an error: were the check loosened (options or custom field config back to
// `Record<string, unknown>`, a model field Grafana does not know), a directive would go unused
// and lint would fail.
import type {
  Dashboard,
  FieldConfig,
  Fits,
  GrafanaDashboard,
  GrafanaPanel,
  Panel,
  PanelOptions,
  QueryVariable,
  StatOptions,
  TimeSeriesFieldConfig,
  TimeSeriesOptions,
} from '@dockwatch/grafana';

// What the builders emit is assignable to Grafana's dashboard and panel types.
declare const built: Dashboard;
export const _dashboard: GrafanaDashboard = built;
declare const builtPanel: Panel;
export const _panel: GrafanaPanel = builtPanel;

const options: TimeSeriesOptions = {
  legend: { showLegend: true, displayMode: 'table', placement: 'bottom', calcs: ['mean'] },
  tooltip: { mode: 'multi', sort: 'desc' },
};
const fieldConfig: FieldConfig<TimeSeriesFieldConfig> = {
  defaults: { unit: 'percent', custom: { drawStyle: 'line', lineWidth: 1 } },
  overrides: [],
};
const base = {
  id: 1,
  title: 'CPU',
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  datasource: { type: 'influxdb', uid: 'dockwatch-influxdb' },
  targets: [],
};

export const _valid: Panel<'timeseries'> = { ...base, type: 'timeseries', fieldConfig, options };

export const _unknownPanelField: Panel<'timeseries'> = {
  ...base,
  type: 'timeseries',
  fieldConfig,
  options,
  // @ts-expect-error Grafana's Panel has no `colour`.
  colour: 'red',
};

export const _unknownOption: Panel<'timeseries'> = {
  ...base,
  type: 'timeseries',
  fieldConfig,
  options: {
    ...options,
    // @ts-expect-error the timeseries legend has no `position` (it is `placement`).
    legend: { showLegend: true, placement: 'bottom', calcs: [], position: 'bottom' },
  },
};

export const _wrongOptionValue: PanelOptions<'timeseries'> = {
  ...options,
  // @ts-expect-error a tooltip mode is 'single', 'multi' or 'none'.
  tooltip: { mode: 'all', sort: 'desc' },
};

const statOptions: StatOptions = {
  reduceOptions: { calcs: ['lastNotNull'] },
  colorMode: 'value',
  graphMode: 'area',
  textMode: 'auto',
  justifyMode: 'auto',
  orientation: 'auto',
};

export const _statOptionsOnTimeseries: Panel<'timeseries'> = {
  ...base,
  type: 'timeseries',
  fieldConfig,
  // @ts-expect-error a timeseries panel takes timeseries options, not a stat's.
  options: statOptions,
};

export const _wrongCustomType: FieldConfig<TimeSeriesFieldConfig> = {
  // @ts-expect-error lineWidth is a number.
  defaults: { custom: { lineWidth: '1' } },
  overrides: [],
};

export const _unknownCustomField: FieldConfig<TimeSeriesFieldConfig> = {
  // @ts-expect-error GraphFieldConfig has no `lineWdth`.
  defaults: { custom: { lineWdth: 1 } },
  overrides: [],
};

export const _wrongThresholdsMode: FieldConfig<TimeSeriesFieldConfig> = {
  // @ts-expect-error thresholds are 'absolute' or 'percentage'.
  defaults: { thresholds: { mode: 'absolut', steps: [] } },
  overrides: [],
};

// A stat has no custom field config in Grafana's schema.
export const _statCustom: FieldConfig<never> = {
  // @ts-expect-error nothing is assignable to `never`.
  defaults: { custom: { lineWidth: 1 } },
  overrides: [],
};

export const _dashboardFields: GrafanaDashboard = {
  schemaVersion: 39,
  // @ts-expect-error `style` was dropped from Grafana's dashboard model.
  style: 'dark',
};

export const _dashboardCursorSync: GrafanaDashboard = {
  schemaVersion: 39,
  // @ts-expect-error graphTooltip is 0 (off), 1 (crosshair) or 2 (tooltip).
  graphTooltip: 3,
};

// A model type may only declare fields Grafana knows, with types Grafana accepts.
// @ts-expect-error `style` is not a dashboard field.
export type _ModelUnknownField = Fits<{ schemaVersion: number; style: string }, GrafanaDashboard>;
// @ts-expect-error schemaVersion is a number.
export type _ModelWrongType = Fits<{ schemaVersion: string }, GrafanaDashboard>;

const variable = {
  type: 'query',
  name: 'host',
  label: 'Host',
  datasource: { type: 'influxdb', uid: 'dockwatch-influxdb' },
  query: 'SHOW TAG VALUES WITH KEY = "engine_host"',
  definition: 'SHOW TAG VALUES WITH KEY = "engine_host"',
  refresh: 2,
  multi: false,
  includeAll: false,
  current: { text: '', value: '' },
  options: [],
  regex: '',
  sort: 1,
  hide: 0,
  skipUrlSync: false,
} satisfies QueryVariable;

export const _variableUnknownField: QueryVariable = {
  ...variable,
  // @ts-expect-error a variable has no `allOption` (it is `includeAll` and `allValue`).
  allOption: '.*',
};

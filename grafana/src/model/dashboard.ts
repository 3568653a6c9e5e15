// The subset of Grafana's dashboard JSON model (schemaVersion 39) that dockwatch generates.
// Typed here rather than taken from @grafana/grafana-foundation-sdk: see grafana/README.md.

export interface DatasourceRef {
  type: string;
  uid: string;
}

/** A raw InfluxQL target: Grafana sends `query` as written after variable and macro expansion. */
export interface InfluxQLTarget {
  refId: string;
  datasource: DatasourceRef;
  rawQuery: true;
  query: string;
  resultFormat: 'time_series' | 'table';
  /** Series name in the legend; `$tag_<key>` and `$col` are Grafana InfluxDB alias patterns. */
  alias?: string;
  /** Hidden targets feed an expression without being drawn. */
  hide?: boolean;
}

/** A Grafana server-side expression computed from other targets of the same panel. */
export interface ExpressionTarget {
  refId: string;
  datasource: DatasourceRef;
  type: 'math';
  expression: string;
  hide?: boolean;
}

export type Target = InfluxQLTarget | ExpressionTarget;

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ThresholdStep {
  color: string;
  value: number | null;
}

export interface ValueMapping {
  type: 'value';
  options: Record<string, { text: string; color: string; index: number }>;
}

export interface FieldConfig {
  defaults: {
    unit?: string;
    min?: number;
    max?: number;
    decimals?: number;
    color?: { mode: string };
    thresholds?: { mode: 'absolute'; steps: ThresholdStep[] };
    mappings?: ValueMapping[];
    custom?: Record<string, unknown>;
  };
  overrides: unknown[];
}

export interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'state-timeline' | 'text';
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource: DatasourceRef;
  targets: Target[];
  fieldConfig: FieldConfig;
  options: Record<string, unknown>;
  /** Lower bound of $__interval for this panel; unset means the datasource's timeInterval. */
  interval?: string;
  /** Unset means the panel's width in pixels, as Grafana does. */
  maxDataPoints?: number;
}

export interface RowPanel {
  id: number;
  type: 'row';
  title: string;
  gridPos: GridPos;
  collapsed: false;
  panels: [];
}

export interface VariableOption {
  text: string;
  value: string;
  selected: boolean;
}

export interface QueryVariable {
  type: 'query';
  name: string;
  label: string;
  datasource: DatasourceRef;
  query: string;
  definition: string;
  /** 1: on dashboard load, 2: on time range change. */
  refresh: 1 | 2;
  multi: boolean;
  includeAll: boolean;
  /** Inserted verbatim for "All"; unset means every option as (a|b|c). */
  allValue?: string;
  current: { text: string | string[]; value: string | string[] };
  options: VariableOption[];
  regex: string;
  /** 1: alphabetical ascending. */
  sort: 1;
  hide: 0;
  skipUrlSync: false;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: 'browser';
  editable: boolean;
  /** 1: shared crosshair across panels. */
  graphTooltip: 1;
  schemaVersion: number;
  version: 1;
  refresh: string;
  time: { from: string; to: string };
  templating: { list: QueryVariable[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Array<Panel | RowPanel>;
}

// The subset of Grafana's dashboard JSON model (schemaVersion 39) that dockwatch generates.
// Narrower than Grafana's types (required fields, literal values), and each checked against
// them (src/model/grafana.ts, from @grafana/schema): a field Grafana does not know, or a type it
// does not accept, fails the build. Why builders of our own rather than an SDK: grafana/README.md.
import type {
  Fits,
  GrafanaAnnotationContainer,
  GrafanaDashboard,
  GrafanaDashboardLink,
  GrafanaDataSourceRef,
  GrafanaFieldConfigSource,
  GrafanaGridPos,
  GrafanaPanel,
  GrafanaRowPanel,
  GrafanaTarget,
  GrafanaThreshold,
  GrafanaValueMap,
  GrafanaVariable,
  GrafanaVariableOption,
  GrafanaTransformation,
  StateTimelineFieldConfig,
  StateTimelineOptions,
  StatOptions,
  TableFieldConfig,
  TableOptions,
  TimeSeriesFieldConfig,
  TimeSeriesOptions,
} from './grafana.js';

export type DatasourceRef = Fits<{ type: string; uid: string }, GrafanaDataSourceRef>;

/** A raw InfluxQL target: Grafana sends `query` as written after variable and macro expansion. */
export type InfluxQLTarget = Fits<
  {
    refId: string;
    datasource: DatasourceRef;
    rawQuery: true;
    query: string;
    resultFormat: 'time_series' | 'table';
    /** Series name in the legend; `$tag_<key>` and `$col` are Grafana InfluxDB alias patterns. */
    alias?: string;
    /** Hidden targets feed an expression without being drawn. */
    hide?: boolean;
  },
  GrafanaTarget
>;

/** A Grafana server-side expression computed from other targets of the same panel. */
export type ExpressionTarget = Fits<
  {
    refId: string;
    datasource: DatasourceRef;
    type: 'math';
    expression: string;
    hide?: boolean;
  },
  GrafanaTarget
>;

export type Target = InfluxQLTarget | ExpressionTarget;

export type GridPos = GrafanaGridPos;

export type ThresholdStep = GrafanaThreshold;

export type ValueMapping = GrafanaValueMap;

/** Field defaults and (none, here) overrides, with `custom` typed by the panel kind. */
export type FieldConfig<Custom = never> = GrafanaFieldConfigSource<Custom>;

/** Each panel kind dockwatch draws, with Grafana's options and custom field config for it. */
interface PanelKinds {
  timeseries: { options: TimeSeriesOptions; custom: TimeSeriesFieldConfig };
  stat: { options: StatOptions; custom: never };
  'state-timeline': { options: StateTimelineOptions; custom: StateTimelineFieldConfig };
  table: { options: TableOptions; custom: TableFieldConfig };
}

export type Transformation = GrafanaTransformation;

export type PanelType = keyof PanelKinds;
export type PanelOptions<K extends PanelType> = PanelKinds[K]['options'];
export type PanelFieldConfig<K extends PanelType> = FieldConfig<PanelKinds[K]['custom']>;

type PanelOfKind<K extends PanelType> = Fits<
  {
    id: number;
    type: K;
    title: string;
    description?: string;
    gridPos: GridPos;
    datasource: DatasourceRef;
    targets: Target[];
    fieldConfig: PanelFieldConfig<K>;
    options: PanelOptions<K>;
    /** Lower bound of $__interval for this panel; unset means the datasource's timeInterval. */
    interval?: string;
    /** Unset means the panel's width in pixels, as Grafana does. */
    maxDataPoints?: number;
    /** Applied by Grafana to the query results before drawing (tables: reduce, sort, limit). */
    transformations?: Transformation[];
  },
  GrafanaPanel
>;

/** A panel of kind `K` (all kinds by default), its options and field config those of that kind. */
export type Panel<K extends PanelType = PanelType> = { [P in K]: PanelOfKind<P> }[K];

export type RowPanel = Fits<
  {
    id: number;
    type: 'row';
    title: string;
    gridPos: GridPos;
    collapsed: false;
    panels: [];
  },
  GrafanaRowPanel
>;

export type VariableOption = GrafanaVariableOption;

export type QueryVariable = Fits<
  {
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
    current: VariableOption;
    options: VariableOption[];
    regex: string;
    /** 1: alphabetical ascending. */
    sort: 1;
    hide: 0;
    skipUrlSync: false;
  },
  GrafanaVariable
>;

export type Dashboard = Fits<
  {
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
    annotations: GrafanaAnnotationContainer;
    links: GrafanaDashboardLink[];
    panels: Array<Panel | RowPanel>;
  },
  GrafanaDashboard
>;

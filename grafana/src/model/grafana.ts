// Grafana's own types for what dockwatch generates, from @grafana/schema (Apache-2.0, published
// with each Grafana release and pinned to the version compose runs). Grafana cannot run here,
// so the compiler checks the dashboards' shape against these. Imported as types only: neither
// the generator nor its output loads the package.
import type * as schema from '@grafana/schema';
import type { QueryVariableSpec } from '@grafana/schema/apis/dashboard.grafana.app/v2';
import type * as stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as stateTimeline from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type * as timeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/**
 * A Grafana type as JSON spells it: a string enum member is its value (`'absolute'`, not
 * `ThresholdsMode.Absolute`, which would need the package at run time). Numeric enums already
 * accept their numbers. Everything else, optional fields included, is Grafana's type unchanged.
 */
export type Json<T> = T extends string ? `${T}` : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

/**
 * `T`, once the compiler has checked that it fits Grafana's type `G`: every field of `T` is one
 * `G` declares (an unknown field is an error), with a type `G` accepts.
 */
export type Fits<T extends G & UnknownTo<T, G>, G> = T;
type UnknownTo<T, G> = { [K in Exclude<keyof T, keyof G>]: never };

/**
 * A panel plugin's options with keys `K` left out: Grafana's schema requires them, and Grafana
 * fills every option a saved dashboard leaves out from the plugin's defaults when it loads the
 * panel. Only the keys named here may be left out.
 */
type PluginDefaulted<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

export type GrafanaDashboard = Json<schema.Dashboard>;
export type GrafanaPanel = Json<schema.Panel>;
export type GrafanaRowPanel = Json<schema.RowPanel>;
export type GrafanaGridPos = Json<schema.GridPos>;
export type GrafanaDataSourceRef = Json<schema.DataSourceRef>;
export type GrafanaThreshold = Json<schema.Threshold>;
export type GrafanaValueMap = Json<schema.ValueMap>;
export type GrafanaVariableOption = Json<schema.VariableOption>;
export type GrafanaAnnotationContainer = Json<schema.AnnotationContainer>;
export type GrafanaDashboardLink = Json<schema.DashboardLink>;
export type GrafanaTransformation = Json<schema.DataTransformerConfig>;

/**
 * A dashboard variable. `definition` (the query as the variables list shows it) is read and
 * written by Grafana for query variables and typed in its v2 `QueryVariableSpec`, but absent
 * from the v1 `VariableModel`; it is the one field added here.
 */
export type GrafanaVariable = Json<schema.VariableModel> & Pick<QueryVariableSpec, 'definition'>;

/**
 * A panel target. Grafana types it as its `DataQuery` plus whatever the datasource plugin
 * defines; the InfluxDB plugin's query model is not in @grafana/schema, so only the common
 * fields (refId, hide, datasource) are checked here, and the harness proves the rest.
 */
export type GrafanaTarget = Json<schema.DataQuery> & Record<string, unknown>;

/** A field's defaults, with `custom` typed by the panel kind (`never`: the kind has none). */
export type GrafanaFieldDefaults<Custom> = Json<Omit<schema.FieldConfig, 'custom'>> & { custom?: Custom };
export type GrafanaFieldConfigSource<Custom> = Omit<Json<schema.FieldConfigSource>, 'defaults'> & {
  defaults: GrafanaFieldDefaults<Custom>;
};

export type TimeSeriesOptions = Json<timeSeries.Options>;
export type TimeSeriesFieldConfig = Json<timeSeries.FieldConfig>;
/** The percent-change and wide-layout options are left to the stat plugin's defaults. */
export type StatOptions = Json<
  PluginDefaulted<stat.Options, 'percentChangeColorMode' | 'showPercentChange' | 'wideLayout'>
>;
/** The legend's `calcs` (none, by default) is left to the state-timeline plugin's defaults. */
export type StateTimelineOptions = Json<
  Omit<stateTimeline.Options, 'legend'> & { legend: PluginDefaulted<schema.VizLegendOptions, 'calcs'> }
>;
export type StateTimelineFieldConfig = Json<stateTimeline.FieldConfig>;
export type TableOptions = Json<table.Options>;
export type TableFieldConfig = Json<table.FieldConfig>;

// Typed panel builders: a panel is declared by what it shows (queries, unit, thresholds);
// ids and grid positions are assigned when the dashboard is assembled. Options and field
// config are Grafana's types for each panel kind (src/model/grafana.ts). Optional fields are
// written as fields, `undefined` when unset (JSON.stringify leaves them out), not spread in:
// the compiler checks the names of written fields only.
import type {
  PanelFieldConfig,
  PanelOptions,
  PanelType,
  ThresholdStep,
  Transformation,
  ValueMapping,
} from '../model/dashboard.js';
import type { TimeSeriesOptions } from '../model/grafana.js';
import type { QuerySpec } from '../model/proof.js';

/** A server-side expression over the panel's other targets, e.g. `$A / $B`. */
export interface MathSpec {
  math: string;
}

export type TargetSpec = QuerySpec | MathSpec;

interface PanelSpecOfKind<K extends PanelType> {
  type: K;
  title: string;
  description: string;
  /** Width in grid columns (24 is the full width) and height in grid rows. */
  width: number;
  height: number;
  targets: TargetSpec[];
  /** refIds of targets used only as expression inputs. */
  hidden?: string[];
  /** Grafana's field config and options for this kind of panel. */
  fieldConfig: PanelFieldConfig<K>;
  options: PanelOptions<K>;
  /** Fixed resolution; unset means the panel's width in pixels. */
  maxDataPoints?: number;
  /** Lower bound of $__interval; unset means the datasource's timeInterval. */
  interval?: string;
  transformations?: Transformation[];
}

/** A panel of kind `K` (any kind by default) before layout. */
export type PanelSpec<K extends PanelType = PanelType> = { [P in K]: PanelSpecOfKind<P> }[K];

export interface RowSpec {
  type: 'row';
  title: string;
}

export type LayoutItem = PanelSpec | RowSpec;

export const GREEN_AMBER_RED = (amber: number, red: number): ThresholdStep[] => [
  { color: 'green', value: null },
  { color: 'orange', value: amber },
  { color: 'red', value: red },
];

const NO_THRESHOLDS: ThresholdStep[] = [{ color: 'green', value: null }];

/** Legend as a table of series names with mean/max/last, sorted by max; tooltip lists all series, largest first. */
const TIMESERIES_OPTIONS: TimeSeriesOptions = {
  legend: {
    showLegend: true,
    displayMode: 'table',
    placement: 'bottom',
    calcs: ['mean', 'max', 'lastNotNull'],
    sortBy: 'Max',
    sortDesc: true,
  },
  tooltip: { mode: 'multi', sort: 'desc' },
};

export interface TimeseriesInput {
  title: string;
  description: string;
  unit: string;
  targets: TargetSpec[];
  width?: number;
  height?: number;
  thresholds?: ThresholdStep[];
  min?: number;
  max?: number;
  bars?: boolean;
  hidden?: string[];
  /** Lower bound of $__interval, for data written less often than the collector's interval. */
  interval?: string;
}

export function timeseries(input: TimeseriesInput): PanelSpec<'timeseries'> {
  const thresholds = input.thresholds ?? NO_THRESHOLDS;
  return {
    type: 'timeseries',
    title: input.title,
    description: input.description,
    width: input.width ?? 12,
    height: input.height ?? 8,
    targets: input.targets,
    hidden: input.hidden,
    interval: input.interval,
    fieldConfig: {
      defaults: {
        unit: input.unit,
        min: input.min,
        max: input.max,
        color: { mode: 'palette-classic' },
        thresholds: { mode: 'absolute', steps: thresholds },
        custom: {
          drawStyle: input.bars ? 'bars' : 'line',
          lineWidth: 1,
          fillOpacity: input.bars ? 80 : 10,
          showPoints: 'never',
          spanNulls: false,
          axisSoftMin: 0,
          thresholdsStyle: { mode: thresholds.length > 1 ? 'line+area' : 'off' },
        },
      },
      overrides: [],
    },
    options: TIMESERIES_OPTIONS,
  };
}

export interface StatInput {
  title: string;
  description: string;
  unit: string;
  targets: QuerySpec[];
  /** How the series becomes one number: the latest value, or the total over the range. */
  reduce: 'lastNotNull' | 'sum';
  thresholds?: ThresholdStep[];
  /** Shown when the query matches nothing: an event count with no events is 0, not "No data". */
  noValue?: string;
  width?: number;
}

/**
 * A stat's sparkline needs few points, and a fixed resolution keeps a narrow stat from
 * being handed a rounded-down $__interval that returns more points than it is wide.
 */
export const STAT_MAX_DATA_POINTS = 100;

export function stat(input: StatInput): PanelSpec<'stat'> {
  return {
    type: 'stat',
    title: input.title,
    description: input.description,
    width: input.width ?? 6,
    height: 4,
    maxDataPoints: STAT_MAX_DATA_POINTS,
    targets: input.targets,
    fieldConfig: {
      defaults: {
        unit: input.unit,
        noValue: input.noValue,
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: input.thresholds ?? NO_THRESHOLDS },
      },
      overrides: [],
    },
    options: {
      reduceOptions: { calcs: [input.reduce], fields: '', values: false },
      colorMode: 'value',
      graphMode: 'area',
      textMode: 'auto',
      justifyMode: 'auto',
      orientation: 'auto',
    },
  };
}

export interface StateTimelineInput {
  title: string;
  description: string;
  targets: QuerySpec[];
  mappings: ValueMapping[];
  width?: number;
  height?: number;
}

export function stateTimeline(input: StateTimelineInput): PanelSpec<'state-timeline'> {
  return {
    type: 'state-timeline',
    title: input.title,
    description: input.description,
    width: input.width ?? 24,
    height: input.height ?? 8,
    targets: input.targets,
    fieldConfig: {
      defaults: {
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: NO_THRESHOLDS },
        mappings: input.mappings,
        custom: { fillOpacity: 80, lineWidth: 0 },
      },
      overrides: [],
    },
    options: {
      mergeValues: true,
      showValue: 'auto',
      alignValue: 'left',
      rowHeight: 0.9,
      legend: { showLegend: true, displayMode: 'list', placement: 'bottom' },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

export interface TopTableInput {
  title: string;
  description: string;
  unit: string;
  targets: QuerySpec[];
  /** What ranks the series: their mean over the range, or their latest value. */
  rankBy: 'mean' | 'lastNotNull';
  /** Rows kept after sorting. */
  limit: number;
  thresholds?: ThresholdStep[];
  width?: number;
  height?: number;
}

/** Grafana's column titles for the reduce transformation's calculations. */
const REDUCER_COLUMN = { mean: 'Mean', max: 'Max', lastNotNull: 'Last *' } as const;

/**
 * The largest series first: Grafana reduces each series to a row (its mean, max and latest
 * value), sorts the rows and keeps the first `limit`. InfluxQL's TOP is not portable to
 * InfluxDB 3, and ranking in the browser also keeps the query the same as the graphs'.
 */
export function topTable(input: TopTableInput): PanelSpec<'table'> {
  return {
    type: 'table',
    title: input.title,
    description: input.description,
    width: input.width ?? 12,
    height: input.height ?? 8,
    maxDataPoints: STAT_MAX_DATA_POINTS,
    targets: input.targets,
    transformations: [
      { id: 'reduce', options: { mode: 'seriesToRows', reducers: ['mean', 'max', 'lastNotNull'] } },
      { id: 'sortBy', options: { sort: [{ field: REDUCER_COLUMN[input.rankBy], desc: true }] } },
      { id: 'limit', options: { limitField: input.limit } },
    ],
    fieldConfig: {
      defaults: {
        unit: input.unit,
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: input.thresholds ?? NO_THRESHOLDS },
        custom: { align: 'auto', cellOptions: { type: 'auto' }, inspect: false },
      },
      overrides: [],
    },
    options: { frameIndex: 0, showHeader: true },
  };
}

export function row(title: string): RowSpec {
  return { type: 'row', title };
}

/** Docker health states, coloured the way people read them. */
export const HEALTH_MAPPINGS: ValueMapping[] = [
  {
    type: 'value',
    options: {
      healthy: { text: 'healthy', color: 'green', index: 0 },
      starting: { text: 'starting', color: 'yellow', index: 1 },
      unhealthy: { text: 'unhealthy', color: 'red', index: 2 },
    },
  },
];

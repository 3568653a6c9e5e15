// How Grafana's server picks $__interval: the range divided by the panel's max data points,
// never below the minimum interval (panel interval, else the datasource's timeInterval),
// rounded to a "nice" step.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const YEAR = 365 * DAY;

/** Grafana's default resolution when a query carries no maxDataPoints. */
export const DEFAULT_MAX_DATA_POINTS = 1500;

// [upper bound (exclusive), rounded value] in ms, as in Grafana's roundInterval.
const ROUNDING: ReadonlyArray<readonly [number, number]> = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, SECOND],
  [3500, 2 * SECOND],
  [7500, 5 * SECOND],
  [12500, 10 * SECOND],
  [17500, 15 * SECOND],
  [25000, 20 * SECOND],
  [45000, 30 * SECOND],
  [90000, MINUTE],
  [210000, 2 * MINUTE],
  [450000, 5 * MINUTE],
  [750000, 10 * MINUTE],
  [1050000, 15 * MINUTE],
  [1500000, 20 * MINUTE],
  [2700000, 30 * MINUTE],
  [5400000, HOUR],
  [9000000, 2 * HOUR],
  [16200000, 3 * HOUR],
  [32400000, 6 * HOUR],
  [86400000, 12 * HOUR],
  [604800000, DAY],
  [1814400000, WEEK],
  [3628800000, 30 * DAY],
];

export function roundInterval(ms: number): number {
  for (const [below, rounded] of ROUNDING) if (ms < below) return rounded;
  return YEAR;
}

const UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: WEEK, y: YEAR };

/** Parses a Grafana interval such as `10s`, `1m`, `500ms` (a bare number means seconds). */
export function parseInterval(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)?$/.exec(text.trim());
  if (!match) throw new Error(`not an interval: "${text}" (expected e.g. 10s, 1m, 500ms)`);
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? SECOND));
}

/** The interval as its largest whole unit, truncated: 90 s is `1m`; below 1 ms is `1ms`. */
export function formatInterval(ms: number): string {
  const steps: Array<[number, string]> = [
    [YEAR, 'y'],
    [WEEK, 'w'],
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'm'],
    [SECOND, 's'],
    [1, 'ms'],
  ];
  for (const [size, unit] of steps) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return '1ms';
}

export interface IntervalInput {
  fromMs: number;
  toMs: number;
  /** The panel's max data points (its width in pixels unless set); 0 means Grafana's default. */
  maxDataPoints: number;
  /** Panel min interval, else the datasource's timeInterval. */
  minIntervalMs: number;
}

/** The interval Grafana uses for $__interval, in ms. */
export function calculateIntervalMs({ fromMs, toMs, maxDataPoints, minIntervalMs }: IntervalInput): number {
  const resolution = maxDataPoints > 0 ? maxDataPoints : DEFAULT_MAX_DATA_POINTS;
  const raw = Math.floor((toMs - fromMs) / resolution);
  if (raw < minIntervalMs) return minIntervalMs;
  return roundInterval(raw);
}

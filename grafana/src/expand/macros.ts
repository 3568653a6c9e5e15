// Stage two of Grafana's expansion (the server): InfluxQL macros, in Grafana's order.
import { formatInterval } from './interval.js';

export interface MacroContext {
  fromMs: number;
  toMs: number;
  intervalMs: number;
}

export function renderTimeFilter(fromMs: number, toMs: number): string {
  return `time >= ${fromMs}ms and time <= ${toMs}ms`;
}

/** Replaces $timeFilter, $interval, $__interval_ms and $__interval. */
export function expandMacros(query: string, { fromMs, toMs, intervalMs }: MacroContext): string {
  const interval = formatInterval(intervalMs);
  return query
    .replaceAll('$timeFilter', renderTimeFilter(fromMs, toMs))
    .replaceAll('$interval', interval)
    .replaceAll('$__interval_ms', String(Math.floor(intervalMs)))
    .replaceAll('$__interval', interval);
}

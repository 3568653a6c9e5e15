// Both stages of Grafana's expansion for one query: variables and the range's globals
// (browser), then macros (server).
import { calculateIntervalMs } from './interval.js';
import { expandMacros } from './macros.js';
import { expandRangeVariables } from './range.js';
import { interpolateVariables, type VariableState } from './variables.js';

export interface ExpansionContext {
  variables: readonly VariableState[];
  fromMs: number;
  toMs: number;
  maxDataPoints: number;
  minIntervalMs: number;
}

export interface ExpandedQuery {
  query: string;
  intervalMs: number;
}

export function expandQuery(query: string, context: ExpansionContext): ExpandedQuery {
  const intervalMs = calculateIntervalMs(context);
  const withVariables = expandRangeVariables(
    interpolateVariables(query, context.variables),
    context.fromMs,
    context.toMs,
  );
  return {
    query: expandMacros(withVariables, { fromMs: context.fromMs, toMs: context.toMs, intervalMs }),
    intervalMs,
  };
}

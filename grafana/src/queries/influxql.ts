// Small InfluxQL helpers shared by the query functions. Identifiers are always double-quoted
// (tag keys such as com.docker.compose.service need it) and strings single-quoted.
import { TAG } from '@dockwatch/collector';

export function ident(name: string): string {
  return `"${name.replaceAll('"', '\\"')}"`;
}

export function literal(value: string): string {
  return `'${value.replaceAll("'", "\\'")}'`;
}

/** Conditions joined with AND, the time filter last as Grafana's own editor does. */
export function where(...conditions: string[]): string {
  return `WHERE ${[...conditions, '$timeFilter'].join(' AND ')}`;
}

/** GROUP BY time($__interval) and the given tags: every panel query aggregates to its width. */
export function groupByInterval(...tags: string[]): string {
  return `GROUP BY ${['time($__interval)', ...tags.map(ident)].join(', ')}`;
}

/** Per-second rate of a cumulative counter, from the largest sample in each interval. */
export function ratePerSecond(field: string): string {
  return `non_negative_derivative(max(${ident(field)}), 1s)`;
}

/** The tags that tell one container from another across hosts. */
export const CONTAINER_TAGS = [TAG.engineHost, TAG.containerName] as const;

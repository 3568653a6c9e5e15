// Stage one of Grafana's expansion (the browser): template variables are replaced in the raw
// query; builtins such as $timeFilter and $__interval are left for the server.
import { escapeRegex } from './regex-escape.js';

/** A variable as the dashboard defines it, with the options its query returned and what is selected. */
export interface VariableState {
  name: string;
  multi: boolean;
  includeAll: boolean;
  /** Inserted verbatim when "All" is selected; unset means every option. */
  allValue?: string;
  options: string[];
  selected: 'All' | string[];
}

// The forms Grafana recognises: $name, ${name}, ${name:format}, [[name]], [[name:format]].
const VARIABLE_REFERENCE = /\$(\w+)|\$\{(\w+)(?::([^}]+))?\}|\[\[(\w+)(?::([^\]]+))?\]\]/g;
// A regex literal on the right of =~ or !~; group 2 is its body.
const REGEX_LITERAL = /(=~|!~)\s*\/((?:\\.|[^/\\])*)\//g;
const SERVER_BUILTINS = new Set(['timeFilter', 'interval']);

interface Span {
  start: number;
  end: number;
}

function regexLiteralSpans(query: string): Span[] {
  const spans: Span[] = [];
  for (const match of query.matchAll(REGEX_LITERAL)) {
    const body = match[2] ?? '';
    const end = match.index + match[0].length - 1;
    spans.push({ start: end - body.length, end });
  }
  return spans;
}

function isNumeric(value: string): boolean {
  return !Number.isNaN(Number.parseFloat(value));
}

/** The text Grafana's InfluxDB datasource inserts for one variable at one position. */
export function formatVariableValue(variable: VariableState, insideRegex: boolean): string {
  if (variable.selected === 'All') {
    if (variable.allValue !== undefined) return variable.allValue;
    return `(${variable.options.map(escapeRegex).join('|')})`;
  }
  if (variable.multi) return `(${variable.selected.map(escapeRegex).join('|')})`;
  const value = variable.selected[0] ?? '';
  if (isNumeric(value)) return value;
  return insideRegex ? escapeRegex(value) : value;
}

/** Replaces every reference to a known variable; unknown names and server builtins stay as written. */
export function interpolateVariables(query: string, variables: readonly VariableState[]): string {
  const byName = new Map(variables.map((variable) => [variable.name, variable]));
  const spans = regexLiteralSpans(query);
  return query.replace(VARIABLE_REFERENCE, (reference, ...groups: unknown[]) => {
    const offset = groups[5] as number;
    const name = (groups[0] ?? groups[1] ?? groups[3]) as string;
    const format = (groups[2] ?? groups[4]) as string | undefined;
    if (name.startsWith('__') || SERVER_BUILTINS.has(name)) return reference;
    const variable = byName.get(name);
    if (!variable) return reference;
    if (format !== undefined)
      throw new Error(`variable format ":${format}" is not supported (in ${reference})`);
    const insideRegex = spans.some((span) => offset >= span.start && offset < span.end);
    return formatVariableValue(variable, insideRegex);
  });
}

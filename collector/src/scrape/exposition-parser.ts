/**
 * A parser for the Prometheus text exposition format (version 0.0.4), returning flat
 * samples. (parse-prometheus-text-format 1.1.1 was tried first: it merges every label set of
 * a histogram or summary into one and drops labelled _sum/_count, which is what prom-client
 * emits, so it cannot be used.)
 */
export interface Sample {
  /** The sample's own name: `x_bucket`, `x_sum`, `x_total`, ... */
  name: string;
  labels: Record<string, string>;
  /** May be NaN or ±Inf: the format allows them; the caller decides. */
  value: number;
  timestampMs: number | undefined;
}

export interface ParseResult {
  samples: Sample[];
  /** Lines that could not be parsed, with their 1-based numbers; the rest still count. */
  errors: { line: number; message: string }[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default: {
      const value = Number(text);
      if (text === '' || Number.isNaN(value)) throw new Error(`"${text}" is not a number`);
      return value;
    }
  }
}

/** Parses `{a="1",b="x\"y"}` starting at `start` (the `{`); returns the labels and the index after `}`. */
function parseLabels(line: string, start: number): [Record<string, string>, number] {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '}') return [labels, i + 1];
    const name = LABEL_NAME.exec(line.slice(i))?.[0];
    if (!name) throw new Error(`bad label name at column ${i + 1}`);
    i += name.length;
    while (line[i] === ' ') i++;
    if (line[i] !== '=') throw new Error(`expected ="..." after label ${name}`);
    i++;
    while (line[i] === ' ') i++;
    if (line[i] !== '"') throw new Error(`expected ="..." after label ${name}`);
    i++;
    let value = '';
    for (;;) {
      const c = line[i];
      if (c === undefined) throw new Error(`unterminated value of label ${name}`);
      i++;
      if (c === '"') break;
      if (c === '\\') {
        const escaped = line[i++];
        value +=
          escaped === 'n' ? '\n' : escaped === '\\' ? '\\' : escaped === '"' ? '"' : `\\${escaped ?? ''}`;
      } else {
        value += c;
      }
    }
    labels[name] = value;
    while (line[i] === ' ') i++;
    if (line[i] === ',') i++;
    else if (line[i] !== '}') throw new Error(`expected , or } after label ${name}`);
  }
}

export function parseExposition(text: string): ParseResult {
  const samples: Sample[] = [];
  const errors: ParseResult['errors'] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] ?? '').replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      const name = NAME.exec(line)?.[0];
      if (!name) throw new Error('no metric name');
      let i = name.length;
      let labels: Record<string, string> = {};
      if (line[i] === '{') [labels, i] = parseLabels(line, i);
      const rest = line
        .slice(i)
        .trim()
        .split(/[ \t]+/);
      if (rest.length < 1 || rest.length > 2 || rest[0] === '')
        throw new Error('expected a value and an optional timestamp');
      const value = parseValue(rest[0] ?? '');
      const timestampMs = rest[1] === undefined ? undefined : Number(rest[1]);
      if (timestampMs !== undefined && !Number.isInteger(timestampMs))
        throw new Error(`bad timestamp "${rest[1]}"`);
      samples.push({ name, labels, value, timestampMs });
    } catch (error) {
      errors.push({ line: n + 1, message: (error as Error).message });
    }
  }
  return { samples, errors };
}

import type { FieldValue, Point } from '../model/point.js';

const UNESCAPE: Record<string, string> = { n: '\n', r: '\r', t: '\t' };

/** Reads up to (not including) the first unescaped character of `stops`; unescapes on the way. */
function readUntil(line: string, from: number, stops: string): [text: string, next: number] {
  let text = '';
  let i = from;
  while (i < line.length) {
    const c = line[i] ?? '';
    if (c === '\\' && i + 1 < line.length) {
      const n = line[i + 1] ?? '';
      text += UNESCAPE[n] ?? n;
      i += 2;
      continue;
    }
    if (stops.includes(c)) break;
    text += c;
    i++;
  }
  return [text, i];
}

function fieldValue(text: string, line: string): FieldValue {
  if (/^-?\d+i$/.test(text)) return BigInt(text.slice(0, -1));
  if (/^(t|T|true|True|TRUE)$/.test(text)) return true;
  if (/^(f|F|false|False|FALSE)$/.test(text)) return false;
  const number = Number(text);
  if (text === '' || Number.isNaN(number)) throw new Error(`bad field value "${text}" in: ${line}`);
  return number;
}

/**
 * Parses one line of InfluxDB line protocol back into a Point (integers `12i` as bigint,
 * floats as number, strings, booleans; the time in ns, required). The inverse of
 * LineProtocolWriter, for fixtures and synthetic data; throws on a malformed line.
 */
export function parseLineProtocol(line: string): Point {
  const [measurement, afterMeasurement] = readUntil(line, 0, ', ');
  let i = afterMeasurement;
  const tags: Record<string, string> = {};
  while (line[i] === ',') {
    const [key, afterKey] = readUntil(line, i + 1, '=');
    const [value, afterValue] = readUntil(line, afterKey + 1, ', ');
    tags[key] = value;
    i = afterValue;
  }
  if (line[i] !== ' ' || measurement === '') throw new Error(`no fields in: ${line}`);
  const fields: Record<string, FieldValue> = {};
  i++;
  for (;;) {
    const [key, afterKey] = readUntil(line, i, '=');
    i = afterKey + 1;
    if (line[i] === '"') {
      let text = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        text += line[i] ?? '';
        i++;
      }
      fields[key] = text;
      i++;
    } else {
      let end = i;
      while (end < line.length && line[end] !== ',' && line[end] !== ' ') end++;
      fields[key] = fieldValue(line.slice(i, end), line);
      i = end;
    }
    if (line[i] !== ',') break;
    i++;
  }
  const time = line.slice(i).trim();
  if (!/^-?\d+$/.test(time)) throw new Error(`no timestamp in: ${line}`);
  return { measurement, tags, fields, time: BigInt(time) };
}

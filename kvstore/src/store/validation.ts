// Pure checks of keys, values, TTLs, ETags and cursors, shared by the HTTP layer and import.
import { HttpProblem } from '../http/problem.js';

export const MAX_KEY_BYTES = 512;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when the string has no lone surrogate, so it round-trips through UTF-8. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
/** Ten years: long enough for any cache, short enough that expiry times stay exact in a double. */
export const MAX_TTL_SECONDS = 315_360_000;

/** A key is 1..512 bytes of UTF-8 without control characters. */
export function validateKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new HttpProblem(400, 'KEY_INVALID', 'key is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new HttpProblem(400, 'KEY_TOO_LONG', `key is ${Buffer.byteLength(key, 'utf8')} bytes`);
  }
  // Lone surrogates cannot round-trip through UTF-8, control characters break logs and consoles.
  // eslint-disable-next-line no-control-regex -- rejecting them is the point
  if (!isWellFormedText(key) || /[\u0000-\u001f\u007f]/.test(key)) {
    throw new HttpProblem(400, 'KEY_INVALID', 'key contains control characters or invalid UTF-16');
  }
  return key;
}

export function validateValue(value: unknown, maxValueBytes: number): string {
  if (typeof value !== 'string') throw new HttpProblem(400, 'VALUE_INVALID', 'value must be a string');
  if (!isWellFormedText(value)) throw new HttpProblem(400, 'VALUE_INVALID', 'value is not valid UTF-16');
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > maxValueBytes) {
    throw new HttpProblem(413, 'VALUE_TOO_LARGE', `value is ${bytes} bytes, the limit is ${maxValueBytes}`);
  }
  return value;
}

/** TTL in whole seconds; 0 or absent means "no expiry". Accepts a JSON number or a decimal string. */
export function validateTtl(ttl: unknown): number {
  if (ttl === undefined || ttl === null) return 0;
  let seconds: number;
  if (typeof ttl === 'number') seconds = ttl;
  else if (typeof ttl === 'string' && /^\d{1,10}$/.test(ttl)) seconds = Number(ttl);
  else throw new HttpProblem(400, 'TTL_INVALID', 'ttl must be a whole number of seconds');
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_TTL_SECONDS) {
    throw new HttpProblem(400, 'TTL_INVALID', `ttl must be an integer between 0 and ${MAX_TTL_SECONDS}`);
  }
  return seconds;
}

/** Absolute expiry in epoch ms for a TTL, 0 when the TTL is 0 (no expiry). */
export function expiresAtFor(ttlSeconds: number, nowMs: number): number {
  return ttlSeconds === 0 ? 0 : nowMs + ttlSeconds * 1000;
}

/** Seconds left, rounded up so a live key never reports 0 (which means "no expiry"). */
export function remainingTtl(expiresAt: number, nowMs: number): number {
  if (expiresAt === 0) return 0;
  return Math.max(1, Math.ceil((expiresAt - nowMs) / 1000));
}

export function isExpired(expiresAt: number, nowMs: number): boolean {
  return expiresAt !== 0 && expiresAt <= nowMs;
}

export function formatEtag(version: number): string {
  return `"${version}"`;
}

/**
 * Parses If-Match / If-None-Match: `*`, or a list of strong or weak tags. Returns '*' or the
 * versions named; tags that are not ours can never match and are dropped.
 */
export function parseEtagList(header: string): '*' | number[] {
  const trimmed = header.trim();
  if (trimmed === '*') return '*';
  const versions: number[] = [];
  for (const part of trimmed.split(',')) {
    const match = /^(?:W\/)?"?(\d{1,16})"?$/.exec(part.trim());
    if (match?.[1]) versions.push(Number(match[1]));
  }
  return versions;
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new HttpProblem(400, 'CURSOR_INVALID', 'cursor is malformed');
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(key) !== cursor) throw new HttpProblem(400, 'CURSOR_INVALID', 'cursor is malformed');
  return key;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export function validateLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (typeof limit !== 'string' || !/^\d{1,5}$/.test(limit)) {
    throw new HttpProblem(400, 'QUERY_INVALID', `limit must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  const n = Number(limit);
  if (n < 1 || n > MAX_PAGE_SIZE) {
    throw new HttpProblem(400, 'QUERY_INVALID', `limit must be an integer between 1 and ${MAX_PAGE_SIZE}`);
  }
  return n;
}

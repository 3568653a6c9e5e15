// Pure rules: keys, values, TTLs, expiry arithmetic, ETags and cursors.
import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  expiresAtFor,
  HttpProblem,
  isExpired,
  parseEtagList,
  remainingTtl,
  validateKey,
  validateLimit,
  validateTtl,
  validateValue,
} from '@dockwatch/kvstore';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof HttpProblem ? `${error.status} ${error.code}` : 'other';
  }
  return undefined;
}

describe('keys', () => {
  it.each([
    ['', '400 KEY_INVALID'],
    ['a'.repeat(513), '400 KEY_TOO_LONG'],
    ['é'.repeat(257), '400 KEY_TOO_LONG'],
    ['tab\there', '400 KEY_INVALID'],
    ['del\u007f', '400 KEY_INVALID'],
    ['lone\ud800', '400 KEY_INVALID'],
    [42, '400 KEY_INVALID'],
  ])('rejects %j with %s', (key, expected) => {
    expect(codeOf(() => validateKey(key))).toBe(expected);
  });

  it.each(['a', 'a'.repeat(512), 'é'.repeat(256), 'dir/sub/键', '😀', '<img src=x onerror=alert(1)>'])(
    'accepts %j',
    (key) => {
      expect(validateKey(key)).toBe(key);
    },
  );
});

describe('values', () => {
  it('measures the limit in UTF-8 bytes', () => {
    expect(validateValue('é'.repeat(5), 10)).toBe('ééééé');
    expect(codeOf(() => validateValue('é'.repeat(6), 10))).toBe('413 VALUE_TOO_LARGE');
    expect(codeOf(() => validateValue({}, 10))).toBe('400 VALUE_INVALID');
    expect(validateValue('', 10)).toBe('');
  });
});

describe('TTL', () => {
  it.each([
    [undefined, 0],
    [null, 0],
    [0, 0],
    [30, 30],
    ['30', 30],
    [315_360_000, 315_360_000],
  ])('accepts %j as %d seconds', (input, seconds) => {
    expect(validateTtl(input)).toBe(seconds);
  });

  it.each([
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    315_360_001,
    '-1',
    '1.5',
    '',
    ' 5',
    'abc',
    true,
    {},
  ])('rejects %j', (input) => {
    expect(codeOf(() => validateTtl(input))).toBe('400 TTL_INVALID');
  });

  it('computes expiry and remaining seconds, rounding up so a live key never shows 0', () => {
    const now = 1_700_000_000_000;
    expect(expiresAtFor(0, now)).toBe(0);
    const at = expiresAtFor(10, now);
    expect(at).toBe(now + 10_000);
    expect(remainingTtl(at, now)).toBe(10);
    expect(remainingTtl(at, now + 9_001)).toBe(1);
    expect(remainingTtl(at, now + 9_999)).toBe(1);
    expect(remainingTtl(0, now)).toBe(0);
    expect(isExpired(at, now + 9_999)).toBe(false);
    expect(isExpired(at, now + 10_000)).toBe(true);
    expect(isExpired(0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('ETags and cursors', () => {
  it('parses If-Match lists, weak tags and *', () => {
    expect(parseEtagList('*')).toBe('*');
    expect(parseEtagList('"3", W/"4" ,"x", 5')).toEqual([3, 4, 5]);
    expect(parseEtagList('"abc"')).toEqual([]);
  });

  it('round-trips cursors and rejects tampered ones', () => {
    for (const key of ['a', 'dir/键', '<b>']) expect(decodeCursor(encodeCursor(key))).toBe(key);
    expect(codeOf(() => decodeCursor('a+b'))).toBe('400 CURSOR_INVALID');
    expect(codeOf(() => decodeCursor('YQ='))).toBe('400 CURSOR_INVALID');
  });

  it('bounds page sizes', () => {
    expect(validateLimit(undefined)).toBe(50);
    expect(validateLimit('1000')).toBe(1000);
    for (const bad of ['0', '1001', '-1', 'x', ['1']])
      expect(codeOf(() => validateLimit(bad))).toBe('400 QUERY_INVALID');
  });
});

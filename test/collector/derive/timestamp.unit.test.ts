import { describe, expect, it } from 'vitest';
import { optionalTimestampNs, parseTimestampNs, ZERO_TIME } from '@dockwatch/collector';

// 2026-11-21T12:13:21Z, from Python's datetime(...).timestamp().
const SECONDS = 1795263201n;

describe('parseTimestampNs', () => {
  it('keeps all nine fraction digits exactly', () => {
    expect(parseTimestampNs('2026-11-21T12:13:21.123456789Z')).toBe(SECONDS * 1_000_000_000n + 123456789n);
  });

  it.each([
    ['', 0n],
    ['.1', 100000000n],
    ['.12', 120000000n],
    ['.123', 123000000n],
    ['.1234', 123400000n],
    ['.12345', 123450000n],
    ['.123456', 123456000n],
    ['.1234567', 123456700n],
    ['.12345678', 123456780n],
    ['.000000001', 1n],
  ])('reads the fraction %j', (fraction, ns) => {
    expect(parseTimestampNs(`2026-11-21T12:13:21${fraction}Z`)).toBe(SECONDS * 1_000_000_000n + ns);
  });

  it('applies numeric offsets', () => {
    const utc = SECONDS * 1_000_000_000n + 500_000_000n;
    expect(parseTimestampNs('2026-11-21T14:13:21.5+02:00')).toBe(utc);
    expect(parseTimestampNs('2026-11-21T06:43:21.5-05:30')).toBe(utc);
    expect(parseTimestampNs('2026-11-21T12:13:21.5+00:00')).toBe(utc);
    expect(parseTimestampNs('2026-11-21t12:13:21.5z')).toBe(utc);
  });

  it('handles the epoch and leap days', () => {
    expect(parseTimestampNs('1970-01-01T00:00:00Z')).toBe(0n);
    expect(parseTimestampNs('2000-02-29T00:00:00.000000001Z')).toBe(951782400n * 1_000_000_000n + 1n);
  });

  it.each([
    ZERO_TIME,
    '',
    'yesterday',
    '2026-11-21T12:13:21',
    '2026-11-21T12:13:21.1234567890Z',
    '2026-02-30T00:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21T12:60:00Z',
  ])('rejects %j', (text) => {
    expect(() => parseTimestampNs(text)).toThrow(RangeError);
  });
});

describe('optionalTimestampNs', () => {
  it('is undefined for the zero time, empty, absent and malformed values', () => {
    expect(optionalTimestampNs(ZERO_TIME)).toBeUndefined();
    expect(optionalTimestampNs('')).toBeUndefined();
    expect(optionalTimestampNs(undefined)).toBeUndefined();
    expect(optionalTimestampNs(null)).toBeUndefined();
    expect(optionalTimestampNs('not a time')).toBeUndefined();
  });

  it('parses real times exactly', () => {
    expect(optionalTimestampNs('2026-11-21T12:13:21.000000007Z')).toBe(SECONDS * 1_000_000_000n + 7n);
  });
});

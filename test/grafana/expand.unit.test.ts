// Grafana's InfluxQL expansion, rule by rule (see shared reference grafana-influxql.md).
import { describe, expect, it } from 'vitest';
import {
  buildQueryRequest,
  calculateIntervalMs,
  escapeRegex,
  expandMacros,
  expandQuery,
  expandRangeVariables,
  formatInterval,
  interpolateVariables,
  parseInterval,
  roundInterval,
  type VariableState,
} from '@dockwatch/grafana';

const containerVar = (
  selected: VariableState['selected'],
  extra: Partial<VariableState> = {},
): VariableState => ({
  name: 'container',
  multi: true,
  includeAll: true,
  options: ['web.1', 'db'],
  selected,
  ...extra,
});

describe('escapeRegex', () => {
  it('backslashes every regex special, slashes included', () => {
    expect(escapeRegex('a.b*c+d?e^f$g(h)i|j[k]l{m}n/o\\p')).toBe(
      'a\\.b\\*c\\+d\\?e\\^f\\$g\\(h\\)i\\|j\\[k\\]l\\{m\\}n\\/o\\\\p',
    );
  });
  it('leaves dashes, underscores and letters alone', () => {
    expect(escapeRegex('my-app_1')).toBe('my-app_1');
  });
});

describe('interpolateVariables', () => {
  const query = 'SELECT x FROM m WHERE "container_name" =~ /^$container$/';

  it('renders a multi-value selection as an escaped (a|b) group', () => {
    expect(interpolateVariables(query, [containerVar(['web.1', 'db'])])).toBe(
      'SELECT x FROM m WHERE "container_name" =~ /^(web\\.1|db)$/',
    );
  });

  it('renders All without allValue as every option', () => {
    expect(interpolateVariables(query, [containerVar('All')])).toContain('/^(web\\.1|db)$/');
  });

  it('inserts a custom allValue verbatim', () => {
    expect(interpolateVariables(query, [containerVar('All', { allValue: '.*' })])).toContain('/^.*$/');
  });

  it('escapes a single value only inside a regex literal', () => {
    const single = containerVar(['web.1'], { multi: false, includeAll: false });
    expect(interpolateVariables(query, [single])).toContain('/^web\\.1$/');
    expect(interpolateVariables(`SELECT x FROM m WHERE "container_name" = '$container'`, [single])).toBe(
      `SELECT x FROM m WHERE "container_name" = 'web.1'`,
    );
  });

  it('inserts a numeric single value raw, even inside a regex', () => {
    const numeric = containerVar(['1.5'], { multi: false, includeAll: false });
    expect(interpolateVariables(query, [numeric])).toContain('/^1.5$/');
  });

  it('accepts the braced and [[name]] forms', () => {
    const v = containerVar(['db'], { multi: false });
    expect(interpolateVariables(`a=\${container} b=[[container]]`, [v])).toBe('a=db b=db');
  });

  it('leaves server macros, unknown variables and alias patterns for later', () => {
    const text =
      'WHERE $timeFilter GROUP BY time($__interval) LIMIT $__interval_ms $interval $unknown $tag_x';
    expect(interpolateVariables(text, [containerVar(['db'])])).toBe(text);
  });

  it('does not mistake a longer name for a variable', () => {
    expect(interpolateVariables('$container_name', [containerVar(['db'])])).toBe('$container_name');
  });

  it('rejects format specifiers it does not implement', () => {
    expect(() => interpolateVariables(`\${container:csv}`, [containerVar(['db'])])).toThrow(/not supported/);
  });
});

describe('intervals', () => {
  it('rounds like Grafana', () => {
    expect(roundInterval(48_000)).toBe(60_000);
    expect(roundInterval(96_000)).toBe(120_000);
    expect(roundInterval(12_000)).toBe(10_000);
    expect(roundInterval(5)).toBe(10);
  });

  it('never goes below the minimum interval', () => {
    expect(
      calculateIntervalMs({ fromMs: 0, toMs: 3_600_000, maxDataPoints: 1800, minIntervalMs: 10_000 }),
    ).toBe(10_000);
  });

  it('divides the range by max data points, then rounds', () => {
    expect(
      calculateIntervalMs({ fromMs: 0, toMs: 86_400_000, maxDataPoints: 1800, minIntervalMs: 10_000 }),
    ).toBe(60_000);
    expect(calculateIntervalMs({ fromMs: 0, toMs: 86_400_000, maxDataPoints: 0, minIntervalMs: 1 })).toBe(
      60_000,
    );
  });

  it('formats as the largest whole unit, truncated', () => {
    expect(formatInterval(90_000)).toBe('1m');
    expect(formatInterval(10_000)).toBe('10s');
    expect(formatInterval(1500)).toBe('1s');
    expect(formatInterval(250)).toBe('250ms');
    expect(formatInterval(0.2)).toBe('1ms');
    expect(formatInterval(2 * 86_400_000)).toBe('2d');
    expect(formatInterval(14 * 86_400_000)).toBe('2w');
  });

  it('parses Grafana durations and rejects junk', () => {
    expect(parseInterval('10s')).toBe(10_000);
    expect(parseInterval('1m')).toBe(60_000);
    expect(parseInterval('500ms')).toBe(500);
    expect(parseInterval('15')).toBe(15_000);
    expect(() => parseInterval('ten seconds')).toThrow(/not an interval/);
  });
});

describe('expandMacros', () => {
  it('replaces the time filter with absolute epoch ms and the intervals', () => {
    const query =
      'SELECT mean(x) FROM m WHERE $timeFilter GROUP BY time($__interval) -- $interval $__interval_ms';
    expect(expandMacros(query, { fromMs: 1000, toMs: 2000, intervalMs: 90_000 })).toBe(
      'SELECT mean(x) FROM m WHERE time >= 1000ms and time <= 2000ms GROUP BY time(1m) -- 1m 90000',
    );
  });
});

describe('expandRangeVariables', () => {
  // 2026-12-02T03:43:14.123Z and one day later.
  const fromMs = Date.UTC(2026, 11, 2, 3, 43, 14, 123);
  const toMs = fromMs + 86_400_000;

  it('gives ${__from} and ${__to} (and the bare forms) in epoch ms', () => {
    expect(expandRangeVariables('${__to} - ${__from} <= 86400000', fromMs, toMs)).toBe(
      `${toMs} - ${fromMs} <= 86400000`,
    );
    expect(expandRangeVariables('$__from $__to', fromMs, toMs)).toBe(`${fromMs} ${toMs}`);
  });

  it('gives ${__from:date:iso} as ISO 8601 in UTC with milliseconds, as moment.toISOString does', () => {
    expect(expandRangeVariables("now() - 7d <= '${__from:date:iso}'", fromMs, toMs)).toBe(
      "now() - 7d <= '2026-12-02T03:43:14.123Z'",
    );
    expect(expandRangeVariables('${__to:date}', fromMs, toMs)).toBe('2026-12-03T03:43:14.123Z');
    expect(expandRangeVariables('${__from:date:iso}', 0, 0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('gives ${__from:date:seconds} in whole epoch seconds', () => {
    expect(expandRangeVariables('${__from:date:seconds}', fromMs, toMs)).toBe(
      String(Math.floor(fromMs / 1000)),
    );
  });

  it('leaves $__interval and longer names alone, and rejects formats it does not implement', () => {
    const text = 'GROUP BY time($__interval) $__interval_ms $__fromage';
    expect(expandRangeVariables(text, fromMs, toMs)).toBe(text);
    expect(() => expandRangeVariables('${__from:date:YYYY-MM}', fromMs, toMs)).toThrow(/not supported/);
  });
});

describe('expandQuery', () => {
  it('expands the range globals in the browser stage, before the macros', () => {
    const expanded = expandQuery(
      "SELECT x FROM m WHERE $timeFilter AND ${__to} - ${__from} <= 86400000 AND now() - 7d <= '${__from:date:iso}'",
      { variables: [], fromMs: 1_000, toMs: 61_000, maxDataPoints: 100, minIntervalMs: 10_000 },
    );
    expect(expanded.query).toBe(
      "SELECT x FROM m WHERE time >= 1000ms and time <= 61000ms AND 61000 - 1000 <= 86400000 AND now() - 7d <= '1970-01-01T00:00:01.000Z'",
    );
  });

  it('runs variables first, then macros', () => {
    const expanded = expandQuery(
      'SELECT x FROM m WHERE "container_name" =~ /^$container$/ AND $timeFilter GROUP BY time($__interval)',
      {
        variables: [containerVar(['db'])],
        fromMs: 0,
        toMs: 86_400_000,
        maxDataPoints: 900,
        minIntervalMs: 10_000,
      },
    );
    expect(expanded.intervalMs).toBe(120_000);
    expect(expanded.query).toBe(
      'SELECT x FROM m WHERE "container_name" =~ /^(db)$/ AND time >= 0ms and time <= 86400000ms GROUP BY time(2m)',
    );
  });
});

describe('buildQueryRequest', () => {
  it('POSTs db, epoch=ms and q as a form to /query', () => {
    const request = buildQueryRequest({ influxUrl: 'http://influx:8086/', db: 'dockwatch' }, 'SELECT 1');
    expect(request.url).toBe('http://influx:8086/query');
    expect(request.method).toBe('POST');
    expect(Object.fromEntries(request.body)).toEqual({ db: 'dockwatch', epoch: 'ms', q: 'SELECT 1' });
    expect(request.headers.authorization).toBeUndefined();
  });

  it('sends the token the way the provisioned header does', () => {
    const request = buildQueryRequest({ influxUrl: 'http://i', db: 'b', token: 's3cret' }, 'SELECT 1');
    expect(request.headers.authorization).toBe('Token s3cret');
  });
});

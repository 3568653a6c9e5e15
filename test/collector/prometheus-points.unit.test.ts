import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { parseExposition, prometheusPoints, scrapeTarget } from '@dockwatch/collector';

const EXPOSITION = `# HELP http_request_duration_seconds Latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/kv/:key"} 3
http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/kv/:key"} 4
http_request_duration_seconds_sum{method="GET",route="/api/kv/:key"} 0.02
http_request_duration_seconds_count{method="GET",route="/api/kv/:key"} 4
# HELP kvstore_keys Keys.
# TYPE kvstore_keys gauge
kvstore_keys 12
# TYPE kvstore_operations_total counter
kvstore_operations_total{op="get",result="hit"} 7
kvstore_operations_total{op="get",result="miss"} 1
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 0.1
rpc_duration_seconds_sum 1.5
rpc_duration_seconds_count 10
# TYPE weird gauge
weird{container_name="spoofed"} NaN
clash{container_name="spoofed",empty=""} 5
`;

const TAGS = { container_name: 'kv', engine_host: 'h', url: 'http://10.0.0.2:8080/metrics' };
const T = 1_700_000_000_000_000_000n;

describe('prometheus points (Telegraf metric_version=2 layout)', () => {
  const points = prometheusPoints(parseExposition(EXPOSITION).samples, TAGS, T);
  const find = (tags: Record<string, string>) =>
    points.filter((p) => Object.entries(tags).every(([k, v]) => p.tags[k] === v));

  it('writes histogram buckets with le, and _sum/_count beside them', () => {
    const bucket = find({ le: '0.005', route: '/api/kv/:key' });
    expect(bucket).toHaveLength(1);
    expect(bucket[0]?.fields).toEqual({ http_request_duration_seconds_bucket: 3 });
    const totals = points.find((p) => p.fields.http_request_duration_seconds_count !== undefined);
    expect(totals?.fields).toEqual({
      http_request_duration_seconds_count: 4,
      http_request_duration_seconds_sum: 0.02,
    });
    expect(totals?.tags).toEqual({ ...TAGS, method: 'GET', route: '/api/kv/:key' });
    expect(find({ le: '+Inf' })[0]?.fields.http_request_duration_seconds_bucket).toBe(4);
  });

  it('writes counters and gauges by name, merging fields that share tags', () => {
    const unlabelled = points.find((p) => p.fields.kvstore_keys !== undefined);
    expect(unlabelled?.tags).toEqual(TAGS);
    expect(unlabelled?.fields).toMatchObject({
      kvstore_keys: 12,
      rpc_duration_seconds_sum: 1.5,
      rpc_duration_seconds_count: 10,
    });
    expect(find({ op: 'get', result: 'miss' })[0]?.fields).toEqual({ kvstore_operations_total: 1 });
    expect(find({ quantile: '0.5' })[0]?.fields).toEqual({ rpc_duration_seconds: 0.1 });
  });

  it('leaves out NaN, keeps container tags over metric labels, drops empty labels', () => {
    expect(points.some((p) => 'weird' in p.fields)).toBe(false);
    const clash = points.find((p) => 'clash' in p.fields);
    expect(clash?.tags).toEqual({ ...TAGS, exported_container_name: 'spoofed' });
  });

  it('stamps every point with the scrape time', () => {
    expect(new Set(points.map((p) => p.time))).toEqual(new Set([T]));
    expect(new Set(points.map((p) => p.measurement))).toEqual(new Set(['prometheus']));
  });
});

function inspectWith(labels: Record<string, string>, extra: Partial<Docker.ContainerInspectInfo> = {}) {
  return {
    Config: { Labels: labels, ExposedPorts: { '8080/tcp': {} } },
    HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.5' } } },
    ...extra,
  } as unknown as Docker.ContainerInspectInfo;
}

describe('exposition parser', () => {
  it('parses names, escaped label values, special values and timestamps', () => {
    const { samples, errors } = parseExposition(
      [
        '# HELP a_total A help line with "quotes"',
        'a_total{path="C:\\\\DIR",msg="say \\"hi\\"\\nbye",} 1027 1395066363000',
        'b +Inf',
        'c{x="1"}   -Inf',
        'd NaN',
        'e 1.5e3',
        'f{ a = "spaced" } 2',
      ].join('\r\n'),
    );
    expect(errors).toEqual([]);
    expect(samples[0]).toEqual({
      name: 'a_total',
      labels: { path: 'C:\\DIR', msg: 'say "hi"\nbye' },
      value: 1027,
      timestampMs: 1395066363000,
    });
    expect(samples.slice(1).map((s) => s.value)).toEqual([Infinity, -Infinity, Number.NaN, 1500, 2]);
    expect(samples[5]?.labels).toEqual({ a: 'spaced' });
  });

  it('skips bad lines with their numbers and keeps the good ones', () => {
    const { samples, errors } = parseExposition(
      'ok 1\n{x="1"} 2\nbad{x=1} 3\nno_value\nnum abc\nts 1 2.5\nalso_ok 4',
    );
    expect(samples.map((s) => s.name)).toEqual(['ok', 'also_ok']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it('keeps every label set of a prom-client histogram (where parse-prometheus-text-format failed)', () => {
    const { samples } = parseExposition(
      'x_bucket{le="0.1",m="a"} 1\nx_bucket{le="+Inf",m="a"} 1\nx_sum{m="a"} 0.05\nx_count{m="a"} 1\nx_count{m="b"} 3',
    );
    expect(samples.map((s) => [s.name, s.labels])).toEqual([
      ['x_bucket', { le: '0.1', m: 'a' }],
      ['x_bucket', { le: '+Inf', m: 'a' }],
      ['x_sum', { m: 'a' }],
      ['x_count', { m: 'a' }],
      ['x_count', { m: 'b' }],
    ]);
  });
});

describe('scrape targets from container labels', () => {
  it('ignores containers without prometheus.io/scrape=true', () => {
    expect(scrapeTarget(inspectWith({}))).toBeUndefined();
    expect(scrapeTarget(inspectWith({ 'prometheus.io/scrape': 'false' }))).toBeUndefined();
  });
  it('uses the container IP, the only exposed port and /metrics by default', () => {
    expect(scrapeTarget(inspectWith({ 'prometheus.io/scrape': 'true' }))).toEqual({
      url: 'http://172.17.0.5:8080/metrics',
    });
  });
  it('honours prometheus.io/port and prometheus.io/path', () => {
    const labels = {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9100',
      'prometheus.io/path': 'stats',
    };
    expect(scrapeTarget(inspectWith(labels))).toEqual({ url: 'http://172.17.0.5:9100/stats' });
  });
  it('explains why it cannot scrape', () => {
    const noPorts = inspectWith({ 'prometheus.io/scrape': 'true' });
    noPorts.Config.ExposedPorts = {};
    expect(scrapeTarget(noPorts)).toEqual({ skip: expect.stringContaining('prometheus.io/port') });
    expect(
      scrapeTarget(inspectWith({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': 'http' })),
    ).toEqual({
      skip: expect.stringContaining('not a port'),
    });
  });
});

// The rollup stage's pure parts: rates over rollups equal rates over raw data, configuration,
// per-resolution targets, retention policies, and the field names it derives.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ensureRetentionPolicies,
  goDurationMs,
  type InfluxSeries,
  type InfluxTarget,
  loadConfig,
  maxField,
  MEASUREMENTS,
  parseLineProtocol,
  type Point,
  type PointSink,
  RAW_RETENTION_DEFAULT,
  ROLLUP_RESOLUTIONS,
  rollupFieldKind,
  rollupInfluxTarget,
  rollupPoints,
  RollupSink,
  ROLLUPS_DEFAULT,
  SAMPLES_FIELD,
  SelfMetrics,
  toLineProtocol,
} from '@dockwatch/collector';

const T0 = 1_764_633_600_000_000_000n; // 2025-12-02T00:00:00Z
const S = 1_000_000_000n;

/** InfluxQL's max(f) per GROUP BY time(interval) bucket, then non_negative_derivative(_, 1s) and _difference. */
function ratesOf(points: readonly Point[], field: string, intervalNs: bigint) {
  const maxByBucket = new Map<bigint, number>();
  for (const point of points) {
    const value = point.fields[field];
    if (typeof value !== 'bigint' && typeof value !== 'number') continue;
    const bucket = point.time - (point.time % intervalNs);
    maxByBucket.set(bucket, Math.max(maxByBucket.get(bucket) ?? -Infinity, Number(value)));
  }
  const buckets = [...maxByBucket].sort(([a], [b]) => (a < b ? -1 : 1));
  const derivative: { time: bigint; perSecond: number }[] = [];
  const difference: { time: bigint; delta: number }[] = [];
  for (let i = 1; i < buckets.length; i++) {
    const [previousTime, previous] = buckets[i - 1] ?? [0n, 0];
    const [time, current] = buckets[i] ?? [0n, 0];
    if (current < previous) continue; // non_negative_*: a reset's negative step is dropped
    derivative.push({ time, perSecond: (current - previous) / (Number(time - previousTime) / 1e9) });
    difference.push({ time, delta: current - previous });
  }
  return { derivative, difference };
}

describe('rates over rollups', () => {
  it('equal rates over raw data for a counter with resets, at every interval that is whole windows', () => {
    // 40 minutes of a CPU counter at 10 s, with irregular increments, restarted twice: at
    // 13:20 (inside a 5-minute interval and inside a 1-minute window) and at 25:00 (on a window edge).
    const raw: Point[] = [];
    let value = 1_000_000n;
    for (let i = 0n; i < 240n; i++) {
      const time = T0 + i * 10n * S + 3n * S;
      if (i === 80n || i === 150n) value = 500n;
      else value += 1_000n + ((i * 7919n) % 5_000n);
      raw.push({
        measurement: 'docker_container_cpu',
        tags: { container_name: 'c', cpu: 'cpu-total' },
        fields: { usage_total: value },
        time,
      });
    }
    expect(rollupFieldKind('docker_container_cpu', 'usage_total')).toBe('counter');
    const rollups = rollupPoints(raw, 60_000);
    expect(rollups).toHaveLength(40);
    for (const intervalMinutes of [1n, 5n, 10n]) {
      const interval = intervalMinutes * 60n * S;
      const fromRaw = ratesOf(raw, 'usage_total', interval);
      const fromRollups = ratesOf(rollups, 'usage_total', interval);
      expect(fromRollups, `${intervalMinutes}m`).toEqual(fromRaw);
      // A reset dropped an interval: the comparison covers it.
      expect(fromRaw.derivative.length, `${intervalMinutes}m`).toBeLessThan(
        Number(40n / intervalMinutes) - 1,
      );
    }
    // A mean of a counter, what a hand-written continuous query often does, would not agree.
    const meanByWindow = new Map<bigint, number[]>();
    for (const point of raw) {
      const window = point.time - (point.time % (60n * S));
      meanByWindow.set(window, [...(meanByWindow.get(window) ?? []), Number(point.fields.usage_total)]);
    }
    const meanRollups: Point[] = [...meanByWindow].map(([time, values]) => ({
      measurement: 'docker_container_cpu',
      tags: {},
      fields: { usage_total: values.reduce((a, b) => a + b, 0) / values.length },
      time,
    }));
    const fiveMinutes = 5n * 60n * S;
    expect(ratesOf(meanRollups, 'usage_total', fiveMinutes)).not.toEqual(
      ratesOf(raw, 'usage_total', fiveMinutes),
    );
  });
});

describe('rollup configuration', () => {
  const problemsOf = (env: NodeJS.ProcessEnv): Record<string, string> => {
    try {
      loadConfig(env, { requireSink: false });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
    }
    throw new Error('expected a ConfigError');
  };

  it('defaults to 1m for 90 days and 1h for 730 days, in rp rollup_<window>', () => {
    expect(ROLLUPS_DEFAULT).toBe('1m:90d,1h:730d');
    expect(RAW_RETENTION_DEFAULT).toBe('7d');
    expect(ROLLUP_RESOLUTIONS).toEqual([
      { name: '1m', windowMs: 60_000, retentionPolicy: 'rollup_1m', defaultRetention: '90d' },
      { name: '1h', windowMs: 3_600_000, retentionPolicy: 'rollup_1h', defaultRetention: '730d' },
    ]);
    expect(loadConfig({}, { requireSink: false }).rollups).toEqual({
      resolutions: [
        { name: '1m', windowMs: 60_000, retentionPolicy: 'rollup_1m', retention: '90d' },
        { name: '1h', windowMs: 3_600_000, retentionPolicy: 'rollup_1h', retention: '730d' },
      ],
      bucketFormat: '{bucket}_{rp}',
    });
  });

  it('takes any windows that divide a day, sorted; off turns rollups off; empty is the default', () => {
    const rollups = (text: string) =>
      loadConfig({ ROLLUPS: text }, { requireSink: false }).rollups.resolutions;
    expect(rollups(' 1h:2w , 5s:1h ')).toEqual([
      { name: '5s', windowMs: 5_000, retentionPolicy: 'rollup_5s', retention: '1h' },
      { name: '1h', windowMs: 3_600_000, retentionPolicy: 'rollup_1h', retention: '2w' },
    ]);
    expect(rollups('off')).toEqual([]);
    expect(rollups('').map((r) => r.name)).toEqual(['1m', '1h']);
  });

  it('names the variable of a bad value', () => {
    for (const bad of ['1m', '1m:90', '7s:1d', '1500ms:1d', '2d:1000d', '1m:30m', '1m:1d,60s:1d', 'x:1d']) {
      expect(Object.keys(problemsOf({ ROLLUPS: bad })), bad).toEqual(['ROLLUPS']);
    }
    expect(problemsOf({ INFLUX_ROLLUP_BUCKET: '{bucket}_rollups' })).toHaveProperty('INFLUX_ROLLUP_BUCKET');
  });
});

describe('rollup targets', () => {
  const [oneMinute] = loadConfig({}, { requireSink: false }).rollups.resolutions;
  if (!oneMinute) throw new Error('no default resolution');

  it('v1: the same database, rp rollup_1m, and the database is not created per resolution', () => {
    const v1: InfluxTarget = {
      api: 'v1',
      url: 'http://x',
      db: 'docker',
      rp: undefined,
      username: undefined,
      password: undefined,
      createDatabase: true,
    };
    expect(rollupInfluxTarget(v1, oneMinute, '{bucket}_{rp}')).toEqual({
      ...v1,
      rp: 'rollup_1m',
      createDatabase: false,
    });
  });

  it('v2: <bucket>_rollup_1m by default, db/rollup_1m with {bucket}/{rp} (InfluxDB 3 Core)', () => {
    const v2: InfluxTarget = { api: 'v2', url: 'http://x', token: 't', org: 'o', bucket: 'docker' };
    expect(rollupInfluxTarget(v2, oneMinute, '{bucket}_{rp}')).toEqual({ ...v2, bucket: 'docker_rollup_1m' });
    expect(rollupInfluxTarget(v2, oneMinute, '{bucket}/{rp}')).toEqual({ ...v2, bucket: 'docker/rollup_1m' });
  });
});

describe('rollup retention policies', () => {
  const resolutions = loadConfig({ ROLLUPS: '1m:90d,1h:730d,5s:2h' }, { requireSink: false }).rollups
    .resolutions;
  const policies = (rows: [string, string, boolean][]): InfluxSeries[] => [
    {
      name: '',
      columns: ['name', 'duration', 'shardGroupDuration', 'replicaN', 'default'],
      values: rows.map(([name, duration, isDefault]) => [name, duration, '24h0m0s', 1, isDefault]),
    },
  ];

  it('creates the missing ones, alters one of another duration, leaves the rest and the default alone', async () => {
    const ran: string[] = [];
    const done = await ensureRetentionPolicies(
      async (statement) => {
        ran.push(statement);
        return statement.startsWith('SHOW')
          ? policies([
              ['autogen', '0s', true],
              ['rollup_1m', '2160h0m0s', false],
              ['rollup_1h', '168h0m0s', false],
            ])
          : [];
      },
      'docker',
      resolutions,
    );
    expect(ran).toEqual([
      'SHOW RETENTION POLICIES ON "docker"',
      'CREATE RETENTION POLICY "rollup_5s" ON "docker" DURATION 2h REPLICATION 1',
      'ALTER RETENTION POLICY "rollup_1h" ON "docker" DURATION 730d SHARD DURATION 7d',
    ]);
    expect(done).toHaveLength(2);
    expect(ran.join('\n')).not.toMatch(/DEFAULT|autogen/);
  });

  it('reads Go durations as SHOW prints them', () => {
    expect(goDurationMs('2160h0m0s')).toBe(90 * 86_400_000);
    expect(goDurationMs('0s')).toBe(0);
    expect(goDurationMs('1h30m0s')).toBe(5_400_000);
    expect(goDurationMs('forever')).toBeUndefined();
  });
});

describe('rollup sink', () => {
  class CountingSink implements PointSink {
    readonly points: Point[] = [];
    closes = 0;
    add(point: Point): void {
      this.points.push(point);
    }
    async flush(): Promise<void> {}
    async close(): Promise<void> {
      this.closes++;
    }
  }

  it('close() writes the partial windows once and closes every sink once, however often it is called', async () => {
    const raw = new CountingSink();
    const rollup = new CountingSink();
    const sink = new RollupSink(
      raw,
      [
        {
          resolution: { name: '1m', windowMs: 60_000, retentionPolicy: 'rollup_1m', retention: '90d' },
          sink: rollup,
        },
      ],
      new SelfMetrics(),
    );
    sink.add(parseLineProtocol('m,a=b x=1 1764633601000000000'));
    await Promise.all([sink.close(), sink.close()]);
    await sink.close();
    sink.add(parseLineProtocol('m,a=b x=2 1764633602000000000'));
    await sink.flush();
    expect(rollup.points.map(toLineProtocol)).toEqual(['m,a=b samples=1i,x=1,x_max=1 1764633600000000000']);
    expect([raw.closes, rollup.closes]).toEqual([1, 1]);
  });
});

describe('rollup field names', () => {
  it('derived names (f_max, samples) collide with no field of the catalogue', () => {
    for (const spec of MEASUREMENTS) {
      const fields = new Set(spec.fields.map((f) => f.name));
      expect(fields.has(SAMPLES_FIELD), spec.name).toBe(false);
      for (const field of spec.fields.filter((f) => f.kind === 'gauge')) {
        expect(fields.has(maxField(field.name)), `${spec.name} ${field.name}`).toBe(false);
      }
    }
  });

  it('parseLineProtocol reads back what toLineProtocol writes', () => {
    const point: Point = {
      measurement: 'a measure,x',
      tags: { 'k ey': 'v=1,2', other: 'plain' },
      fields: { int: -12n, float: 1.5, text: 'say "hi" \\ there', flag: false, 'f=ield': 3 },
      time: 1_764_633_600_123_456_789n,
    };
    const line = toLineProtocol(point);
    expect(toLineProtocol(parseLineProtocol(line))).toBe(line);
    expect(parseLineProtocol(line)).toEqual(point);
  });
});

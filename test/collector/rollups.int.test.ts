// Rollups from a real collector run: the real engine, a real InfluxDB 1.6, 5-second windows.
// The collector sets the rollup retention policy up itself (INFLUX_CREATE_DATABASE), and
// every rollup point it wrote must agree with its own raw points in InfluxDB: gauges' mean,
// min and max and counters' max per window computed by InfluxQL over raw, and samples = the
// raw count. That includes the first window (the run started inside it) and the last one,
// written partial at shutdown.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, dropDatabase, influxQuery, type Series, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const WINDOW = '5s';
const RP = 'rollup_5s';
const RUN_MS = 16_000;

type Row = Record<string, number | string | boolean | null>;

/** Rows of every series keyed `<tags as JSON>@<time ms>`, columns by name. */
function rowsByKey(series: readonly Series[]): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const s of series) {
    const tags = JSON.stringify(Object.entries(s.tags ?? {}).filter(([, v]) => v !== ''));
    for (const values of s.values) {
      const row: Row = {};
      s.columns.forEach((column, i) => {
        row[column] = values[i] ?? null;
      });
      rows.set(`${tags}@${String(row.time)}`, row);
    }
  }
  return rows;
}

describe.runIf(haveServices())('rollups written by the real collector', () => {
  let env: Services;
  const db = uniqueDatabase('rollups');
  const prefix = uniqueName('rollup');
  const started: Docker.Container[] = [];
  let running: RunningCollector | undefined;
  let late = -1;

  const query = (q: string) => influxQuery(env.influxUrl, db, q);

  beforeAll(async () => {
    env = services() as Services;
    await createDatabase(env.influxUrl, db);
    // Left by an earlier configuration with another retention: the collector alters it.
    await query(`CREATE RETENTION POLICY "${RP}" ON "${db}" DURATION 3h REPLICATION 1`);
    started.push(
      await runContainer(env.docker, {
        name: `${prefix}-burner`,
        cmd: ['sh', '-c', 'yes >/dev/null'],
        hostConfig: { NanoCpus: 3e8 },
      }),
      await runContainer(env.docker, { name: `${prefix}-idle`, cmd: ['sleep', '3600'] }),
    );
    running = await startCollector(
      {
        INFLUX_URL: env.influxUrl,
        INFLUX_DB: db,
        INFLUX_CREATE_DATABASE: 'true',
        COLLECT_INTERVAL: '1s',
        SELF_METRICS_INTERVAL: '1s',
        CONTAINER_NAME_INCLUDE: `${prefix}-*`,
        ROLLUPS: `${WINDOW}:1h`,
      },
      { rollups: true },
    );
    await new Promise((resolve) => setTimeout(resolve, RUN_MS));
    await running.stop();
    late = (await running.metrics.rollupLatePoints.get()).values.reduce((sum, v) => sum + v.value, 0);
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await removeContainers(started);
    await dropDatabase(env.influxUrl, db);
  });

  it('the collector set the rollup retention policy to its configured duration, and left the default one alone', async () => {
    const [policies] = await query(`SHOW RETENTION POLICIES ON "${db}"`);
    const byName = new Map((policies?.values ?? []).map((row) => [String(row[0]), row]));
    expect(byName.get(RP)?.[1]).toBe('1h0m0s');
    expect(byName.get(RP)?.[4]).toBe(false);
    expect(byName.get('autogen')?.[1]).toBe('0s');
    expect(byName.get('autogen')?.[4]).toBe(true);
  });

  it('no point came late at 1 s gathers', () => {
    expect(late).toBe(0);
  });

  const checks: { measurement: string; where: string; gauges: string[]; counters: string[] }[] = [
    {
      measurement: 'docker_container_cpu',
      where: `"cpu" = 'cpu-total' AND "container_name" =~ /^${prefix}-/`,
      gauges: ['usage_percent'],
      counters: ['usage_total', 'usage_system'],
    },
    {
      measurement: 'docker_container_mem',
      where: `"container_name" =~ /^${prefix}-/`,
      gauges: ['usage', 'usage_percent'],
      counters: ['pgfault'],
    },
    {
      measurement: 'prometheus',
      where: `"job" = 'collector' AND "source" = 'docker' AND "le" = ''`,
      gauges: [],
      counters: ['collector_gather_duration_seconds_count', 'collector_gather_duration_seconds_sum'],
    },
  ];

  it.each(checks)(
    '$measurement: every rollup point equals InfluxQL over the raw points of its window',
    async ({ measurement, where, gauges, counters }) => {
      const rawSelect = [
        `count("${counters[0] ?? gauges[0]}") AS "samples"`,
        ...gauges.flatMap((f) => [`mean("${f}") AS "${f}"`, `max("${f}") AS "${f}_max"`]),
        ...counters.map((f) => `max("${f}") AS "${f}"`),
      ].join(', ');
      const columns = ['samples', ...gauges.flatMap((f) => [f, `${f}_max`]), ...counters];
      const raw = rowsByKey(
        await query(
          `SELECT ${rawSelect} FROM "${measurement}" WHERE ${where} AND time > now() - 10m GROUP BY time(${WINDOW}), * fill(none)`,
        ),
      );
      const rollup = rowsByKey(
        await query(
          `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${RP}"."${measurement}" WHERE ${where} GROUP BY *`,
        ),
      );
      // Some series of every run, each over the ~3 windows of the run.
      expect(rollup.size, measurement).toBeGreaterThanOrEqual(3);
      expect([...rollup.keys()].sort()).toEqual([...raw.keys()].sort());
      let partial = 0;
      for (const [key, row] of rollup) {
        const expected = raw.get(key) ?? {};
        for (const column of columns) {
          const got = row[column];
          const want = expected[column];
          if (typeof got === 'number' && typeof want === 'number' && !Number.isInteger(want)) {
            expect(got, `${key} ${column}`).toBeCloseTo(want, 9);
          } else {
            expect(got, `${key} ${column}`).toEqual(want);
          }
        }
        if (Number(row.samples) < 5) partial++;
      }
      // The first and the last window of each series are partial: the run began and ended inside them.
      expect(partial, measurement).toBeGreaterThan(0);
    },
  );

  it("the README's SELECT ... INTO recipe rebuilds the same rollups from raw data", async () => {
    await query(`CREATE RETENTION POLICY "backfill_5s" ON "${db}" DURATION 1h REPLICATION 1`);
    const where = `"cpu" = 'cpu-total' AND "container_name" =~ /^${prefix}-/`;
    // The README's statement, at this test's window and names.
    await query(
      `SELECT mean("usage_percent") AS "usage_percent", ` +
        `max("usage_percent") AS "usage_percent_max", max("usage_total") AS "usage_total", ` +
        `max("usage_system") AS "usage_system", count("usage_total") AS "samples" ` +
        `INTO "${db}"."backfill_5s"."docker_container_cpu" FROM "${db}"."autogen"."docker_container_cpu" ` +
        `WHERE ${where} AND time > now() - 10m GROUP BY time(${WINDOW}), *`,
    );
    const columns = '"usage_percent", "usage_percent_max", "usage_total", "usage_system", "samples"';
    const read = async (rp: string) =>
      rowsByKey(
        await query(`SELECT ${columns} FROM "${rp}"."docker_container_cpu" WHERE ${where} GROUP BY *`),
      );
    const [collector, backfill] = [await read(RP), await read('backfill_5s')];
    expect(collector.size).toBeGreaterThanOrEqual(3);
    expect([...backfill.keys()].sort()).toEqual([...collector.keys()].sort());
    for (const [key, row] of collector) {
      const rebuilt = backfill.get(key) ?? {};
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === 'number' && !Number.isInteger(value)) {
          expect(rebuilt[column], `${key} ${column}`).toBeCloseTo(value, 9);
        } else {
          expect(rebuilt[column], `${key} ${column}`).toEqual(value);
        }
      }
    }
  });
});

// npm run bench:dashboards — the query cost of the dashboards, and what rollups save.
// Starts its own InfluxDB 1.6 (scripts/testenv/start-influxdb.sh) with the rollups' retention
// policies, and writes for 100 containers in the collector's schema: one day of raw 10 s
// points, 7 days of 1-minute rollups and 30 days of 1-hour rollups (generated at the rollup
// resolutions directly: one synthetic sample per window, aggregated by the contract's rules,
// so each rollup point has the fields and series a real one has).
// 1. Every panel of every dashboard over 24 h, as Grafana runs it (all its targets), next to
//    a reference: its raw query at the raw 10 s resolution.
// 2. Every Containers panel at 24 h, 7 d and 30 d through its guarded targets, beside the
//    panel's raw query where raw data exists; ratios against the targets.
// 3. InfluxDB's disk use per day and resolution (shard sizes once the caches are snapshotted),
//    scaled to 30 days of raw against raw 7 d + 1m 90 d + 1h 730 d.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname;
const dist = path.join(here, '../dist/index.js');
if (!existsSync(dist)) {
  console.error('grafana/dist is missing: run `npm run build` first');
  process.exit(1);
}
const {
  DASHBOARD_WIDTH_PX,
  GRID_COLUMNS,
  RAW,
  RESOLUTIONS,
  ROLLUP_1H,
  ROLLUP_1M,
  dashboardBuilds,
  expandMacros,
  expandQuery,
  interpolateVariables,
  resolutionGuard,
  rollupLines,
  runInfluxQL,
  syntheticLines,
  syntheticPoints,
  writeBatch,
} = await import(dist);

const scripts = path.join(here, '../../scripts/testenv');
const instance = `bench-dashboards-${process.pid}`;
const CONTAINERS = 100;
const STEP_S = 10;
const DAY_S = 24 * 3600;
const BATCH = 5000;
const ROLLUP_1M_DAYS = 7;
const ROLLUP_1H_DAYS = 30;
/** The by-range table's queries run this many times each; the median is reported. */
const REPEAT = 3;

function fleet(nowS) {
  const MiB = 1024 ** 2;
  return Array.from({ length: CONTAINERS }, (_, i) => ({
    name: `app-${String(i).padStart(3, '0')}`,
    host: `node-${i % 4}`,
    image: 'busybox:1',
    ...(i % 3 === 0 ? { cpuLimitCores: 1 + (i % 2), memoryLimitBytes: 512 * MiB, pidsLimit: 200 } : {}),
    ...(i % 5 === 0 ? { health: i % 25 === 0 ? 'unhealthy' : 'healthy' } : {}),
    ...(i % 10 === 1 ? { restartsAt: [nowS - 3600 * (1 + (i % 7))] } : {}),
    ...(i === 0 ? { kvstore: true } : {}),
    ...(i === 7 ? { oomKilledAt: nowS - 5 * 3600 } : {}),
    cpuPercent: 5 + (i % 40),
    memoryBytes: (20 + (i % 50) * 4) * MiB,
  }));
}

async function writeWithRetry(target, lines) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await writeBatch(target, lines);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function write(target, source, label) {
  const started = performance.now();
  const inFlight = new Set();
  let batch = [];
  let lines = 0;
  const flush = async () => {
    const pending = writeWithRetry(target, batch).finally(() => inFlight.delete(pending));
    pending.catch(() => undefined);
    inFlight.add(pending);
    batch = [];
    if (inFlight.size >= 2) await Promise.race(inFlight);
  };
  for (const text of source) {
    batch.push(text);
    lines += 1;
    if (batch.length >= BATCH) await flush();
    if (lines % 2_000_000 === 0) console.error(`  ${label}: ${lines / 1e6}M lines written...`);
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `wrote ${label}: ${lines.toLocaleString('en')} points in ${seconds.toFixed(0)} s (${Math.round(lines / seconds).toLocaleString('en')} points/s)`,
  );
  return lines;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(target, query, repeat = 1) {
  const times = [];
  let series = [];
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    series = await runInfluxQL(target, query);
    times.push(performance.now() - started);
  }
  const points = series.reduce((sum, s) => sum + s.values.length, 0);
  const longest = Math.max(0, ...series.map((s) => s.values.length));
  return { ms: median(times), series: series.length, points, longest };
}

async function variableStates(target, dashboard, range) {
  const states = [];
  for (const variable of dashboard.templating.list) {
    const { query } = expandQuery(variable.query, {
      variables: states,
      ...range,
      maxDataPoints: 0,
      minIntervalMs: 10_000,
    });
    const series = await runInfluxQL(target, query);
    const options = series.flatMap((s) => s.values.map((row) => String(row[1])));
    states.push({
      name: variable.name,
      multi: variable.multi,
      includeAll: variable.includeAll,
      ...(variable.allValue !== undefined ? { allValue: variable.allValue } : {}),
      options,
      selected: variable.includeAll ? 'All' : options.slice(0, 1),
    });
  }
  return states;
}

function maxDataPointsOf(panel) {
  return panel.maxDataPoints ?? Math.round((panel.gridPos.w / GRID_COLUMNS) * DASHBOARD_WIDTH_PX);
}

/** The panel's queries: its targets in triples (raw, 1m, 1h), each with the raw query unguarded. */
function queriesOf(panel) {
  const targets = panel.targets.filter((t) => 'query' in t);
  const queries = [];
  for (let i = 0; i < targets.length; i += RESOLUTIONS.length) {
    const triple = targets.slice(i, i + RESOLUTIONS.length);
    queries.push({
      targets: triple,
      label: panel.targets.length > RESOLUTIONS.length ? ` / ${triple[0].refId}` : '',
      raw: triple[0].query.replaceAll(` AND ${resolutionGuard(RAW)}`, ''),
    });
  }
  return queries;
}

function printTable(header, table) {
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const format = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(format(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`,
  );
  for (const row of table) console.log(format(row));
}

async function shardBytesByPolicy(target) {
  // Wait until every cache is snapshotted into TSM files (INFLUXDB_DATA_CACHE_SNAPSHOT_WRITE_COLD_DURATION).
  for (let i = 0; i < 60; i += 1) {
    const caches = await runInfluxQL(target, "SHOW STATS FOR 'tsm1_cache'");
    const inMemory = caches.reduce((sum, s) => sum + Number(s.values[0][s.columns.indexOf('memBytes')]), 0);
    if (inMemory === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  // Let the full compaction of the cold shards run (INFLUXDB_DATA_COMPACT_FULL_WRITE_COLD_DURATION).
  let previous = -1;
  let bytes = {};
  for (let i = 0; i < 30; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const shards = await runInfluxQL(target, "SHOW STATS FOR 'shard'");
    bytes = {};
    for (const s of shards) {
      if (s.tags.database !== target.db) continue;
      const rp = s.tags.retentionPolicy;
      bytes[rp] = (bytes[rp] ?? 0) + Number(s.values[0][s.columns.indexOf('diskBytes')]);
    }
    const total = Object.values(bytes).reduce((a, b) => a + b, 0);
    if (total === previous) break;
    previous = total;
  }
  return bytes;
}

const url = execFileSync('bash', [path.join(scripts, 'start-influxdb.sh'), instance], {
  encoding: 'utf8',
  // Snapshot caches and compact shards soon after writes stop, so shard sizes are TSM sizes.
  env: {
    ...process.env,
    INFLUXDB_DATA_CACHE_SNAPSHOT_WRITE_COLD_DURATION: '2s',
    INFLUXDB_DATA_COMPACT_FULL_WRITE_COLD_DURATION: '5s',
  },
}).trim();
const benchStarted = performance.now();
try {
  const target = { influxUrl: url, db: 'bench' };
  await runInfluxQL(target, 'CREATE DATABASE "bench"');
  for (const r of [ROLLUP_1M, ROLLUP_1H])
    await runInfluxQL(
      target,
      `CREATE RETENTION POLICY "${r.retentionPolicy}" ON "bench" DURATION INF REPLICATION 1`,
    );
  const nowS = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S;
  const containers = fleet(nowS);
  const common = { containers, collector: true, lean: true };
  console.error(
    `writing ${CONTAINERS} containers: 1 day raw, ${ROLLUP_1M_DAYS} d of 1m, ${ROLLUP_1H_DAYS} d of 1h, to ${url} ...`,
  );
  await write(
    target,
    syntheticLines({ ...common, from: nowS - DAY_S, to: nowS, stepSeconds: STEP_S }),
    'raw, 1 day at 10 s',
  );
  const perWindow = (resolution, days) =>
    rollupLines(
      syntheticPoints({
        ...common,
        from: Math.floor((nowS - days * DAY_S) / resolution.windowSeconds) * resolution.windowSeconds,
        to: nowS,
        stepSeconds: resolution.windowSeconds,
      }),
      resolution,
    );
  await write(
    { ...target, retentionPolicy: ROLLUP_1M.retentionPolicy },
    perWindow(ROLLUP_1M, ROLLUP_1M_DAYS),
    `rollup_1m, ${ROLLUP_1M_DAYS} days`,
  );
  await write(
    { ...target, retentionPolicy: ROLLUP_1H.retentionPolicy },
    perWindow(ROLLUP_1H, ROLLUP_1H_DAYS),
    `rollup_1h, ${ROLLUP_1H_DAYS} days`,
  );

  // 1. Every dashboard over 24 h.
  const dayRange = { fromMs: (nowS - DAY_S) * 1000, toMs: nowS * 1000 };
  const rows = [];
  for (const { dashboard } of Object.values(dashboardBuilds())) {
    const variables = await variableStates(target, dashboard, dayRange);
    for (const panel of dashboard.panels) {
      if (panel.type === 'row') continue;
      const maxDataPoints = maxDataPointsOf(panel);
      for (const { targets, label, raw } of queriesOf(panel)) {
        let ms = 0;
        let chosen;
        let intervalMs = 0;
        for (const t of targets) {
          const expanded = expandQuery(t.query, {
            variables,
            ...dayRange,
            maxDataPoints,
            minIntervalMs: 10_000,
          });
          const run = await timed(target, expanded.query);
          ms += run.ms;
          intervalMs = expanded.intervalMs;
          if (run.series > 0) chosen = { ...run, refId: t.refId };
        }
        // Reference: the raw query at the raw resolution of the data (GROUP BY time(10s)).
        const rawQuery = expandMacros(interpolateVariables(raw, variables), {
          ...dayRange,
          intervalMs: STEP_S * 1000,
        });
        const rawRun = await timed(target, rawQuery);
        rows.push({
          panel: `${dashboard.title} / ${panel.title}${label}`,
          width: maxDataPoints,
          interval: `${intervalMs / 1000}s`,
          read: chosen?.refId ?? '-',
          series: chosen?.series ?? 0,
          points: chosen?.points ?? 0,
          perSeries: chosen?.longest ?? 0,
          ms,
          rawPoints: rawRun.points,
          rawMs: rawRun.ms,
          fits: (chosen?.longest ?? 0) <= maxDataPoints ? 'yes' : 'NO',
        });
      }
    }
  }
  console.log('\n## Every panel over 24 h (ms: all three targets, as Grafana runs them; one run each)\n');
  printTable(
    [
      'panel',
      'maxDataPoints',
      '$__interval',
      'answered by',
      'series',
      'points',
      'max/series',
      'ms',
      'raw 10s points',
      'raw 10s ms',
      'fits width',
    ],
    rows.map((r) => [
      r.panel,
      String(r.width),
      r.interval,
      r.read,
      String(r.series),
      r.points.toLocaleString('en'),
      String(r.perSeries),
      r.ms.toFixed(0),
      r.rawPoints.toLocaleString('en'),
      r.rawMs.toFixed(0),
      r.fits,
    ]),
  );
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  const rawTotal = rows.reduce((sum, r) => sum + r.rawMs, 0);
  console.log(
    `\n${rows.length} queries; total ${total.toFixed(0)} ms at panel width vs ${rawTotal.toFixed(0)} ms at raw resolution`,
  );
  const over = rows.filter((r) => r.fits !== 'yes');
  if (over.length > 0) {
    console.log(
      `queries returning more points per series than the panel is wide: ${over.map((r) => r.panel).join(', ')}`,
    );
    process.exitCode = 1;
  }

  // 2. The Containers dashboard at 24 h, 7 d and 30 d.
  const { dashboard } = dashboardBuilds().containers;
  const ranges = [
    { label: '24 h', days: 1 },
    { label: '7 d', days: 7 },
    { label: '30 d', days: 30 },
  ].map((r) => ({ ...r, fromMs: (nowS - r.days * DAY_S) * 1000, toMs: nowS * 1000 }));
  const containerRows = [];
  const variablesByRange = new Map();
  for (const range of ranges)
    variablesByRange.set(range.label, await variableStates(target, dashboard, range));
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') continue;
    const maxDataPoints = maxDataPointsOf(panel);
    for (const { targets, label, raw } of queriesOf(panel)) {
      const row = { panel: `${panel.title}${label}`, cells: {} };
      for (const range of ranges) {
        const variables = variablesByRange.get(range.label);
        const context = {
          variables,
          fromMs: range.fromMs,
          toMs: range.toMs,
          maxDataPoints,
          minIntervalMs: 10_000,
        };
        let ms = 0;
        let read = '-';
        for (const t of targets) {
          const run = await timed(target, expandQuery(t.query, context).query, REPEAT);
          ms += run.ms;
          if (run.series > 0) read = t.refId;
        }
        // The same query over raw data, where the bench holds raw data (the last 24 h).
        const rawMs =
          range.days <= 1 ? (await timed(target, expandQuery(raw, context).query, REPEAT)).ms : undefined;
        row.cells[range.label] = { ms, read, rawMs };
      }
      containerRows.push(row);
    }
  }
  console.log(
    `\n## Containers dashboard by range (ms of InfluxDB time through the dashboard's three guarded targets, median of ${REPEAT} runs; raw: the panel's raw query, unguarded, where raw data exists)\n`,
  );
  const cell = (row, label) => row.cells[label];
  printTable(
    ['panel', '24 h ms', 'read', 'raw 24 h ms', '7 d ms', 'read', '30 d ms', 'read', '30 d / 24 h', '≤ 1.5×'],
    containerRows.map((row) => {
      const ratio = cell(row, '30 d').ms / cell(row, '24 h').ms;
      return [
        row.panel,
        cell(row, '24 h').ms.toFixed(0),
        cell(row, '24 h').read,
        cell(row, '24 h').rawMs.toFixed(0),
        cell(row, '7 d').ms.toFixed(0),
        cell(row, '7 d').read,
        cell(row, '30 d').ms.toFixed(0),
        cell(row, '30 d').read,
        `${ratio.toFixed(2)}×`,
        ratio <= 1.5 ? 'yes' : 'NO',
      ];
    }),
  );
  const sum = (label, field = 'ms') => containerRows.reduce((s, row) => s + cell(row, label)[field], 0);
  const today24h = sum('24 h', 'rawMs');
  console.log(
    `\nContainers dashboard, summed: 24 h ${sum('24 h').toFixed(0)} ms, 7 d ${sum('7 d').toFixed(0)} ms, 30 d ${sum('30 d').toFixed(0)} ms; today's dashboard (raw queries only) at 24 h ${today24h.toFixed(0)} ms, so at 30 d about ${(30 * today24h).toFixed(0)} ms (30 × 24 h: cost grows with the points scanned; 30 days of raw are not written here)`,
  );
  console.log(
    `whole dashboard at 30 d / today's 24 h dashboard: ${(sum('30 d') / today24h).toFixed(2)}× (target ≤ 1×); panels at 30 d within 1.5× of 24 h: ${containerRows.filter((r) => cell(r, '30 d').ms / cell(r, '24 h').ms <= 1.5).length} of ${containerRows.length}`,
  );

  // 3. Disk use.
  const bytes = await shardBytesByPolicy(target);
  const MiB = 1024 ** 2;
  const rawPerDay = (bytes.autogen ?? 0) / 1;
  const m1PerDay = (bytes[ROLLUP_1M.retentionPolicy] ?? 0) / ROLLUP_1M_DAYS;
  const h1PerDay = (bytes[ROLLUP_1H.retentionPolicy] ?? 0) / ROLLUP_1H_DAYS;
  const days = (r) => r.retentionMs / (DAY_S * 1000);
  const before = 30 * rawPerDay;
  const after = days(RAW) * rawPerDay + days(ROLLUP_1M) * m1PerDay + days(ROLLUP_1H) * h1PerDay;
  console.log(
    `\n## Disk (shard sizes after snapshot and full compaction; measured per day and scaled, as 30 days of raw would take ~30 min to write)\n`,
  );
  console.log(
    `per day, ${CONTAINERS} containers: raw 10 s ${(rawPerDay / MiB).toFixed(1)} MiB (1 day written), rollup_1m ${(m1PerDay / MiB).toFixed(2)} MiB (${ROLLUP_1M_DAYS} days written), rollup_1h ${(h1PerDay / MiB).toFixed(3)} MiB (${ROLLUP_1H_DAYS} days written)`,
  );
  console.log(
    `30 days of raw: ${(before / MiB).toFixed(0)} MiB; raw ${days(RAW)} d + 1m ${days(ROLLUP_1M)} d + 1h ${days(ROLLUP_1H)} d: ${(after / MiB).toFixed(0)} MiB (${(after / before).toFixed(2)}×); the rollups synthesised with one sample per window compress a little better than real ones (their mean and max are equal)`,
  );
  console.log(`\nbench took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
} finally {
  execFileSync('bash', [path.join(scripts, 'stop-influxdb.sh'), instance], { stdio: 'inherit' });
}

// npm run bench:dashboards — the query cost of every dashboard panel over 24 h.
// Starts its own InfluxDB 1.6 (scripts/testenv/start-influxdb.sh), writes one synthetic day
// of 10 s data for 100 containers in the collector's schema, then runs each panel target as
// Grafana would for a 24 h range at the panel's width on an 1800 px dashboard, next to a
// reference: the same query at the raw 10 s resolution. Prints one table; stops InfluxDB.
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
  dashboardBuilds,
  expandMacros,
  expandQuery,
  interpolateVariables,
  runInfluxQL,
  syntheticLines,
  writeBatch,
} = await import(dist);

const scripts = path.join(here, '../../scripts/testenv');
const instance = `bench-dashboards-${process.pid}`;
const CONTAINERS = 100;
const STEP_S = 10;
const DAY_S = 24 * 3600;
const BATCH = 5000;

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

async function writeDay(target, nowS) {
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
  const source = syntheticLines({
    containers: fleet(nowS),
    from: nowS - DAY_S,
    to: nowS,
    stepSeconds: STEP_S,
    collector: true,
    lean: true,
  });
  for (const text of source) {
    batch.push(text);
    lines += 1;
    if (batch.length >= BATCH) await flush();
    if (lines % 1_000_000 === 0) console.error(`  ${lines / 1e6}M lines written...`);
  }
  if (batch.length > 0) await flush();
  await Promise.all(inFlight);
  return { lines, seconds: (performance.now() - started) / 1000 };
}

async function timed(target, query) {
  const started = performance.now();
  const series = await runInfluxQL(target, query);
  const ms = performance.now() - started;
  const points = series.reduce((sum, s) => sum + s.values.length, 0);
  const longest = Math.max(0, ...series.map((s) => s.values.length));
  return { ms, series: series.length, points, longest };
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

const url = execFileSync('bash', [path.join(scripts, 'start-influxdb.sh'), instance], {
  encoding: 'utf8',
}).trim();
try {
  const target = { influxUrl: url, db: 'bench' };
  await runInfluxQL(target, 'CREATE DATABASE "bench"');
  const nowS = Math.floor(Date.now() / 1000 / STEP_S) * STEP_S;
  console.error(`writing one day of ${STEP_S} s data for ${CONTAINERS} containers to ${url} ...`);
  const written = await writeDay(target, nowS);
  console.log(
    `wrote ${written.lines.toLocaleString('en')} points in ${written.seconds.toFixed(0)} s (${Math.round(written.lines / written.seconds).toLocaleString('en')} points/s)`,
  );

  const range = { fromMs: (nowS - DAY_S) * 1000, toMs: nowS * 1000 };
  const rows = [];
  for (const { dashboard } of Object.values(dashboardBuilds())) {
    const variables = await variableStates(target, dashboard, range);
    for (const panel of dashboard.panels) {
      if (panel.type === 'row') continue;
      const maxDataPoints =
        panel.maxDataPoints ?? Math.round((panel.gridPos.w / GRID_COLUMNS) * DASHBOARD_WIDTH_PX);
      for (const t of panel.targets) {
        if (!('query' in t)) continue;
        const expanded = expandQuery(t.query, { variables, ...range, maxDataPoints, minIntervalMs: 10_000 });
        const panelRun = await timed(target, expanded.query);
        // Reference: the same query at the raw resolution of the data (GROUP BY time(10s)).
        const raw = expandMacros(interpolateVariables(t.query, variables), {
          ...range,
          intervalMs: STEP_S * 1000,
        });
        const rawRun = await timed(target, raw);
        rows.push({
          panel: `${dashboard.title} / ${panel.title}${panel.targets.length > 1 ? ` / ${t.refId}` : ''}`,
          width: maxDataPoints,
          interval: `${expanded.intervalMs / 1000}s`,
          series: panelRun.series,
          points: panelRun.points,
          perSeries: panelRun.longest,
          ms: panelRun.ms,
          rawPoints: rawRun.points,
          rawMs: rawRun.ms,
          fits: panelRun.longest <= maxDataPoints ? 'yes' : 'NO',
        });
      }
    }
  }

  const header = [
    'panel',
    'maxDataPoints',
    '$__interval',
    'series',
    'points',
    'max/series',
    'ms',
    'raw 10s points',
    'raw ms',
    'fits width',
  ];
  const table = rows.map((r) => [
    r.panel,
    String(r.width),
    r.interval,
    String(r.series),
    r.points.toLocaleString('en'),
    String(r.perSeries),
    r.ms.toFixed(0),
    r.rawPoints.toLocaleString('en'),
    r.rawMs.toFixed(0),
    r.fits,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const format = (cells) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  console.log(format(header));
  console.log(
    `|${widths.map((w, i) => (i === 0 ? ':' : '-').padEnd(w + 1, '-') + (i === 0 ? '-' : ':')).join('|')}|`,
  );
  for (const row of table) console.log(format(row));
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  const rawTotal = rows.reduce((sum, r) => sum + r.rawMs, 0);
  console.log(
    `\n${rows.length} targets; total ${total.toFixed(0)} ms at panel width vs ${rawTotal.toFixed(0)} ms at raw resolution`,
  );
  const over = rows.filter((r) => r.fits !== 'yes');
  if (over.length > 0) {
    console.log(
      `targets returning more points per series than the panel is wide: ${over.map((r) => r.panel).join(', ')}`,
    );
    process.exitCode = 1;
  }
} finally {
  execFileSync('bash', [path.join(scripts, 'stop-influxdb.sh'), instance], { stdio: 'inherit' });
}

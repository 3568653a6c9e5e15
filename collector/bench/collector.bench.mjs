// npm run bench:collector — the collector at 1 s against N containers (N = 100, 500, 1000 by
// default, or as many as the machine can start), through both stats paths: the Engine's stats
// API (STATS_SOURCE=api) and the fast path (STATS_SOURCE=cgroupfs), beside the engine's own
// CPU with no collector running and, up to N = 100, `docker stats --no-stream`.
// Prints per N and path: collector CPU (per gather and in % of a core), RSS, gather p50/p99
// (the gather itself, without the write to InfluxDB), staleness p99 (sample `read` time ->
// visible in InfluxDB), and engine CPU in % of a core.
// Engine = dockerd + containerd + every containerd-shim, read from /proc.
// Containers do a little work every 100 ms up to N = 100; above, they sleep (1,000 busy
// containers would saturate 2 cores on their own).
// Env: BENCH_N (e.g. "100,500,1000"), BENCH_SECONDS (default 30), BENCH_PATHS ("api,cgroupfs").
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { runInfluxQL } from '@dockwatch/collector';
import {
  CLK_TCK,
  cpuSeconds,
  fmt,
  quantile,
  removeBenchContainers,
  root,
  run,
  sleep,
  startContainers,
  startInflux,
  stopInflux,
} from './support.mjs';

const cli = path.join(root, 'collector/bin/collector.js'); // the real command, V8 flags included
const NS = (process.env.BENCH_N ?? '100,500,1000').split(',').map(Number);
const PATHS = (process.env.BENCH_PATHS ?? 'api,cgroupfs').split(',');
const BUSY_UP_TO = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);

/** CPU seconds the bench's own waited-for children used (cutime + cstime). */
function childrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/** Pids of dockerd, containerd and every containerd-shim. */
function enginePids() {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'dockerd' || comm === 'containerd' || comm.startsWith('containerd-shim'))
        pids.push(Number(entry));
    } catch {
      // raced with an exiting process
    }
  }
  return pids;
}

/** Engine CPU seconds so far, summed over the same pid set at start and end. */
function engineCpu(pids) {
  return pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Engine CPU in % of a core over SECONDS with no collector running: the floor. */
async function measureIdleEngine() {
  const pids = enginePids();
  const engine0 = engineCpu(pids);
  const started = Date.now();
  await sleep(SECONDS * 1000);
  return ((engineCpu(pids) - engine0) / ((Date.now() - started) / 1000)) * 100;
}

/** Runs the collector CLI at 1 s for SECONDS and measures it. */
async function measureCollector(influxUrl, db, prefix, n, source) {
  const child = spawn(cli, [], {
    env: {
      ...process.env,
      INFLUX_API: 'v1',
      INFLUX_URL: influxUrl,
      INFLUX_DB: db,
      COLLECT_INTERVAL: '1s',
      STATS_SOURCE: source,
      CONTAINER_NAME_INCLUDE: `${prefix}-*`,
      HTTP_PORT: '0',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const gathers = [];
  let usedSource;
  let buffered = '';
  child.stderr.on('data', (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"gather done"')) continue;
      const entry = JSON.parse(line);
      if (entry.containers === n) gathers.push((entry.gatherMs ?? entry.durationMs) / 1000);
      if (entry.source !== undefined) usedSource = entry.source;
    }
  });
  // Warm up: wait until every container is followed and sampled twice.
  const warmUntil = Date.now() + 300_000;
  while (gathers.length < 3) {
    if (Date.now() > warmUntil) throw new Error(`${source}: no full gathers of ${n} containers in 5 min`);
    await sleep(200);
  }
  gathers.length = 0;
  const pids = enginePids();
  const engine0 = engineCpu(pids);
  const collector0 = cpuSeconds(child.pid);
  const started = Date.now();
  const staleness = [];
  const lastSeen = new Map();
  let maxRss = 0;
  while (Date.now() - started < SECONDS * 1000) {
    maxRss = Math.max(maxRss, rssMiB(child.pid));
    // Staleness: for each container, the newest cpu point visible now vs its `read` time.
    const series = await runInfluxQL(
      { influxUrl, db },
      `SELECT last("usage_total") FROM "docker_container_cpu" WHERE "cpu" = 'cpu-total' AND time > now() - 30s GROUP BY "container_name"`,
      { epoch: 'ns' },
    );
    const now = BigInt(Date.now()) * 1_000_000n;
    for (const s of series) {
      const time = BigInt(s.values[0][0]);
      const name = s.tags.container_name;
      if (lastSeen.get(name) !== time) {
        if (lastSeen.has(name)) staleness.push(Number(now - time) / 1e9);
        lastSeen.set(name, time);
      }
    }
    await sleep(250);
  }
  const elapsed = (Date.now() - started) / 1000;
  const collectorCpu = cpuSeconds(child.pid) - collector0;
  const engine = engineCpu(pids) - engine0;
  const count = gathers.length;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return {
    source: usedSource ?? source,
    gathers: count,
    collectorCpuPerGather: collectorCpu / count,
    collectorCorePercent: (collectorCpu / elapsed) * 100,
    engineCpuPerGather: engine / count,
    engineCorePercent: (engine / elapsed) * 100,
    rssMiB: maxRss,
    p50: quantile(gathers, 0.5),
    p99: quantile(gathers, 0.99),
    stalenessP99: quantile(staleness, 0.99),
  };
}

/** `docker stats --no-stream` once per interval (back to back when a call takes longer). */
async function measureDockerStats(names) {
  const pids = enginePids();
  const engine0 = engineCpu(pids);
  const client0 = childrenCpuSeconds();
  const durations = [];
  const started = Date.now();
  while (Date.now() - started < SECONDS * 1000) {
    const t0 = Date.now();
    await run('docker', ['stats', '--no-stream', '--format', '{{.Name}} {{.CPUPerc}}', ...names], {
      maxBuffer: 16 * 1024 * 1024,
    });
    durations.push((Date.now() - t0) / 1000);
    const wait = 1000 - (Date.now() - t0);
    if (wait > 0) await sleep(wait);
  }
  const count = durations.length;
  return {
    calls: count,
    clientCpuPerCall: (childrenCpuSeconds() - client0) / count,
    engineCpuPerCall: (engineCpu(pids) - engine0) / count,
    p50: quantile(durations, 0.5),
    p99: quantile(durations, 0.99),
  };
}

async function main() {
  const influxName = `bench-${process.pid}`;
  const influxUrl = await startInflux(influxName);
  const rows = [];
  let failure;
  try {
    await removeBenchContainers();
    for (const wanted of NS) {
      const prefix = `bench${wanted}`;
      process.stderr.write(`N=${wanted}: starting containers...\n`);
      const busy = wanted <= BUSY_UP_TO;
      const n = await startContainers(prefix, wanted, busy);
      await sleep(3000);
      process.stderr.write(`N=${n}: engine alone for ${SECONDS} s...\n`);
      const idleEngine = await measureIdleEngine();
      const row = { n, busy, idleEngine, paths: [], reference: undefined };
      for (const source of PATHS) {
        const db = `bench_${n}_${source}`;
        await runInfluxQL({ influxUrl, db }, `CREATE DATABASE "${db}"`);
        process.stderr.write(`N=${n}: collector (${source}) at 1 s for ${SECONDS} s...\n`);
        row.paths.push(await measureCollector(influxUrl, db, prefix, n, source));
      }
      if (n <= BUSY_UP_TO) {
        process.stderr.write(`N=${n}: docker stats --no-stream for ${SECONDS} s...\n`);
        row.reference = await measureDockerStats(Array.from({ length: n }, (_, i) => `${prefix}-${i}`));
      }
      rows.push(row);
      // Printed now as well: a run at 1,000 containers takes half an hour, and a late failure
      // (the engine hanging on cleanup) must not lose the figures.
      process.stderr.write(`N=${n} measured: ${JSON.stringify(row)}\n`);
      process.stderr.write(`N=${n}: removing containers...\n`);
      await removeBenchContainers();
    }
  } catch (error) {
    failure = error; // print what was measured, then fail
  } finally {
    await removeBenchContainers();
    await stopInflux(influxName);
  }

  console.log(
    `\ncollector at 1 s, ${SECONDS} s per run, ${cpus().length} cores; engine = dockerd + containerd + shims`,
  );
  console.log(
    '|    N | containers | path | collector core % | collector CPU-s/gather | RSS MiB | gather p50 | gather p99 | staleness p99 | engine core % | engine core %, no collector |',
  );
  console.log('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    for (const c of row.paths) {
      console.log(
        `| ${String(row.n).padStart(4)} | ${row.busy ? 'busy' : 'idle'} | ${c.source} | ${fmt(c.collectorCorePercent, 1)} | ${fmt(c.collectorCpuPerGather, 4)} | ${fmt(c.rssMiB, 1)} | ${fmt(c.p50)} s | ${fmt(c.p99)} s | ${fmt(c.stalenessP99)} s | ${fmt(c.engineCorePercent, 1)} | ${fmt(row.idleEngine, 1)} |`,
      );
    }
  }
  const withReference = rows.filter((row) => row.reference);
  if (withReference.length > 0) {
    console.log('\n`docker stats --no-stream` once per second (back to back when slower)');
    console.log('|    N | CLI CPU-s/call | engine CPU-s/call | call p50 | call p99 |');
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    for (const { n, reference: r } of withReference) {
      console.log(
        `| ${String(n).padStart(4)} | ${fmt(r.clientCpuPerCall)} | ${fmt(r.engineCpuPerCall)} | ${fmt(r.p50)} s | ${fmt(r.p99)} s |`,
      );
    }
  }

  // Targets of the fast path (printed, never asserted: figures depend on the machine).
  const check = (ok, text) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  const fastAt = (wanted) => {
    const row =
      rows.find((r) => r.n === wanted) ?? rows.find((r) => r.n === Math.max(...rows.map((x) => x.n)));
    return row && { row, c: row.paths.find((p) => p.source === 'cgroupfs') };
  };
  const small = rows.find((r) => r.n <= 100 && r.n >= Math.min(100, ...NS));
  const smallFast = small?.paths.find((p) => p.source === 'cgroupfs');
  if (small && smallFast) {
    console.log(`\nfast path targets at N = ${small.n}, 1 s:`);
    check(
      smallFast.collectorCorePercent <= 2,
      `collector ${fmt(smallFast.collectorCorePercent, 1)} % of a core <= 2 %`,
    );
    check(
      smallFast.engineCorePercent <= small.idleEngine * 1.1 + 0.5,
      `engine ${fmt(smallFast.engineCorePercent, 1)} % of a core, no higher than with no collector (${fmt(small.idleEngine, 1)} %, + 10 % + 0.5 points of noise)`,
    );
  }
  const big = fastAt(1000);
  if (big?.c && big.row.n > 100) {
    console.log(
      `\nfast path targets at N = ${big.row.n}${big.row.n < 1000 ? ' (the most this machine started)' : ''}, 1 s:`,
    );
    check(
      big.c.collectorCorePercent <= 10,
      `collector ${fmt(big.c.collectorCorePercent, 1)} % of a core <= 10 %`,
    );
    check(big.c.rssMiB <= 150, `collector RSS ${fmt(big.c.rssMiB, 1)} MiB <= 150 MB`);
    check(big.c.p99 <= 0.25, `gather p99 ${fmt(big.c.p99)} s <= 250 ms`);
  }
  if (failure !== undefined) throw failure;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

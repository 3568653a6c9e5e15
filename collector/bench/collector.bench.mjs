// npm run bench:collector — the collector at 1 s against N busy containers (N = 10, 50, 100),
// beside `docker stats --no-stream` as the reference, on this machine, in one run.
// Prints per N: CPU seconds per gather (collector, engine), collector RSS, gather p50/p99,
// staleness p99 (sample `read` time -> visible in InfluxDB), and the same for docker stats.
// Engine = dockerd + containerd + every containerd-shim, read from /proc.
// Env: BENCH_N (e.g. "10,50,100"), BENCH_SECONDS (default 30).
import { execFile, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const scripts = path.join(root, 'scripts/testenv');
const cli = path.join(root, 'collector/bin/collector.js'); // the real command, V8 flags included
const NS = (process.env.BENCH_N ?? '10,50,100').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CLK_TCK = 100;
const docker = new Docker();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** CPU seconds (user+system) of one process, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0; // the process is gone
  }
}

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

function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function influxQuery(url, db, q) {
  const response = await fetch(`${url}/query`, {
    method: 'POST',
    body: new URLSearchParams({ db, q, epoch: 'ns' }),
  });
  const json = await response.json();
  return json.results?.[0]?.series ?? [];
}

async function startContainers(prefix, n) {
  const containers = [];
  for (let i = 0; i < n; i++) {
    const container = await docker.createContainer({
      name: `${prefix}-${i}`,
      Image: 'local/busybox:1',
      // Busy, lightly: a little work every 100 ms, so N = 100 does not saturate 2 cores.
      Cmd: ['sh', '-c', 'while true; do i=0; while [ $i -lt 200 ]; do i=$((i+1)); done; sleep 0.1; done'],
      Labels: { 'kvobs.test': '1', 'kvobs.bench': '1' },
    });
    await container.start();
    containers.push(container);
  }
  return containers;
}

/** Runs the collector CLI at 1 s for SECONDS and measures it. */
async function measureCollector(influxUrl, db, prefix, n) {
  const child = spawn(cli, [], {
    env: {
      ...process.env,
      INFLUX_API: 'v1',
      INFLUX_URL: influxUrl,
      INFLUX_DB: db,
      COLLECT_INTERVAL: '1s',
      CONTAINER_NAME_INCLUDE: `${prefix}-*`,
      HTTP_PORT: '0',
      LOG_LEVEL: 'debug',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const gathers = [];
  let buffered = '';
  child.stderr.on('data', (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"gather done"')) continue;
      const entry = JSON.parse(line);
      if (entry.containers === n) gathers.push(entry.durationMs / 1000);
    }
  });
  // Warm up: wait until every container is followed and sampled twice.
  while (gathers.length < 3) await sleep(200);
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
    const series = await influxQuery(
      influxUrl,
      db,
      `SELECT last("usage_total") FROM "docker_container_cpu" WHERE "cpu" = 'cpu-total' AND time > now() - 30s GROUP BY "container_name"`,
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
    gathers: count,
    collectorCpuPerGather: collectorCpu / count,
    collectorCorePercent: (collectorCpu / elapsed) * 100,
    engineCpuPerGather: engine / count,
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

async function removeBenchContainers() {
  const list = await docker.listContainers({ all: true, filters: { label: ['kvobs.bench=1'] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

const fmt = (value, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main() {
  const influxName = `bench-${process.pid}`;
  const influxUrl = (await run('bash', [path.join(scripts, 'start-influxdb.sh'), influxName])).stdout.trim();
  const rows = [];
  try {
    await removeBenchContainers();
    for (const n of NS) {
      const prefix = `bench${n}`;
      const db = `bench_${n}`;
      await influxQuery(influxUrl, db, `CREATE DATABASE "${db}"`);
      process.stderr.write(`N=${n}: starting containers...\n`);
      await startContainers(prefix, n);
      await sleep(3000);
      process.stderr.write(`N=${n}: collector at 1 s for ${SECONDS} s...\n`);
      const collector = await measureCollector(influxUrl, db, prefix, n);
      process.stderr.write(`N=${n}: docker stats --no-stream for ${SECONDS} s...\n`);
      const reference = await measureDockerStats(Array.from({ length: n }, (_, i) => `${prefix}-${i}`));
      rows.push({ n, collector, reference });
      await removeBenchContainers();
    }
  } finally {
    await removeBenchContainers();
    await run('bash', [path.join(scripts, 'stop-influxdb.sh'), influxName]);
  }

  console.log(
    `\ncollector at 1 s vs docker stats --no-stream, ${SECONDS} s each; CPU in seconds per gather/call`,
  );
  console.log(
    '|   N | collector CPU/gather | core % | engine CPU/gather | RSS MiB | gather p50 | gather p99 | staleness p99 | docker stats CLI CPU/call | engine CPU/call | call p50 | call p99 | (collector+engine)/(stats+engine) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const { n, collector: c, reference: r } of rows) {
    const ratio =
      (c.collectorCpuPerGather + c.engineCpuPerGather) / (r.clientCpuPerCall + r.engineCpuPerCall);
    console.log(
      `| ${String(n).padStart(3)} | ${fmt(c.collectorCpuPerGather, 4)} | ${fmt(c.collectorCorePercent, 1)} | ${fmt(c.engineCpuPerGather)} | ${fmt(c.rssMiB, 1)} | ${fmt(c.p50)} s | ${fmt(c.p99)} s | ${fmt(c.stalenessP99)} s | ${fmt(r.clientCpuPerCall)} | ${fmt(r.engineCpuPerCall)} | ${fmt(r.p50)} s | ${fmt(r.p99)} s | ${fmt(ratio, 2)} |`,
    );
  }
  const at100 = rows.find((row) => row.n === 100);
  if (at100) {
    const c = at100.collector;
    const r = at100.reference;
    const check = (ok, text) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
    console.log('\ntargets at N = 100, 1 s:');
    check(c.collectorCorePercent <= 5, `collector CPU ${fmt(c.collectorCorePercent, 1)} % of a core <= 5 %`);
    check(c.rssMiB <= 100, `collector RSS ${fmt(c.rssMiB, 1)} MiB <= 100 MB`);
    check(c.p99 <= 1.5, `gather p99 ${fmt(c.p99)} s <= 1.5 s`);
    check(
      c.collectorCpuPerGather + c.engineCpuPerGather <= r.clientCpuPerCall + r.engineCpuPerCall,
      `collector+engine ${fmt(c.collectorCpuPerGather + c.engineCpuPerGather)} CPU-s/gather <= docker stats+engine ${fmt(r.clientCpuPerCall + r.engineCpuPerCall)} CPU-s/call`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

// npm run bench:collector-engine-inputs — what the engine-wide inputs (docker from /info,
// docker_disk_usage from /system/df, disk from statfs) cost, at N busy containers (default 100):
//   1. One /system/df sweep, several times: wall time, CPU-s of dockerd and of containerd
//      (utime + stime from /proc/<pid>/stat, before and after), and the collector's own CPU
//      for the answer (JSON and points).
//   2. The collector's own CPU at 1 s on the fast path, in this one process: the default inputs
//      (DISK_USAGE_INTERVAL 5m) and DISK_USAGE_INTERVAL at its minimum (1m), each against a
//      reference with only the original inputs (container stats + prometheus). Variants take
//      turns in blocks of BENCH_BLOCK_SECONDS, BENCH_ROUNDS times, so drift on a shared machine
//      falls on all alike; points are serialised to line protocol and dropped.
// Env: BENCH_N (100), BENCH_SWEEPS (3), BENCH_BLOCK_SECONDS (15), BENCH_ROUNDS (3).
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import Docker from 'dockerode';
import {
  Collector,
  ContainerFilter,
  ContainerStatsInput,
  createLogger,
  diskUsagePoints,
  LineProtocolWriter,
  loadConfig,
  PrometheusInput,
} from '@dockwatch/collector';
import {
  cpuSeconds,
  fmt,
  removeBenchContainers,
  runWithDaemonFlags,
  sleep,
  startContainers,
} from './support.mjs';

runWithDaemonFlags(import.meta.url);

const N = Number(process.env.BENCH_N ?? 100);
const SWEEPS = Number(process.env.BENCH_SWEEPS ?? 3);
const BLOCK_SECONDS = Number(process.env.BENCH_BLOCK_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUN_LABEL = `dockwatch.bench.engine-inputs=${process.pid}`;
const docker = new Docker();

/** Pids by command name: dockerd, containerd (not the shims: a sweep does not touch them). */
function pidsOf(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // raced with an exiting process
    }
  }
  return pids;
}

const cpuOf = (pids) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
const ownCpu = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function measureSweeps(filter) {
  const dockerd = pidsOf('dockerd');
  const containerd = pidsOf('containerd');
  const sweeps = [];
  for (let i = 0; i < SWEEPS; i++) {
    const [d0, c0, own0, t0] = [cpuOf(dockerd), cpuOf(containerd), ownCpu(), Date.now()];
    const df = await docker.df();
    const points = diskUsagePoints(df, { host: 'bench', serverVersion: 'bench' }, 0n, filter);
    const wall = (Date.now() - t0) / 1000;
    sweeps.push({
      wall,
      dockerd: cpuOf(dockerd) - d0,
      containerd: cpuOf(containerd) - c0,
      collector: ownCpu() - own0,
      containers: df.Containers?.length ?? 0,
      points: points.length,
    });
    await sleep(2000);
  }
  return { sweeps, dockerdPids: dockerd, containerdPids: containerd };
}

const ORIGINAL_INPUTS = [
  (context) => new ContainerStatsInput(context),
  (context) => (context.config.prometheusScrape ? new PrometheusInput(context) : undefined),
];

function variant(name, env, inputs) {
  const config = loadConfig(
    {
      COLLECT_INTERVAL: '1s',
      STATS_SOURCE: 'cgroupfs',
      STATS_SELF_CHECK_INTERVAL: '0',
      LOG_LEVEL: 'silent',
      ...env,
    },
    { requireSink: false },
  );
  const collector = new Collector(config, { logger: createLogger('silent'), inputs });
  const writer = new LineProtocolWriter();
  let bytes = 0;
  const sink = {
    add(point) {
      bytes += writer.line(point).length;
    },
    flush: async () => {},
    close: async () => {},
  };
  return { name, collector, sink, cpu: 0, gathers: 0, engine: 0, seconds: 0, bytes: () => bytes };
}

async function runBlock(v, enginePids) {
  const [own0, engine0, t0] = [ownCpu(), cpuOf(enginePids), Date.now()];
  for (let i = 0; i < BLOCK_SECONDS; i++) {
    const started = Date.now();
    await v.collector.gather(v.sink);
    v.gathers++;
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
  v.cpu += ownCpu() - own0;
  v.engine += cpuOf(enginePids) - engine0;
  v.seconds += (Date.now() - t0) / 1000;
}

async function main() {
  const prefix = `engine-inputs-${process.pid}`;
  let failure;
  let sweepResult;
  const variants = [];
  try {
    process.stderr.write(`starting ${N} busy containers...\n`);
    const n = await startContainers(prefix, N, true, {
      'dockwatch.bench.engine-inputs': String(process.pid),
    });
    await sleep(3000);
    process.stderr.write(`${n} running; ${SWEEPS} /system/df sweeps...\n`);
    const filter = new ContainerFilter({
      nameInclude: [],
      nameExclude: [],
      labelInclude: [],
      labelExclude: [],
    });
    sweepResult = { n, ...(await measureSweeps(filter)) };

    const only = { CONTAINER_NAME_INCLUDE: `${prefix}-*` };
    variants.push(
      variant('reference: container stats + prometheus', only, ORIGINAL_INPUTS),
      variant('default inputs, DISK_USAGE_INTERVAL=5m', only, undefined),
      variant(
        'default inputs, DISK_USAGE_INTERVAL=1m (its minimum)',
        { ...only, DISK_USAGE_INTERVAL: '1m' },
        undefined,
      ),
    );
    for (const v of variants) await v.collector.connect({ followEvents: true });
    // Warm up: each variant primes its baselines and opens its files.
    for (const v of variants) for (let i = 0; i < 3; i++) await v.collector.gather(v.sink);
    // The first sweeps (started by the warm-up) end before the measurement, and are handed over.
    await sleep(15_000);
    for (const v of variants) await v.collector.gather(v.sink);
    const enginePids = [...pidsOf('dockerd'), ...pidsOf('containerd')];
    for (const v of variants) Object.assign(v, { cpu: 0, gathers: 0, engine: 0, seconds: 0 });
    for (let round = 1; round <= ROUNDS; round++) {
      for (const v of variants) {
        process.stderr.write(`round ${round}/${ROUNDS}: ${v.name}, ${BLOCK_SECONDS} s...\n`);
        await runBlock(v, enginePids);
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    for (const v of variants) await v.collector.stop().catch(() => undefined);
    await removeBenchContainers(RUN_LABEL);
  }

  if (sweepResult) {
    const { n, sweeps } = sweepResult;
    console.log(
      `\none GET /system/df sweep at ${n} busy containers, ${cpus().length} cores (dockerode docker.df())`,
    );
    console.log(
      '| sweep | wall s | dockerd CPU-s | containerd CPU-s | engine CPU-s | collector CPU-s | containers listed | points |',
    );
    console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    sweeps.forEach((s, i) =>
      console.log(
        `| ${i + 1} | ${fmt(s.wall, 2)} | ${fmt(s.dockerd, 2)} | ${fmt(s.containerd, 2)} | ${fmt(s.dockerd + s.containerd, 2)} | ${fmt(s.collector, 4)} | ${s.containers} | ${s.points} |`,
      ),
    );
    const mean = (key) => sweeps.reduce((sum, s) => sum + s[key], 0) / sweeps.length;
    const engine = mean('dockerd') + mean('containerd');
    console.log(
      `engine CPU per sweep ${fmt(engine, 2)} s: ${fmt((engine / 300) * 100, 2)} % of a core at 5m, ${fmt((engine / 60) * 100, 2)} % at 1m, ${fmt(engine * 100, 0)} % at every 1 s gather`,
    );
  }
  if (variants.length > 0 && variants[0].gathers > 0) {
    const reference = variants[0];
    const perGather = (v) => v.cpu / v.gathers;
    console.log(
      `\ncollector at 1 s, ${sweepResult?.n ?? N} busy containers, fast path, in one process: ${ROUNDS} rounds of ${BLOCK_SECONDS} s per variant`,
    );
    console.log(
      '| inputs | gathers | collector CPU-s/gather | collector core % | ratio to reference | engine core % (dockerd + containerd) |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const v of variants) {
      console.log(
        `| ${v.name} | ${v.gathers} | ${fmt(perGather(v), 5)} | ${fmt((v.cpu / v.seconds) * 100, 2)} | ${fmt(perGather(v) / perGather(reference), 3)} | ${fmt((v.engine / v.seconds) * 100, 1)} |`,
      );
    }
    console.log(
      'engine core % is per block: the 1m variant sweeps in its own blocks (one sweep per minute of wall time), the 5m variant not within the run.',
    );
    const ratio = perGather(variants[1]) / perGather(reference);
    console.log(
      `${ratio <= 1.1 ? 'PASS' : 'FAIL'}  default inputs cost ${fmt((ratio - 1) * 100, 1)} % more collector CPU than container stats + prometheus alone (target: within 10 %)`,
    );
  }
  if (failure !== undefined) throw failure;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

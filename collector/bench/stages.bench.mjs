// npm run bench:collector-stages — where the fast path's CPU goes, at N idle containers and 1 s.
// One process, one set of containers, four stages, each adding one step to the one before:
//   reads            the kernel files the fast path reads, with readSync and nothing else: the floor
//   gather           the collector's gather, its points dropped: reads, parsing and derivations
//   + line protocol  the points serialised
//   + InfluxDB       the points through the sink (the influx client, HTTP) into a real InfluxDB
// and, beside them, the gather with every file's text answered from memory (recorded once):
// the parsing and derivations alone, which with the reads make the floor of this design.
// Stages take turns gather by gather, paced at 1 s like the daemon, so drift on a shared
// machine falls on all of them alike. Figures are CPU (user + system) of this process per
// container and gather, and what that makes in % of a core at N containers every second.
// It re-runs itself with the daemon's V8 flags, read from collector/bin/collector.js.
// Env: BENCH_N (default 1000), BENCH_GATHERS per stage (default 20), and the sink's
// INFLUX_BATCH_SIZE, INFLUX_CONTENT_ENCODING and INFLUX_GZIP_THRESHOLD.
import { readSync } from 'node:fs';
import { cpus } from 'node:os';
import {
  Collector,
  ContainerStatsInput,
  createLogger,
  HostFiles,
  InfluxSink,
  LineProtocolWriter,
  loadConfig,
  runInfluxQL,
  SelfMetrics,
} from '@dockwatch/collector';
import {
  fmt,
  removeBenchContainers,
  runWithDaemonFlags,
  sleep,
  startContainers,
  startInflux,
  stopInflux,
} from './support.mjs';

runWithDaemonFlags(import.meta.url);

const N = Number(process.env.BENCH_N ?? 1000);
const GATHERS = Number(process.env.BENCH_GATHERS ?? 20);
const WARM_UP = 3;
const WRITE_SETTINGS = ['INFLUX_BATCH_SIZE', 'INFLUX_CONTENT_ENCODING', 'INFLUX_GZIP_THRESHOLD'];

const hostFilesRead = HostFiles.prototype.read;

/**
 * The fds and texts of every file the collector's reader reads during one gather. The floor
 * reads those very fds: opening the files again would double the ~12,000 the collector keeps.
 */
function recordReads() {
  const fds = new Set();
  const texts = new Map();
  let notKept = 0;
  HostFiles.prototype.read = function recorded(path, keep) {
    const text = hostFilesRead.call(this, path, keep);
    texts.set(path, text);
    const fd = keep?.get(path);
    if (fd === undefined) notKept++;
    else fds.add(fd);
    return text;
  };
  return {
    fds,
    texts,
    notKept: () => notKept,
    stop: () => {
      HostFiles.prototype.read = hostFilesRead;
    },
  };
}

/** Runs `gather` with every file the recording saw answered from memory, the rest read. */
async function withoutReads(texts, gather) {
  HostFiles.prototype.read = function fromMemory(path, keep) {
    return texts.has(path) ? texts.get(path) : hostFilesRead.call(this, path, keep);
  };
  try {
    await gather();
  } finally {
    HostFiles.prototype.read = hostFilesRead;
  }
}

/** The floor: the same files, read from offset 0 into one buffer, as the collector does. */
function rawReader(fds) {
  const buffer = Buffer.allocUnsafe(64 * 1024);
  return () => {
    for (const fd of fds) readSync(fd, buffer, 0, buffer.length, 0);
  };
}

async function main() {
  const influxName = `stages-${process.pid}`;
  const influxUrl = await startInflux(influxName);
  const db = 'stages';
  await runInfluxQL({ influxUrl, db }, `CREATE DATABASE "${db}"`);
  const prefix = 'stages';
  let result;
  try {
    await removeBenchContainers();
    process.stderr.write(`starting ${N} containers...\n`);
    const n = await startContainers(prefix, N, false);
    await sleep(3000);
    const config = loadConfig({
      CONTAINER_NAME_INCLUDE: `${prefix}-*`,
      STATS_SOURCE: 'cgroupfs',
      STATS_SELF_CHECK_INTERVAL: '0',
      PROMETHEUS_SCRAPE: 'false',
      INFLUX_API: 'v1',
      INFLUX_URL: influxUrl,
      INFLUX_DB: db,
      LOG_LEVEL: 'silent',
      // Write settings may be varied from the environment, to see what they cost.
      ...Object.fromEntries(
        WRITE_SETTINGS.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])),
      ),
    });
    if (!config.influx) throw new Error('no sink configured');
    const logger = createLogger('silent');
    const metrics = new SelfMetrics();
    const influx = new InfluxSink(config.influx, config.write, { metrics, logger });
    await influx.prepare();
    const dropped = { add() {}, flush: async () => {}, close: async () => {} };
    let bytes = 0;
    const writer = new LineProtocolWriter();
    const serialised = {
      add(point) {
        bytes += writer.line(point).length;
      },
      flush: async () => {},
      close: async () => {},
    };
    // The container stats input alone: the engine, disk and host inputs are not the fast path.
    const collector = new Collector(config, {
      logger,
      metrics,
      sink: influx,
      inputs: [(context) => new ContainerStatsInput(context)],
    });
    await collector.connect({ followEvents: false });
    for (let i = 0; i < WARM_UP; i++) await collector.gather(dropped, { includeSelf: false });
    const recording = recordReads();
    await collector.gather(dropped, { includeSelf: false });
    recording.stop();
    const readAll = rawReader(recording.fds);
    if (recording.notKept() > 0) {
      process.stderr.write(`  ${recording.notKept()} files were not kept open: the floor leaves them out\n`);
    }

    const stages = [
      { name: 'reads', run: async () => readAll() },
      { name: 'gather', run: () => collector.gather(dropped, { includeSelf: false }) },
      { name: '+ line protocol', run: () => collector.gather(serialised, { includeSelf: false }) },
      {
        name: '+ InfluxDB',
        run: async () => {
          await collector.gather(influx, { includeSelf: false });
          await influx.flush();
        },
      },
      {
        name: 'gather, texts from memory',
        apart: true,
        run: () => withoutReads(recording.texts, () => collector.gather(dropped, { includeSelf: false })),
      },
    ].map((stage) => ({ ...stage, micros: 0, gathers: 0 }));
    process.stderr.write(
      `${n} containers, ${recording.fds.size} files; ${GATHERS} gathers per stage, 1 s apart...\n`,
    );
    for (let round = 0; round < WARM_UP + GATHERS; round++) {
      for (const stage of stages) {
        const started = Date.now();
        const cpu = process.cpuUsage();
        await stage.run();
        const used = process.cpuUsage(cpu);
        if (round >= WARM_UP) {
          stage.micros += used.user + used.system;
          stage.gathers++;
        }
        await sleep(Math.max(0, 1000 - (Date.now() - started)));
      }
    }
    await influx.close();
    result = {
      n,
      write: config.write,
      files: recording.fds.size,
      stages,
      bytes: bytes / (WARM_UP + GATHERS),
    };
  } finally {
    await removeBenchContainers();
    await stopInflux(influxName);
  }

  const { n, stages } = result;
  const perContainer = (stage) => stage.micros / stage.gathers / n;
  console.log(
    `\nfast path at ${n} idle containers, 1 s, ${cpus().length} cores: ${result.files} files read per gather, ` +
      `write settings ${JSON.stringify({ ...result.write, gzipThreshold: result.write.gzipThreshold ?? 'off' })}, ` +
      `${fmt(result.bytes / n / 1024, 1)} KiB of line protocol per container`,
  );
  console.log('| stage | CPU µs per container and gather | % of a core at 1 s | step adds |');
  console.log('| --- | ---: | ---: | ---: |');
  let previous = 0;
  const steps = stages.filter((stage) => !stage.apart);
  for (const stage of steps) {
    const micros = perContainer(stage);
    console.log(
      `| ${stage.name} | ${fmt(micros, 1)} | ${fmt((micros * n) / 1e4, 1)} | ${fmt(((micros - previous) * n) / 1e4, 1)} |`,
    );
    previous = micros;
  }
  const floor = perContainer(steps[0]);
  const total = perContainer(steps[steps.length - 1]);
  console.log(`\nthe reads alone are ${fmt((floor / total) * 100, 0)} % of the full gather's CPU`);
  for (const stage of stages.filter((s) => s.apart)) {
    const micros = perContainer(stage);
    console.log(
      `${stage.name} (parsing and derivations alone): ${fmt(micros, 1)} µs per container and gather, ` +
        `${fmt((micros * n) / 1e4, 1)} % of a core; with the reads, ${fmt(((micros + floor) * n) / 1e4, 1)} %`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

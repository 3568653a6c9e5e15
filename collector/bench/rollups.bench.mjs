// npm run bench:rollups (part of npm run bench:collector) — what the rollup stage adds to the
// collector's write path, in one process: N containers' points per gather (derived from the
// recorded v1-burner sample, 8 points each, plus a status point), half an hour of gathers
// at 10 s, through
//   raw only       the line protocol of every point (the sink's synchronous work per point)
//   raw + rollups  the same through a RollupSink with the default resolutions (1m, 1h), whose
//                  closed windows are serialised too
// taking turns gather by gather. Prints CPU µs per point, the ratio, % of a core at N
// containers every 10 s, and the heap the open windows hold. No engine, no InfluxDB: the HTTP
// part of a write is the same for a rollup line as for a raw one, and rollups add ~1/6 (1m)
// + 1/360 (1h) lines at 10 s.
// Env: BENCH_N (default 1000), BENCH_GATHERS (default 180: half an hour at 10 s).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  deriveContainerPoints,
  LineProtocolWriter,
  loadConfig,
  RollupSink,
  SelfMetrics,
  statusPoint,
} from '@dockwatch/collector';
import { fmt, root, runWithDaemonFlags } from './support.mjs';

runWithDaemonFlags(import.meta.url);

const N = Number(process.env.BENCH_N ?? 1000);
const GATHERS = Number(process.env.BENCH_GATHERS ?? 180);
const INTERVAL_NS = 10_000_000_000n;

const fixture = path.join(root, 'test/fixtures/collector/v1-burner');
const readJson = (file) => JSON.parse(readFileSync(path.join(fixture, file), 'utf8'));

/** One gather's points for every container, at the fixture's time; re-timed per gather below. */
function gatherTemplate() {
  const engine = readJson('engine.json');
  const options = readJson('options.json');
  const inspect = readJson('inspect.json');
  const current = readJson('current.json');
  const previous = readJson('previous.json');
  const points = [];
  for (let i = 0; i < N; i++) {
    const input = {
      engine,
      inspect: { ...inspect, Name: `/bench-${i}` },
      previous,
      current,
      options: { labelAllowlist: options.labelAllowlist, perDevice: options.perDevice },
    };
    const derived = deriveContainerPoints(input);
    derived.push(statusPoint(input.inspect, engine, options.labelAllowlist, derived[0]?.time ?? 0n));
    points.push(...derived);
  }
  return points;
}

/** A sink that serialises what it is given and keeps the byte count (the sink's per-point work). */
function serialisingSink() {
  const writer = new LineProtocolWriter();
  const sink = {
    bytes: 0,
    lines: 0,
    add(point) {
      sink.bytes += writer.line(point).length;
      sink.lines++;
    },
    flush: async () => {},
    close: async () => {},
  };
  return sink;
}

async function main() {
  const template = gatherTemplate();
  const start = template[0].time - (template[0].time % 3_600_000_000_000n);
  const { resolutions } = loadConfig({}, { requireSink: false }).rollups;
  const rawOnly = serialisingSink();
  const raw = serialisingSink();
  const rollupSinks = resolutions.map((resolution) => ({ resolution, sink: serialisingSink() }));
  const withRollups = new RollupSink(raw, rollupSinks, new SelfMetrics());
  const stages = [
    { name: 'raw only', sink: rawOnly, micros: 0 },
    { name: 'raw + rollups', sink: withRollups, micros: 0 },
  ];
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapOpen = 0;
  for (let gather = 0; gather < GATHERS; gather++) {
    const time = start + BigInt(gather) * INTERVAL_NS + 1_000_000_000n;
    const points = template.map((point) => ({ ...point, time }));
    for (const stage of stages) {
      const cpu = process.cpuUsage();
      for (const point of points) stage.sink.add(point);
      await stage.sink.flush();
      const used = process.cpuUsage(cpu);
      stage.micros += used.user + used.system;
    }
    // The heap the open windows hold, at the end of a minute (both resolutions' windows full).
    if (gather % 6 === 5) {
      global.gc?.();
      const heap = process.memoryUsage().heapUsed - heapBefore;
      if (heap > heapOpen) heapOpen = heap;
    }
  }
  await withRollups.close();
  const points = template.length * GATHERS;
  const [rawStage, rollupStage] = stages;
  const perPoint = (stage) => stage.micros / points;
  const added = perPoint(rollupStage) - perPoint(rawStage);
  console.log(
    `\nrollup stage, ${N} containers (${template.length} points per gather), ${GATHERS} gathers at 10 s, ` +
      `resolutions ${resolutions.map((r) => r.name).join(', ')}`,
  );
  console.log('| path | CPU µs per raw point | % of a core at 10 s | lines written per raw point |');
  console.log('| --- | ---: | ---: | ---: |');
  const lines = {
    'raw only': rawOnly.lines,
    'raw + rollups': raw.lines + rollupSinks.reduce((sum, { sink }) => sum + sink.lines, 0),
  };
  for (const stage of stages) {
    console.log(
      `| ${stage.name} | ${fmt(perPoint(stage), 2)} | ${fmt((perPoint(stage) * template.length) / 1e5, 2)} | ${fmt(lines[stage.name] / points, 3)} |`,
    );
  }
  console.log(
    `\nthe rollup stage adds ${fmt(added, 2)} µs per point: ${fmt(perPoint(rollupStage) / perPoint(rawStage), 2)}x ` +
      `the raw path's serialisation alone; heap held by the open windows (1m and 1h): ` +
      `${fmt(heapOpen / 1024 / 1024, 1)} MiB, ${fmt(heapOpen / N / 1024, 1)} KiB per container` +
      `${global.gc ? '' : ' (run with --expose-gc for this figure)'}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});

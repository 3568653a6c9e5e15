// Helpers for collector integration tests: an in-process collector writing to the test
// InfluxDB, a sink that also records what was sent, and `docker stats` as the reference.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  Collector,
  type PointSink,
  type CollectorConfig,
  loadConfig,
  InfluxSink,
  createInfluxSink,
  createLogger,
  SelfMetrics,
  type Point,
} from '@dockwatch/collector';

const run = promisify(execFile);

/**
 * A collector config from environment-style overrides (v1 API against the test InfluxDB,
 * docker_disk_usage off); without INFLUX_URL it has no sink, for tests that gather into memory.
 */
export function collectorConfig(env: Record<string, string>): CollectorConfig {
  return loadConfig(
    {
      INFLUX_API: 'v1',
      HTTP_PORT: '0',
      // Off unless a test asks for it: a /system/df sweep takes seconds of engine CPU, which
      // would compete with the workloads whose CPU % other tests compare with `docker stats`.
      DISK_USAGE_INTERVAL: '0',
      LOG_LEVEL: process.env.COLLECTOR_LOG_LEVEL ?? 'silent',
      ...env,
    },
    { requireSink: env.INFLUX_URL !== undefined },
  );
}

/** Tees every point into memory before the real sink, so tests know exactly what was sent. */
export class RecordingSink implements PointSink {
  readonly points: Point[] = [];
  constructor(private readonly inner: PointSink) {}
  add(point: Point): void {
    this.points.push(point);
    this.inner.add(point);
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface RunningCollector {
  collector: Collector;
  sink: RecordingSink;
  metrics: SelfMetrics;
  stop(): Promise<void>;
}

/**
 * Starts an in-process collector daemon writing to InfluxDB through the real sink. With
 * `rollups`, the daemon's own sink (raw plus the ROLLUPS resolutions, prepared as the CLI
 * does); without, raw points only. The recording sink sees the raw points either way.
 */
export async function startCollector(
  env: Record<string, string>,
  { rollups = false } = {},
): Promise<RunningCollector> {
  const config = collectorConfig(env);
  if (!config.influx) throw new Error('collector test config needs INFLUX_URL and INFLUX_DB');
  const logger = createLogger(config.logLevel);
  const metrics = new SelfMetrics();
  let inner: PointSink;
  if (rollups) {
    const prepared = createInfluxSink(config.influx, config, { metrics, logger });
    await prepared.prepare();
    inner = prepared;
  } else {
    inner = new InfluxSink(config.influx, config.write, { metrics, logger });
  }
  const sink = new RecordingSink(inner);
  const collector = new Collector(config, { logger, metrics, sink });
  await collector.start();
  return { collector, sink, metrics, stop: () => collector.stop() };
}

/** One row of `docker stats --no-stream --format '{{json .}}'`. */
export interface DockerStatsRow {
  Name: string;
  CPUPerc: string;
  MemUsage: string;
  MemPerc: string;
  NetIO: string;
  BlockIO: string;
  PIDs: string;
}

export async function dockerStats(names: string[]): Promise<Map<string, DockerStatsRow>> {
  const { stdout } = await run('docker', ['stats', '--no-stream', '--format', '{{json .}}', ...names]);
  const rows = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DockerStatsRow);
  return new Map(rows.map((row) => [row.Name, row]));
}

const UNITS: Record<string, number> = {
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** Parses docker's human sizes: `1.5MiB` (binary, memory) or `21.9MB` (decimal, IO). */
export function parseDockerSize(text: string): number {
  const match = /^([\d.]+)\s*([A-Za-z]+)$/.exec(text.trim());
  const unit = match?.[2] ? UNITS[match[2]] : undefined;
  if (!match || unit === undefined) throw new Error(`not a docker size: "${text}"`);
  return Number(match[1]) * unit;
}

/** `"99.87%"` -> 99.87 */
export function parsePercent(text: string): number {
  return Number(text.replace('%', ''));
}

/** The points of one measurement for one container, from what a sink recorded. */
export function pointsOf(points: readonly Point[], measurement: string, containerName: string): Point[] {
  return points.filter((p) => p.measurement === measurement && p.tags.container_name === containerName);
}

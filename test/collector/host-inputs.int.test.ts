// The host inputs (cpu, mem, system) of the real collector against this machine's /proc: the
// figures agree with the kernel's files and `free` read at the same time, a CPU burner's time
// shows in the host's usage_user, the points reach InfluxDB tagged with the engine's name,
// and a HOST_PROC without the files costs one warning and the host points, nothing else.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayAccumulator, Collector, MEASUREMENT, type Point, TOTAL } from '@dockwatch/collector';
import { collectorConfig, pointsOf, startCollector } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HOST_MEASUREMENTS: readonly string[] = [
  MEASUREMENT.hostCpu,
  MEASUREMENT.hostMem,
  MEASUREMENT.hostSystem,
];

const hostPoints = (points: readonly Point[], measurement: string) =>
  points.filter((p) => p.measurement === measurement);

async function gather(collector: Collector): Promise<Point[]> {
  const acc = new ArrayAccumulator();
  await collector.gather(acc, { includeSelf: false });
  return acc.points;
}

/** The `cpu` line of /proc/stat: user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice. */
function cpuTotalTicks(): number[] {
  const line = readFileSync('/proc/stat', 'latin1').split('\n')[0] ?? '';
  return line.trim().split(/\s+/).slice(1, 11).map(Number);
}
const delta = (from: number[], to: number[]) => to.map((value, i) => value - (from[i] ?? 0));
/** Telegraf's total: guest time is already inside user and nice. */
const totalTicks = (t: number[]) => t.slice(0, 8).reduce((sum, value) => sum + value, 0);
/** A share's numerator from a larger (`more`) or smaller delta, and the other delta for what it subtracts. */
const SHARES: Record<string, (more: number[], less: number[]) => number> = {
  usage_user: (more, less) => (more[0] ?? 0) - (less[8] ?? 0),
  usage_system: (more) => more[2] ?? 0,
  usage_idle: (more) => more[3] ?? 0,
};

/** The host input's errors so far, by reason (the collector counts them; the input never does). */
async function hostErrors(collector: Collector): Promise<Record<string, number>> {
  const metric = await collector.metrics.registry.getSingleMetric('collector_input_errors_total')?.get();
  const errors: Record<string, number> = {};
  for (const value of metric?.values ?? []) {
    if (value.labels.input === 'host') errors[String(value.labels.reason)] = value.value;
  }
  return errors;
}

describe.runIf(haveServices())('host inputs on the real /proc', () => {
  let env: Services;
  let engineName: string;
  const prefix = uniqueName('hostin');
  const include = { CONTAINER_NAME_INCLUDE: `${prefix}-*`, PROMETHEUS_SCRAPE: 'false' };
  const started: Docker.Container[] = [];
  const emptyProc = mkdtempSync(path.join(tmpdir(), 'host-inputs-'));

  beforeAll(async () => {
    env = services() as Services;
    engineName = ((await env.docker.info()) as { Name: string }).Name;
    started.push(await runContainer(env.docker, { name: `${prefix}-idle`, cmd: ['sleep', '3600'] }));
  });
  afterAll(async () => {
    await removeContainers(started);
    rmSync(emptyProc, { recursive: true, force: true });
  });

  it('mem total is /proc/meminfo MemTotal x 1024 and the total of free -b', async () => {
    const collector = new Collector(collectorConfig(include));
    await collector.connect({ followEvents: false });
    const [mem] = hostPoints(await gather(collector), MEASUREMENT.hostMem);
    const memTotalKb = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'))?.[1];
    const { stdout } = await run('free', ['-b']);
    const freeTotal = /^Mem:\s+(\d+)/m.exec(stdout)?.[1];
    expect(mem?.tags).toEqual({ host: engineName });
    expect(mem?.fields.total).toBe(BigInt(memTotalKb ?? 'x') * 1024n);
    expect(mem?.fields.total).toBe(BigInt(freeTotal ?? 'x'));
    const { total = 0n, used = 0n, available = 0n } = (mem?.fields ?? {}) as Record<string, bigint>;
    expect(used).toBeGreaterThan(0n);
    expect(used).toBeLessThan(total);
    expect(Number(mem?.fields.used_percent)).toBeCloseTo((100 * Number(used)) / Number(total), 9);
    expect(Number(mem?.fields.available_percent)).toBeCloseTo((100 * Number(available)) / Number(total), 9);
    expect(await hostErrors(collector)).toEqual({});
  });

  it('system load and uptime match /proc/loadavg and /proc/uptime read at the same time', async () => {
    const collector = new Collector(collectorConfig(include));
    await collector.connect({ followEvents: false });
    const loads = () => readFileSync('/proc/loadavg', 'latin1').split(' ').slice(0, 3).map(Number);
    const before = loads();
    const [system] = hostPoints(await gather(collector), MEASUREMENT.hostSystem);
    const after = loads();
    const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
    expect(system?.tags).toEqual({ host: engineName });
    ['load1', 'load5', 'load15'].forEach((field, i) => {
      const value = Number(system?.fields[field]);
      expect(value).toBeGreaterThanOrEqual(Math.min(before[i] ?? NaN, after[i] ?? NaN) - 0.01);
      expect(value).toBeLessThanOrEqual(Math.max(before[i] ?? NaN, after[i] ?? NaN) + 0.01);
    });
    expect(typeof system?.fields.uptime).toBe('bigint');
    expect(Math.abs(Number(system?.fields.uptime) - uptime)).toBeLessThanOrEqual(2);
    expect(system?.fields.n_cpus).toBe(BigInt(cpus().length));
    expect(await hostErrors(collector)).toEqual({});
  });

  it("cpu: no point on the first gather, then shares summing to 100, with a burner's time in usage_user", async () => {
    const burner = await runContainer(env.docker, {
      name: `${prefix}-burn`,
      cmd: ['sh', '-c', 'while :; do :; done'],
      // Ahead of other tests' containers on a shared machine, so it gets real CPU time.
      hostConfig: { CpuShares: 8192 },
    });
    started.push(burner);
    const collector = new Collector(collectorConfig(include));
    await collector.connect({ followEvents: false });
    const a = cpuTotalTicks();
    expect(hostPoints(await gather(collector), MEASUREMENT.hostCpu)).toEqual([]);
    const b = cpuTotalTicks();
    await sleep(2_000);
    const c = cpuTotalTicks();
    const points = await gather(collector);
    const d = cpuTotalTicks();

    const cpuPoints = hostPoints(points, MEASUREMENT.hostCpu);
    // A CPU whose iowait went backwards (NO_HZ accounting) has no point, and says so.
    const { counter_decreased: decreased = 0, ...otherErrors } = await hostErrors(collector);
    expect(otherErrors).toEqual({});
    const tags = cpuPoints.map((p) => p.tags.cpu);
    const expected = [TOTAL.hostCpu, ...cpus().map((_, i) => `cpu${i}`)];
    if (decreased === 0) expect(tags.sort()).toEqual(expected.sort());
    else expect(tags.length).toBe(expected.length - decreased);
    for (const point of cpuPoints) {
      expect(point.tags.host).toBe(engineName);
      const shares = Object.values(point.fields).map(Number);
      expect(shares).toHaveLength(10);
      expect(Math.min(...shares)).toBeGreaterThanOrEqual(0);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 6);
    }

    const total = cpuPoints.find((p) => p.tags.cpu === TOTAL.hostCpu);
    // The collector read /proc/stat once between a and b, once between c and d: counters only
    // grow, so each of its deltas lies between c - b and d - a, and each share between these
    // bounds, however busy the machine is.
    for (const [field, numerator] of Object.entries(SHARES)) {
      const share = Number(total?.fields[field]);
      const low = (100 * numerator(delta(b, c), delta(a, d))) / totalTicks(delta(a, d));
      const high = (100 * numerator(delta(a, d), delta(b, c))) / totalTicks(delta(b, c));
      expect(share, field).toBeGreaterThanOrEqual(low - 1e-9);
      expect(share, field).toBeLessThanOrEqual(high + 1e-9);
    }

    // The burner's shell loop runs in user mode only. Its CPU (100 = one core) is part of the
    // host's user time (100 = all cores) over the same two gathers, whatever else the machine
    // runs; an input that put user time anywhere else, or counted guest twice, falls short.
    const burnerCores =
      Number(pointsOf(points, MEASUREMENT.cpu, `${prefix}-burn`)[0]?.fields.usage_percent) / 100;
    const hostUserCores = (Number(total?.fields.usage_user) / 100) * cpus().length;
    // On a machine saturated by other work the burner may get little; it must get some.
    expect(burnerCores).toBeGreaterThan(0.01);
    expect(hostUserCores).toBeGreaterThanOrEqual(burnerCores * 0.9);
  });

  it('writes cpu, mem and system to InfluxDB through the daemon, tagged with the engine name', async () => {
    const db = uniqueDatabase('host_inputs');
    await createDatabase(env.influxUrl, db);
    const running = await startCollector({
      ...include,
      INFLUX_URL: env.influxUrl,
      INFLUX_DB: db,
      COLLECT_INTERVAL: '1s',
      PER_DEVICE: 'false',
    });
    try {
      const hosts = async (measurement: string) =>
        (
          await influxQuery(env.influxUrl, db, `SHOW TAG VALUES FROM "${measurement}" WITH KEY = "host"`)
        )[0]?.values?.map((row) => String(row[1])) ?? [];
      for (const measurement of HOST_MEASUREMENTS) {
        expect(
          await eventually(
            () => hosts(measurement),
            (h) => h.length > 0,
            { timeoutMs: 15_000 },
          ),
        ).toEqual([engineName]);
      }
      const cpuTags = await influxQuery(env.influxUrl, db, `SHOW TAG VALUES FROM "cpu" WITH KEY = "cpu"`);
      expect(cpuTags[0]?.values?.map((row) => row[1])).toEqual([TOTAL.hostCpu]);
      const fields = await influxQuery(env.influxUrl, db, 'SHOW FIELD KEYS FROM "system"');
      expect(Object.fromEntries(fields[0]?.values?.map((row) => [row[0], row[1]]) ?? [])).toEqual({
        load1: 'float',
        load5: 'float',
        load15: 'float',
        n_cpus: 'integer',
        uptime: 'integer',
      });
    } finally {
      await running.stop();
      await dropDatabase(env.influxUrl, db);
    }
  });

  it('HOST_PROC at an empty directory: one warning naming it, no host points, container points still written', async () => {
    const logged: { level: number; msg: string; hostProc?: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const collector = new Collector(collectorConfig({ ...include, HOST_PROC: emptyProc }), { logger });
    await collector.connect({ followEvents: false });
    const points: Point[] = [];
    for (let i = 0; i < 3; i++) {
      const acc = new ArrayAccumulator();
      await collector.gather(acc, { includeSelf: false });
      points.push(...acc.points);
      await sleep(300);
    }
    const warnings = logged.filter((entry) => entry.msg.includes('HOST_PROC'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.hostProc).toBe(emptyProc);
    expect(warnings[0]?.msg).toContain(`HOST_PROC=${emptyProc}`);
    expect(points.filter((p) => HOST_MEASUREMENTS.includes(p.measurement))).toEqual([]);
    // The stats source falls back to the API (no stat/meminfo there either), and writes on.
    expect(collector.statsSourceChoice?.source).toBe('api');
    expect(pointsOf(points, MEASUREMENT.memory, `${prefix}-idle`)).toHaveLength(3);
    expect(await hostErrors(collector)).toEqual({}); // a missing file is a choice, not an error
  });
});

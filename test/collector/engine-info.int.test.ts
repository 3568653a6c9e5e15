// The `docker` measurement on the real engine, against `docker info`. Other tests create and
// remove containers meanwhile, so each count must lie between `docker info` just before and
// just after the gather (retried a few times if churn moved it outside).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ArrayAccumulator, Collector, EngineInput, MEASUREMENT, type Point } from '@dockwatch/collector';
import { collectorConfig } from '../support/collector-harness.js';
import { haveServices } from '../support/services.js';

const run = promisify(execFile);

type DockerInfoJson = Record<string, number | string>;

async function dockerInfo(): Promise<DockerInfoJson> {
  return JSON.parse((await run('docker', ['info', '--format', '{{json .}}'])).stdout) as DockerInfoJson;
}

const COUNTS: [string, string][] = [
  ['n_containers', 'Containers'],
  ['n_containers_running', 'ContainersRunning'],
  ['n_containers_paused', 'ContainersPaused'],
  ['n_containers_stopped', 'ContainersStopped'],
  ['n_images', 'Images'],
];

describe.runIf(haveServices())('docker (engine counts) on the real engine', () => {
  it('agrees with `docker info`', async () => {
    const collector = new Collector(collectorConfig({}), { inputs: [(context) => new EngineInput(context)] });
    await collector.connect({ followEvents: false });
    let outside: string[] = [];
    let point: Point | undefined;
    let after: DockerInfoJson = {};
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await dockerInfo();
      const acc = new ArrayAccumulator();
      await collector.gather(acc, { includeSelf: false });
      after = await dockerInfo();
      expect(acc.points).toHaveLength(1);
      point = acc.points[0];
      outside = COUNTS.filter(([field, key]) => {
        const value = Number(point?.fields[field]);
        const [low, high] = [before[key], after[key]].map(Number).sort((a, b) => a - b);
        return !(value >= (low ?? 0) && value <= (high ?? 0));
      }).map(([field]) => field);
      if (outside.length === 0) break;
    }
    await collector.stop();
    expect(outside).toEqual([]);
    expect(point?.measurement).toBe(MEASUREMENT.engine);
    expect(point?.tags).toEqual({ engine_host: after.Name, server_version: after.ServerVersion });
    expect(point?.fields.n_cpus).toBe(BigInt(after.NCPU ?? -1));
    expect(point?.fields.memory_total).toBe(BigInt(after.MemTotal ?? -1));
    for (const field of ['n_used_file_descriptors', 'n_goroutines'])
      expect(Number(point?.fields[field]), field).toBeGreaterThan(0);
    expect(Number(point?.fields.n_listener_events)).toBeGreaterThanOrEqual(0);
  });
});

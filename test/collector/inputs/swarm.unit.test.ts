// The swarm input against engines that answer recorded API responses, one folder per case
// under test/fixtures/swarm/<case>/:
//   info.json                      GET /info
//   nodes.json | nodes.error.json  GET /nodes, or the error it answers ({ statusCode, json })
//   services.json                  GET /services?status=true
//   expected.lp                    what the input writes, sorted line protocol (snapshot: -u rewrites)
// Only the leader writes the cluster's measurements; every manager writes its own
// docker_swarm_manager point; workers and engines outside a swarm write nothing and report
// nothing above debug.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ArrayAccumulator,
  type CollectorConfig,
  type InputContext,
  MEASUREMENTS,
  type Point,
  SwarmInput,
} from '@dockwatch/collector';
import { sortedLineProtocol } from '../derive/fixture-cases.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/swarm/', import.meta.url));
const CASES = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
/** The recorded swarm's clock, so expected.lp is stable. */
const NOW_MS = 1_796_169_600_000;

const readJson = (dir: string, file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'));

/** An Engine API error as dockerode rejects with it. */
function apiError(recorded: { statusCode: number; json: unknown }): Error {
  return Object.assign(new Error(`(HTTP code ${recorded.statusCode})`), recorded);
}

/** An engine that answers the case's recordings, and the calls it saw. */
function recordedEngine(dir: string): { docker: Docker; calls: string[] } {
  const calls: string[] = [];
  const answer = (call: string, file: string) => {
    calls.push(call);
    if (existsSync(join(dir, file))) return Promise.resolve(readJson(dir, file));
    const errorFile = file.replace(/\.json$/, '.error.json');
    if (existsSync(join(dir, errorFile))) {
      return Promise.reject(apiError(readJson(dir, errorFile) as { statusCode: number; json: unknown }));
    }
    return Promise.reject(new Error(`${dir}: no ${file} recorded for ${call}`));
  };
  const docker = {
    info: () => answer('info', 'info.json'),
    listNodes: () => answer('nodes', 'nodes.json'),
    listServices: (options: { status?: boolean }) =>
      answer(options.status === true ? 'services?status=true' : 'services', 'services.json'),
  } as unknown as Docker;
  return { docker, calls };
}

function inputFor(docker: Docker): SwarmInput {
  const context = {
    config: { statsTimeoutMs: 1_000, intervalMs: 10_000 } as CollectorConfig,
    docker,
    engineInfo: () => docker.info(),
    logger: pino({ level: 'silent' }),
  } as unknown as InputContext;
  return new SwarmInput(context);
}

async function gather(name: string): Promise<{ acc: ArrayAccumulator; calls: string[] }> {
  const { docker, calls } = recordedEngine(join(FIXTURES, name));
  const acc = new ArrayAccumulator();
  await inputFor(docker).gather(acc);
  return { acc, calls };
}

/** Every tag and field of `points` that the catalogue lacks or types otherwise. */
function uncatalogued(points: readonly Point[]): string[] {
  const problems: string[] = [];
  for (const point of points) {
    const spec = MEASUREMENTS.find((measurement) => measurement.name === point.measurement);
    if (spec === undefined) {
      problems.push(point.measurement);
      continue;
    }
    for (const tag of Object.keys(point.tags)) {
      if (!spec.tags.some((candidate) => candidate.name === tag))
        problems.push(`${point.measurement} tag ${tag}`);
    }
    for (const [field, value] of Object.entries(point.fields)) {
      const type = { bigint: 'integer', number: 'float', string: 'string', boolean: 'boolean' }[
        typeof value as 'bigint'
      ];
      const fieldSpec = spec.fields.find((candidate) => candidate.name === field);
      if (fieldSpec?.type !== type) problems.push(`${point.measurement} field ${field} (${type})`);
    }
  }
  return problems;
}

describe('SwarmInput on recorded engines', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW_MS);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('has the cases that matter', () => {
    expect(CASES).toEqual(
      expect.arrayContaining([
        'inactive',
        'worker',
        'one-manager-leader',
        'three-managers-leader',
        'three-managers-follower',
        'manager-without-leader',
      ]),
    );
  });

  it.each(CASES)('%s writes its expected.lp, with catalogued names only', async (name) => {
    const { acc } = await gather(name);
    await expect(sortedLineProtocol(acc.points)).toMatchFileSnapshot(join(FIXTURES, name, 'expected.lp'));
    expect(uncatalogued(acc.points)).toEqual([]);
    if (name !== 'manager-without-leader') {
      expect(acc.errors.filter((error) => error.level !== 'debug')).toEqual([]);
    }
  });

  it('asks an engine outside a swarm, and a worker, nothing but /info', async () => {
    expect((await gather('inactive')).calls).toEqual(['info']);
    expect((await gather('worker')).calls).toEqual(['info']);
  });

  it('lists services, with their task counts, on the leader only, in one call', async () => {
    expect((await gather('three-managers-follower')).calls).toEqual(['info', 'nodes']);
    expect((await gather('three-managers-leader')).calls).toEqual(['info', 'nodes', 'services?status=true']);
  });

  it('warns on a manager without a leader (lost quorum: 500), and writes only that it reaches none', async () => {
    const { acc, calls } = await gather('manager-without-leader');
    expect(calls).toEqual(['info', 'nodes']);
    expect(acc.points.map((point) => [point.measurement, point.tags, point.fields])).toEqual([
      ['docker_swarm_manager', { engine_host: 'kvobs-swarm-2' }, { leader_reachable: 0n, leader: 0n }],
    ]);
    expect(acc.errors).toMatchObject([{ reason: 'http_500', level: 'warn' }]);
  });

  it('has every manager write its own view: reaching the leader, and whether it is the leader', async () => {
    const view = async (name: string) =>
      (await gather(name)).acc.points
        .filter((point) => point.measurement === 'docker_swarm_manager')
        .map((point) => point.fields);
    expect(await view('three-managers-follower')).toEqual([{ leader_reachable: 1n, leader: 0n }]);
    expect(await view('three-managers-leader')).toEqual([{ leader_reachable: 1n, leader: 1n }]);
    expect(await view('worker')).toEqual([]);
    expect(await view('inactive')).toEqual([]);
  });

  it('counts a 503 (the engine turned worker between two calls) at debug level', async () => {
    const answers: Record<string, unknown> = {
      info: readJson(join(FIXTURES, 'three-managers-follower'), 'info.json'),
    };
    const docker = {
      info: () => Promise.resolve(answers.info),
      listNodes: () =>
        Promise.reject(apiError(readJson(join(FIXTURES, 'worker'), 'nodes.error.json') as never)),
    } as unknown as Docker;
    const acc = new ArrayAccumulator();
    await inputFor(docker).gather(acc);
    expect(acc.points).toEqual([]);
    expect(acc.errors).toMatchObject([{ reason: 'http_503', level: 'debug' }]);
  });

  it('writes one point per service, node and cluster on the leader, agreeing with the recording', async () => {
    const { acc } = await gather('three-managers-leader');
    const count = (measurement: string) =>
      acc.points.filter((point) => point.measurement === measurement).length;
    const dir = join(FIXTURES, 'three-managers-leader');
    expect(count('docker_swarm')).toBe((readJson(dir, 'services.json') as unknown[]).length);
    expect(count('docker_swarm_node')).toBe(3);
    expect(count('docker_swarm_cluster')).toBe(1);
    const stuck = acc.points.find((point) => point.tags.service_name === 'stuck');
    expect(stuck?.fields).toEqual({ tasks_running: 0n, tasks_desired: 2n });
    expect(acc.points.find((point) => point.measurement === 'docker_swarm_cluster')?.fields).toEqual({
      nodes: 3n,
      nodes_ready: 3n,
      managers: 3n,
      managers_reachable: 3n,
      quorum: true,
    });
  });
});

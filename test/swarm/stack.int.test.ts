// compose/stack.yaml on a real 3-node swarm (scripts/testenv/swarm-up.sh, one manager): our
// images loaded into every node, the secrets made by compose/swarm/create-secrets.sh, the stack
// deployed with stack.ci.yaml on top (InfluxDB 1.6, the collector in v1 mode, no Grafana task).
// Asserted through InfluxDB: each node's containers arrive under its own engine_host, read
// through the proxy of the same node; docker_swarm has one point per service per interval and
// agrees with `docker service ls`; a service whose constraint no node meets is short of its
// tasks; draining a node moves the per-node container counts.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGES } from '../support/docker.js';
import { eventually, type Series } from '../support/influx.js';
import { buildProjectImage, type ProjectImage, REPO_ROOT } from '../support/images.js';
import { type SwarmNodeHandle, swarmDown, swarmUp } from '../support/swarm.js';

const run = promisify(execFile);
const COMPOSE_DIR = path.join(REPO_ROOT, 'compose');
const STACK = 'dockwatch';
const INTERVAL_MS = 2_000;
const TAG = 'swarm-test';
const BUILT: ProjectImage[] = ['collector', 'kvstore', 'kvstore-nginx', 'docker-proxy'];
/** The stack's services whose tasks run here (Grafana's never do, by stack.ci.yaml). */
const RUNNING_SERVICES = ['collector', 'docker-proxy', 'influxdb', 'kvstore', 'nginx'].map(
  (s) => `${STACK}_${s}`,
);
const SPREAD = 'dw-spread';
const STUCK = 'dw-stuck';
const SECRETS = [
  'influxdb-token',
  'influxdb-password',
  'grafana-admin-password',
  'kv-admin-token',
  'kv-admin-password',
];

describe('swarm: compose/stack.yaml deployed with docker stack deploy', () => {
  let nodes: SwarmNodeHandle[] = [];
  const nodeIds = new Map<number, string>();
  const suiteStarted = Date.now();
  let secretsOutput = '';

  const node = (index: number): SwarmNodeHandle => {
    const found = nodes.find((candidate) => candidate.index === index);
    if (!found) throw new Error(`no node ${index}`);
    return found;
  };
  /** The environment of a docker CLI (Debian's 20.10, the nodes' own) pointed at the manager. */
  const managerEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `/usr/bin:${process.env.PATH ?? ''}`,
      DOCKER_HOST: node(1).dockerHost,
      ...extra,
    };
    delete env.DOCKER_CONTEXT;
    return env;
  };
  const deploy = () =>
    run(
      'docker',
      ['stack', 'deploy', '--resolve-image', 'never', '-c', 'stack.yaml', '-c', 'stack.ci.yaml', STACK],
      {
        cwd: COMPOSE_DIR,
        env: managerEnv({
          DOCKWATCH_VERSION: TAG,
          COLLECT_INTERVAL: `${INTERVAL_MS / 1000}s`,
          // The nodes' data roots are folders below this one; the disk input statfs's its own.
          DOCKER_DATA_ROOT: '/var/lib/kvobs-testenv/swarm',
        }),
        timeout: 60_000,
      },
    );
  /** `docker service ls` on the manager: name -> "running/desired". */
  const serviceList = async (): Promise<Map<string, string>> => {
    const out = await node(1).cli('service', 'ls', '--format', '{{.Name}} {{.Replicas}}');
    return new Map(
      out
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
  };
  /** InfluxQL through the influx CLI in the stack's InfluxDB task (the overlay is not reachable from here). */
  const query = async (q: string): Promise<Series[]> => {
    const container = (
      await node(1).cli('ps', '-q', '-f', `label=com.docker.swarm.service.name=${STACK}_influxdb`)
    ).trim();
    if (!container) throw new Error('no InfluxDB task on node 1');
    const out = await node(1).cli(
      'exec',
      container,
      'influx',
      '-database',
      'dockwatch',
      '-format',
      'json',
      '-precision',
      'ms',
      '-execute',
      q,
    );
    // The CLI reads the answer chunked: one result per series, all of this one statement.
    const parsed = JSON.parse(out) as { results?: { series?: Series[]; error?: string }[] };
    const results = parsed.results ?? [];
    const failed = results.find((result) => result.error);
    if (failed) throw new Error(`${q}: ${failed.error}`);
    return results.flatMap((result) => result.series ?? []);
  };
  /** Distinct spread-service containers per engine_host seen in the last `seconds`, checking each node id. */
  const spreadByHost = async (seconds: number): Promise<Map<string, number>> => {
    const series = await query(
      `SELECT last("usage_percent") FROM "docker_container_cpu" WHERE "com.docker.swarm.service.name" = '${SPREAD}' AND time > now() - ${seconds}s GROUP BY "engine_host", "com.docker.swarm.node.id", "container_name"`,
    );
    const counts = new Map<string, number>();
    for (const one of series) {
      const host = one.tags?.engine_host ?? '';
      const owner = nodes.find((candidate) => candidate.hostname === host);
      // A container is counted under the engine that runs it, and its node id is that engine's.
      expect(one.tags?.['com.docker.swarm.node.id'], host).toBe(owner ? nodeIds.get(owner.index) : 'unknown');
      counts.set(host, (counts.get(host) ?? 0) + 1);
    }
    return counts;
  };

  beforeAll(async () => {
    const buildStarted = Date.now();
    const images = await Promise.all(
      BUILT.map((image) => buildProjectImage(image, `dockwatch/${image}:${TAG}`)),
    );
    console.info(`stack: images built in ${Date.now() - buildStarted} ms`);
    const upStarted = Date.now();
    // Global services' images on every node; the data node's (node 1, labelled below) on it
    // only, which saves two of three loads of the largest images.
    const everywhere = images.filter((image) => /\/(collector|docker-proxy):/.test(image));
    const dataNodeOnly = [...images.filter((image) => !everywhere.includes(image)), IMAGES.influxdb];
    nodes = await swarmUp({ managers: 1, images: [...everywhere, IMAGES.busybox] });
    await run(
      'bash',
      [
        '-c',
        'docker save "${@:2}" | env -u DOCKER_HOST -u DOCKER_CONTEXT /usr/bin/docker -H "$1" load -q',
        'load',
        node(1).dockerHost,
        ...dataNodeOnly,
      ],
      { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
    console.info(`stack: swarm up with the images loaded in ${Date.now() - upStarted} ms`);
    for (const handle of nodes) {
      const info = (await handle.docker.info()) as { Swarm: { NodeID: string } };
      nodeIds.set(handle.index, info.Swarm.NodeID);
    }
    const deployStarted = Date.now();
    // The documented one-time steps, then the deploy.
    secretsOutput = (
      await run('sh', [path.join(COMPOSE_DIR, 'swarm/create-secrets.sh')], {
        env: managerEnv(),
        timeout: 60_000,
      })
    ).stdout;
    await node(1).cli('node', 'update', '--label-add', 'dockwatch.data=true', node(1).hostname);
    await deploy();
    const create = ['service', 'create', '--detach', '--no-resolve-image', '--endpoint-mode', 'dnsrr'];
    const sleeper = [IMAGES.busybox, 'sleep', '3600'];
    // Three replicas: the scheduler spreads them one per node.
    await node(1).cli(...create, '--name', SPREAD, '--replicas', '3', ...sleeper);
    await node(1).cli(
      ...create,
      '--name',
      STUCK,
      '--replicas',
      '2',
      '--constraint',
      'node.labels.dw-nowhere==1',
      ...sleeper,
    );
    const list = await eventually(
      serviceList,
      (services) =>
        RUNNING_SERVICES.every((name) => {
          const [running, desired] = (services.get(name) ?? '0/-').split('/');
          return running === desired;
        }) && services.get(SPREAD) === '3/3',
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
    console.info(`stack: deployed and running in ${Date.now() - deployStarted} ms: ${[...list].join(', ')}`);
  }, 600_000);

  afterAll(async () => {
    // Always, also when beforeAll failed half-way (swarm-up.sh tears down its own failures).
    console.info(`stack: swarm down ${await swarmDown()} ms; suite ${Date.now() - suiteStarted} ms`);
  }, 120_000);

  it('creates every secret, generated, and keeps existing ones on a second run', async () => {
    for (const name of SECRETS) expect(secretsOutput).toContain(`dockwatch-${name} generated`);
    const again = (
      await run('sh', [path.join(COMPOSE_DIR, 'swarm/create-secrets.sh')], {
        env: managerEnv(),
        timeout: 60_000,
      })
    ).stdout;
    for (const name of SECRETS) expect(again).toContain(`dockwatch-${name} kept`);
  });

  it('writes each node\u2019s containers under its own engine_host, read through its own node\u2019s proxy', async () => {
    const byHost = await eventually(
      () => spreadByHost(10),
      (counts) => counts.size === 3,
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect([...byHost.entries()].sort()).toEqual(nodes.map((handle) => [handle.hostname, 1]).sort());
    // The proxies' sockets are GET-only, as compose's TCP proxy is.
    const proxy = (
      await node(2).cli('ps', '-q', '-f', `label=com.docker.swarm.service.name=${STACK}_docker-proxy`)
    ).trim();
    const viaSocket = (method: string, uri: string) =>
      node(2).cli(
        'exec',
        proxy,
        'curl',
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        method,
        '--unix-socket',
        '/run/docker-proxy/docker.sock',
        `http://docker${uri}`,
      );
    expect(await viaSocket('GET', '/containers/json')).toBe('200');
    expect(await viaSocket('POST', '/containers/create')).toBe('403');
    expect(await viaSocket('GET', '/secrets')).toBe('403');
    // Every node's stack tasks (proxy, collector, ...) come from that node's collector only.
    const hosts = await query(
      `SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "engine_host" WHERE "com.docker.swarm.service.name" = '${STACK}_docker-proxy'`,
    );
    expect((hosts[0]?.values ?? []).map((row) => row[1]).sort()).toEqual(
      nodes.map((handle) => handle.hostname).sort(),
    );
    for (const handle of nodes) {
      const ids = await query(
        `SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "com.docker.swarm.node.id" WHERE "engine_host" = '${handle.hostname}'`,
      );
      expect(
        (ids[0]?.values ?? []).map((row) => row[1]),
        handle.hostname,
      ).toEqual([nodeIds.get(handle.index)]);
    }
  });

  it('writes docker_swarm once per service per interval, agreeing with docker service ls', async () => {
    const windowStart = Date.now() - 5 * INTERVAL_MS;
    await new Promise((resolve) => setTimeout(resolve, 5 * INTERVAL_MS));
    const series = await query(
      `SELECT "tasks_running", "tasks_desired" FROM "docker_swarm" WHERE time > ${windowStart}ms GROUP BY "service_name"`,
    );
    const listed = await serviceList();
    expect(series.map((one) => one.tags?.service_name).sort()).toEqual([...listed.keys()].sort());
    const timesOf = (one: Series) => one.values.map((row) => Number(row[0]));
    const reference = timesOf(series[0] ?? { name: '', columns: [], values: [] });
    expect(reference.length).toBeGreaterThanOrEqual(3);
    // Gathers keep to the schedule, so a late one is followed by a shorter gap: no two within
    // half an interval (a duplicate), none missing (a gap of 1.5 intervals or more).
    for (let i = 1; i < reference.length; i++) {
      const gap = (reference[i] ?? 0) - (reference[i - 1] ?? 0);
      expect(gap).toBeGreaterThan(INTERVAL_MS * 0.5);
      expect(gap).toBeLessThan(INTERVAL_MS * 1.5);
    }
    for (const one of series) {
      const name = one.tags?.service_name ?? '';
      // One point per gather, every service in every gather.
      expect(timesOf(one), name).toEqual(reference);
      const last = one.values.at(-1);
      expect(`${last?.[1]}/${last?.[2]}`, name).toBe(listed.get(name));
    }
  });

  it('shows a service whose constraint no node meets with fewer running than desired tasks', async () => {
    const series = await query(
      `SELECT last("tasks_running") AS running FROM "docker_swarm" WHERE "service_name" = '${STUCK}' AND time > now() - 10s`,
    );
    const desired = await query(
      `SELECT last("tasks_desired") AS desired FROM "docker_swarm" WHERE "service_name" = '${STUCK}' AND time > now() - 10s`,
    );
    expect([series[0]?.values[0]?.[1], desired[0]?.values[0]?.[1]]).toEqual([0, 2]);
  });

  it('moves the per-node container counts when a node is drained', async () => {
    const drained = node(3);
    await node(1).cli('node', 'update', '--availability', 'drain', drained.hostname);
    const drainedAt = Date.now();
    await eventually(
      async () =>
        (
          await node(1).cli(
            'service',
            'ps',
            SPREAD,
            '--filter',
            'desired-state=running',
            '--format',
            '{{.Node}} {{.CurrentState}}',
          )
        )
          .trim()
          .split('\n'),
      (tasks) =>
        tasks.length === 3 &&
        tasks.every((task) => !task.startsWith(drained.hostname) && task.includes('Running')),
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    // Counted over the last 3 intervals, once those all lie after the move.
    const window = 3 * INTERVAL_MS;
    await new Promise((resolve) => setTimeout(resolve, window));
    const after = await eventually(
      () => spreadByHost(window / 1000),
      (counts) => !counts.has(drained.hostname) && [...counts.values()].reduce((a, b) => a + b, 0) === 3,
      { timeoutMs: 20_000, intervalMs: 1_000 },
    );
    console.info(
      `stack: drained ${drained.hostname}; ${SPREAD} per node after ${Date.now() - drainedAt} ms: ${[...after].join(', ')}`,
    );
    expect(after.has(drained.hostname)).toBe(false);
    expect([...after.values()].reduce((a, b) => a + b, 0)).toBe(3);
    expect([...after.keys()].sort()).toEqual([node(1).hostname, node(2).hostname]);
    // The drained node's collector left with its other tasks: docker_swarm counts 2 of 2,
    // as `docker service ls` does (once the task has stopped: its grace period is 10 s).
    const collectorTasks = async () => {
      const [running, desired] = await Promise.all(
        ['tasks_running', 'tasks_desired'].map(async (field) => {
          const found = await query(
            `SELECT last("${field}") FROM "docker_swarm" WHERE "service_name" = '${STACK}_collector' AND time > now() - 5s`,
          );
          return found[0]?.values[0]?.[1];
        }),
      );
      return [`${running}/${desired}`, (await serviceList()).get(`${STACK}_collector`)];
    };
    const [written, listed] = await eventually(collectorTasks, ([w, l]) => w === '2/2' && l === '2/2', {
      timeoutMs: 45_000,
      intervalMs: 1_000,
    });
    expect([written, listed]).toEqual(['2/2', '2/2']);
  });
});

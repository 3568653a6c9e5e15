// compose/stack.yaml on a real 3-node swarm (scripts/testenv/swarm-up.sh, one manager): our
// images loaded into every node, the secrets made by compose/swarm/create-secrets.sh, the stack
// deployed with stack.ci.yaml on top (InfluxDB 1.6, the collector in v1 mode, no Grafana task).
// Asserted through InfluxDB: each node's containers arrive under its own engine_host, read
// through the proxy of the same node; docker_swarm has one point per service per interval and
// agrees with `docker service ls`; a service whose constraint no node meets is short of its
// tasks; draining a node moves the per-node container counts. On the data the deployed
// collectors wrote, the Swarm dashboard's queries and the swarm alert rules' queries keep their
// proofs (test/support/grafana-harness.ts, as on synthetic data in dashboards.int.test.ts) and
// the rules fire for what is wrong with this swarm, and only for that.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_RULE_UIDS } from '@dockwatch/grafana';
import { IMAGES } from '../support/docker.js';
import { evaluateRule, ruleByUid } from '../support/grafana-alerts.js';
import { assertDashboardsReturnData, type HarnessOptions } from '../support/grafana-harness.js';
import { eventually, type Series } from '../support/influx.js';
import { buildProjectImage, type ProjectImage, REPO_ROOT } from '../support/images.js';
import { forwardIntoNetns, type NetnsForward } from '../support/netns-forward.js';
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
/** stack.ci.yaml constrains Grafana to no node: like STUCK, a service short of its task. */
const GRAFANA = `${STACK}_grafana`;
const INFLUX_DB = 'dockwatch';
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
  let clusterId = '';
  /** When the stack's services were created: the start of the dashboards' time range. */
  let deployedAt = 0;
  /** The stack's InfluxDB over HTTP, as Grafana's datasource reads it (see netns-forward.ts). */
  let influx: NetnsForward | undefined;

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
  /** Every task of the stack's services and of SPREAD runs (`docker service ls`). */
  const allRunning = (services: Map<string, string>): boolean =>
    RUNNING_SERVICES.every((name) => {
      const [running, desired] = (services.get(name) ?? '0/-').split('/');
      return running === desired;
    }) && services.get(SPREAD) === '3/3';
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
      const info = (await handle.docker.info()) as { Swarm: { NodeID: string; Cluster?: { ID: string } } };
      nodeIds.set(handle.index, info.Swarm.NodeID);
      if (handle.index === 1) clusterId = info.Swarm.Cluster?.ID ?? '';
    }
    const deployStarted = Date.now();
    deployedAt = deployStarted;
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
    const list = await eventually(serviceList, allRunning, { timeoutMs: 120_000, intervalMs: 1_000 });
    console.info(`stack: deployed and running in ${Date.now() - deployStarted} ms: ${[...list].join(', ')}`);
    const influxTask = (
      await node(1).cli('ps', '-q', '-f', `label=com.docker.swarm.service.name=${STACK}_influxdb`)
    ).trim();
    const { State } = (await node(1).docker.getContainer(influxTask).inspect()) as { State: { Pid: number } };
    influx = await forwardIntoNetns(State.Pid, 8086);
  }, 600_000);

  afterAll(async () => {
    // The forwarder's helper (by its pid) before the namespace it lives in goes.
    await influx?.close();
    // Always, also when beforeAll failed half-way (swarm-up.sh tears down its own failures).
    console.info(`stack: swarm down ${await swarmDown()} ms; suite ${Date.now() - suiteStarted} ms`);
    // swarm-down.sh took 86-94 s on a loaded 2-core machine (load 15-18); the hook ran out of 120 s once.
  }, 270_000);

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
    // half an interval (a duplicate), none missing (a gap of 2 intervals or more). A loaded
    // node's timer can fire most of an interval late (3.1 s at 2 s seen), which is no gap.
    for (let i = 1; i < reference.length; i++) {
      const gap = (reference[i] ?? 0) - (reference[i - 1] ?? 0);
      expect(gap).toBeGreaterThan(INTERVAL_MS * 0.5);
      expect(gap).toBeLessThan(INTERVAL_MS * 2);
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

  /** The harness's target: the stack's InfluxDB, the collectors' interval as the datasource's. */
  const dashboardTarget = (): HarnessOptions => {
    if (!influx) throw new Error('no forward to the stack\u2019s InfluxDB');
    return {
      influxUrl: influx.url,
      db: INFLUX_DB,
      containers: { all: [] },
      timeRange: { fromMs: deployedAt, toMs: Date.now() },
      timeInterval: `${INTERVAL_MS / 1000}s`,
      only: { dashboards: ['swarm'], alertGroups: ['swarm'] },
    };
  };

  it('answers every Swarm dashboard query and swarm alert query with the deployed collectors\u2019 data', async () => {
    const started = Date.now();
    const listed = [...(await serviceList()).keys()];
    const target = dashboardTarget();
    const report = await assertDashboardsReturnData({
      ...target,
      containers: {
        all: [],
        swarm: {
          services: listed,
          longRunningServices: listed,
          // Every task container of the stack on every node. Not SPREAD: it is in no stack,
          // so the scenario that selects every listed stack (dockwatch) rightly leaves it out.
          servicesWithTasks: RUNNING_SERVICES,
          nodes: nodes.map((handle) => handle.hostname),
          managers: [node(1).hostname],
          reportingManagers: [node(1).hostname],
          nodeIdsWithTasks: [...nodeIds.values()],
          stacks: [STACK],
          clusters: [clusterId],
        },
      },
    });
    console.info(`stack: ${report.checks.length} dashboard and alert checks in ${Date.now() - started} ms`);
    // 2 variables + 10 panels of three targets (raw, 1m, 1h), twice (All, every option listed);
    // 5 rules, one with a second query. The range (minutes) chooses the raw targets; the
    // others must run and return nothing.
    const own = report.checks.filter((c) => c.name.startsWith('swarm/'));
    expect(own).toHaveLength(2 + 10 * 3 * 2);
    const read = (c: { resolution?: string; chosen?: boolean }) =>
      c.resolution === undefined || c.chosen === true;
    expect(own.filter(read)).toHaveLength(22);
    expect(report.checks.filter((c) => c.name.startsWith('alert/'))).toHaveLength(6);
    expect(report.checks).toHaveLength(2 + 10 * 3 * 2 + 6);
    expect(report.checks.filter((c) => read(c) && c.series === 0).map((c) => c.name)).toEqual([]);
    expect(own.filter((c) => !read(c) && c.series > 0).map((c) => c.name)).toEqual([]);
  });

  it('fires "below desired" for the service no node can run (and Grafana\u2019s), not for the running ones', async () => {
    const atDesired = (services: Map<string, string>) =>
      new Set(
        [...services]
          .filter(([, replicas]) => {
            const [running, desired] = replicas.split('/');
            return running === desired;
          })
          .map(([name]) => name),
      );
    // A task can still be starting (a healthcheck on a loaded machine) when beforeAll's wait
    // gives up: the rule rightly counts it missing. Wait for every one, then for the leader's
    // collector to write what `docker service ls` says (three intervals).
    const before = atDesired(
      await eventually(serviceList, allRunning, { timeoutMs: 120_000, intervalMs: 1_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 3 * INTERVAL_MS));
    // The rule's condition now, over its own window (2 min). Its `for: 2m` is Grafana's pending
    // time, not waited for: the condition is what the data decides.
    const instances = await evaluateRule(
      dashboardTarget(),
      ruleByUid(ALERT_RULE_UIDS.swarmServiceBelowDesired),
      Date.now(),
      INTERVAL_MS,
    );
    const after = atDesired(await serviceList());
    const byService = new Map(instances.map((i) => [i.labels.service_name ?? '', i]));
    expect([...byService.keys()].sort()).toEqual([...RUNNING_SERVICES, SPREAD, STUCK, GRAFANA].sort());
    // Tasks missing: 2 of 2 replicas, 1 of 1.
    expect(byService.get(STUCK)).toMatchObject({ value: 2, firing: true });
    expect(byService.get(GRAFANA)).toMatchObject({ value: 1, firing: true });
    // Nothing for a service at its desired tasks before and after the evaluation; one that was
    // not (still restarting) is left out of this, and named.
    const steady = [...RUNNING_SERVICES, SPREAD].filter((name) => before.has(name) && after.has(name));
    const unsteady = [...RUNNING_SERVICES, SPREAD].filter((name) => !steady.includes(name));
    if (unsteady.length > 0)
      console.warn(`stack: not at their desired tasks throughout: ${unsteady.join(', ')}`);
    expect(steady).toContain(SPREAD);
    for (const name of steady) expect(byService.get(name), name).toMatchObject({ value: 0, firing: false });
    const firing = instances.filter((i) => i.firing).map((i) => i.labels.service_name ?? '');
    expect(firing.filter((name) => steady.includes(name))).toEqual([]);
  }, 180_000);

  it('keeps the other swarm rules quiet on a healthy swarm, but for its single manager\u2019s quorum', async () => {
    const target = dashboardTarget();
    const now = Date.now();
    const evaluate = async (uid: string) =>
      (await evaluateRule(target, ruleByUid(uid), now, INTERVAL_MS)).map((i) => [
        Object.values(i.labels).join(' '),
        i.value,
        i.firing,
      ]);
    // Every node ready.
    expect((await evaluate(ALERT_RULE_UIDS.swarmNodeDown)).sort()).toEqual(
      nodes
        .map((handle) => `${handle.hostname} ${nodeIds.get(handle.index)}`)
        .sort()
        .map((labels) => [labels, 1, false]),
    );
    // 3 ready nodes, 3 engines reporting.
    expect(await evaluate(ALERT_RULE_UIDS.swarmNodeCollectorSilent)).toEqual([['', 0, false]]);
    // One manager of one: a majority, but none to spare (1 - 1/2).
    expect(await evaluate(ALERT_RULE_UIDS.swarmQuorumAtRisk)).toEqual([[clusterId, 0.5, true]]);
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

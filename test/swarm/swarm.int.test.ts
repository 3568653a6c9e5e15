// A real 3-manager swarm (scripts/testenv/swarm-up.sh) with one in-process collector per node,
// all writing to the test InfluxDB: each node's containers arrive under its own engine_host
// with the swarm tags; the swarm measurements are written once per interval, by the leader's
// collector only, and agree with `docker service ls`; after the leader's dockerd is killed the
// new leader's collector takes over with no duplicates and no gaps; after a second manager's is
// killed the swarm has no quorum, and the last manager's collector says it reaches no leader.
import type { Point } from '@dockwatch/collector';
import { ALERT_RULE_UIDS } from '@dockwatch/grafana';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningCollector, startCollector } from '../support/collector-harness.js';
import { IMAGES } from '../support/docker.js';
import { evaluateRule, ruleByUid } from '../support/grafana-alerts.js';
import { createDatabase, dropDatabase, eventually, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';
import { type SwarmNodeHandle, swarmDown, swarmUp } from '../support/swarm.js';

const INTERVAL_MS = 1_000;
const NS_PER_MS = 1_000_000n;
/** How late the collector's interval timer may fire on a loaded 2-core machine. */
const TIMER_JITTER_MS = 50;
const SERVICES = ['dw-replicated', 'dw-global', 'dw-stuck'] as const;

describe.runIf(haveServices())('swarm: one collector per node', () => {
  let env: Services;
  let db: string;
  let nodes: SwarmNodeHandle[] = [];
  const collectors: RunningCollector[] = [];
  const nodeIds = new Map<string, string>();
  const suiteStarted = Date.now();
  /** The manager that took over when node 1's dockerd was killed. */
  let newLeader = 0;

  const node = (index: number): SwarmNodeHandle => {
    const found = nodes.find((candidate) => candidate.index === index);
    if (!found) throw new Error(`no node ${index}`);
    return found;
  };
  const collectorOf = (index: number): RunningCollector => {
    const found = collectors[index - 1];
    if (!found) throw new Error(`no collector ${index}`);
    return found;
  };
  /** Every docker_swarm point any collector sent, with the index of the node whose collector sent it. */
  const swarmPoints = (measurement = 'docker_swarm'): { point: Point; writer: number }[] =>
    collectors.flatMap((running, i) =>
      running.sink.points
        .filter((point) => point.measurement === measurement)
        .map((point) => ({ point, writer: i + 1 })),
    );
  const latestOf = (service: string): Point | undefined =>
    swarmPoints()
      .map(({ point }) => point)
      .filter((point) => point.tags.service_name === service)
      .sort((a, b) => Number(a.time - b.time))
      .at(-1);
  /** `docker service ls` on a live manager: name -> "running/desired". */
  const serviceList = async (manager: SwarmNodeHandle): Promise<Map<string, string>> => {
    const out = await manager.cli('service', 'ls', '--format', '{{.Name}} {{.Replicas}}');
    return new Map(
      out
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
  };

  beforeAll(async () => {
    env = services() as Services;
    db = uniqueDatabase('swarm');
    await createDatabase(env.influxUrl, db);
    const upStarted = Date.now();
    nodes = await swarmUp({ managers: 3, images: [IMAGES.busybox] });
    console.info(`swarm up: ${Date.now() - upStarted} ms`);
    for (const handle of nodes) {
      const info = (await handle.docker.info()) as { Swarm: { NodeID: string } };
      nodeIds.set(handle.hostname, info.Swarm.NodeID);
    }
    const create = ['service', 'create', '--detach', '--no-resolve-image', '--endpoint-mode', 'dnsrr'];
    const sleeper = [IMAGES.busybox, 'sleep', '3600'];
    await node(1).cli(...create, '--name', 'dw-replicated', '--replicas', '2', ...sleeper);
    await node(1).cli(...create, '--name', 'dw-global', '--mode', 'global', ...sleeper);
    // No node has this label: the scheduler leaves both tasks pending.
    await node(1).cli(
      ...create,
      '--name',
      'dw-stuck',
      '--replicas',
      '2',
      '--constraint',
      'node.labels.dw-nowhere==1',
      ...sleeper,
    );
    await eventually(
      () => serviceList(node(1)),
      (list) => list.get('dw-replicated') === '2/2' && list.get('dw-global') === '3/3',
      { timeoutMs: 60_000 },
    );
    for (const handle of nodes) {
      collectors.push(
        await startCollector({
          INFLUX_URL: env.influxUrl,
          INFLUX_DB: db,
          DOCKER_HOST: handle.dockerHost,
          STATS_SOURCE: 'api',
          COLLECT_INTERVAL: `${INTERVAL_MS / 1000}s`,
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(collectors.map((running) => running.stop()));
    // Always, also when beforeAll failed half-way (swarm-up.sh tears down its own failures).
    console.info(`swarm down: ${await swarmDown()} ms; suite: ${Date.now() - suiteStarted} ms`);
    if (db) await dropDatabase(env.influxUrl, db);
  });

  it('writes each node\u2019s containers under its own engine_host, with the swarm tags', async () => {
    for (const handle of nodes) {
      const points = await eventually(
        () =>
          Promise.resolve(
            collectorOf(handle.index).sink.points.filter(
              (point) =>
                point.measurement === 'docker_container_cpu' &&
                point.tags['com.docker.swarm.service.name'] === 'dw-global',
            ),
          ),
        (found) => found.length > 0,
        { timeoutMs: 15_000 },
      );
      const tags = points[0]?.tags ?? {};
      expect(tags.engine_host).toBe(handle.hostname);
      expect(tags['com.docker.swarm.node.id']).toBe(nodeIds.get(handle.hostname));
      expect(tags['com.docker.swarm.service.id']).toMatch(/^[a-z0-9]{25}$/);
      expect(tags['com.docker.swarm.task.id']).toMatch(/^[a-z0-9]{25}$/);
      expect(tags['com.docker.swarm.task.name']).toBe(
        `dw-global.${nodeIds.get(handle.hostname)}.${tags['com.docker.swarm.task.id']}`,
      );
    }
    const hosts = await eventually(
      () =>
        influxQuery(
          env.influxUrl,
          db,
          `SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "engine_host" WHERE "com.docker.swarm.service.name" = 'dw-global'`,
        ),
      (series) => (series[0]?.values ?? []).length === 3,
      { timeoutMs: 15_000 },
    );
    expect((hosts[0]?.values ?? []).map((row) => row[1]).sort()).toEqual(nodes.map((n) => n.hostname).sort());
  });

  it('writes docker_swarm once per service per interval, from the leader only, agreeing with docker service ls', async () => {
    await eventually(
      () => Promise.resolve(swarmPoints()),
      (points) => points.length >= SERVICES.length * 5,
      { timeoutMs: 20_000 },
    );
    const points = swarmPoints();
    expect(new Set(points.map(({ writer }) => writer))).toEqual(new Set([1]));
    const perGather = new Map<bigint, string[]>();
    for (const { point } of points) {
      perGather.set(point.time, [...(perGather.get(point.time) ?? []), point.tags.service_name ?? '']);
    }
    for (const names of perGather.values()) expect(names.sort()).toEqual([...SERVICES].sort());
    const times = [...perGather.keys()].sort((a, b) => Number(a - b));
    for (let i = 1; i < times.length; i++) {
      expect(Number(((times[i] ?? 0n) - (times[i - 1] ?? 0n)) / NS_PER_MS)).toBeGreaterThanOrEqual(
        INTERVAL_MS * 0.9,
      );
    }
    const listed = await serviceList(node(1));
    for (const name of SERVICES) {
      const latest = latestOf(name);
      expect(`${latest?.fields.tasks_running}/${latest?.fields.tasks_desired}`, name).toBe(listed.get(name));
    }
    expect(latestOf('dw-global')?.tags.service_mode).toBe('global');
    expect(latestOf('dw-replicated')?.tags.service_mode).toBe('replicated');
    const cluster = swarmPoints('docker_swarm_cluster').at(-1)?.point.fields;
    expect(cluster).toEqual({
      nodes: 3n,
      nodes_ready: 3n,
      managers: 3n,
      managers_reachable: 3n,
      quorum: true,
    });
    const stored = await influxQuery(
      env.influxUrl,
      db,
      `SELECT count("tasks_running") FROM "docker_swarm" GROUP BY "service_name"`,
    );
    expect(stored).toHaveLength(SERVICES.length);
  });

  it('shows a service with an unsatisfiable constraint short of its tasks', () => {
    const stuck = latestOf('dw-stuck');
    expect(stuck?.fields.tasks_desired).toBe(2n);
    expect(stuck?.fields.tasks_running).toBe(0n);
  });

  it('hands over to the new leader\u2019s collector when the leader\u2019s dockerd is killed: no duplicates, no gaps', async () => {
    const killedAt = BigInt(Date.now()) * NS_PER_MS;
    process.kill(node(1).dockerdPid(), 'SIGKILL');
    const takeover = await eventually(
      () => Promise.resolve(swarmPoints().filter(({ writer }) => writer !== 1)),
      (points) => points.length >= SERVICES.length * 8,
      { timeoutMs: 60_000 },
    );
    newLeader = takeover[0]?.writer ?? 0;
    expect([2, 3]).toContain(newLeader);
    expect(new Set(takeover.map(({ writer }) => writer))).toEqual(new Set([newLeader]));
    const firstAfter = takeover.map(({ point }) => point.time).sort((a, b) => Number(a - b))[0] ?? 0n;
    console.info(
      `leader killed: the new leader's first docker_swarm point after ${(firstAfter - killedAt) / NS_PER_MS} ms`,
    );

    // A later gap is the design's fault only while the swarm had a leader: on a loaded machine
    // the two remaining managers can miss heartbeats and hold a second election, during which
    // every manager's collector writes leader_reachable=0 and nobody may write the swarm's
    // measurements (a CI run saw a 5 s gap so). Those gaps are counted and printed, not failed.
    const leaderless = swarmPoints('docker_swarm_manager')
      .filter(({ point }) => point.fields.leader_reachable === 0n)
      .map(({ point }) => point.time);
    const electionWithin = (from: bigint, to: bigint) => leaderless.some((time) => time > from && time < to);
    let gapsInElections = 0;
    // Per service, across every collector: two writers never within an interval of each other
    // (no duplicates), one writer's points an interval apart, and after the takeover no gap
    // longer than two intervals while the swarm had a leader.
    for (const name of SERVICES) {
      const written = swarmPoints()
        .filter(({ point }) => point.tags.service_name === name)
        .sort((a, b) => Number(a.point.time - b.point.time));
      for (let i = 1; i < written.length; i++) {
        const [before, after] = [written[i - 1], written[i]];
        if (!before || !after) continue;
        const gapMs = Number((after.point.time - before.point.time) / NS_PER_MS);
        const what = `${name}: node ${before.writer} then node ${after.writer}, ${gapMs} ms apart`;
        expect(gapMs, what).toBeGreaterThanOrEqual(
          after.writer === before.writer ? INTERVAL_MS * 0.9 : INTERVAL_MS,
        );
        // Two intervals, plus the timer's jitter: a gather that overran its interval makes the
        // next start one interval later, and the loop's timer fires a millisecond or so late.
        if (before.point.time < firstAfter || gapMs <= 2 * INTERVAL_MS + TIMER_JITTER_MS) continue;
        if (electionWithin(before.point.time, after.point.time)) gapsInElections += 1;
        else
          expect(gapMs, `${what}, with a leader all along`).toBeLessThanOrEqual(
            2 * INTERVAL_MS + TIMER_JITTER_MS,
          );
      }
    }
    console.info(
      `after the takeover: ${gapsInElections} gap(s) longer than two intervals, each during a new election`,
    );
    const cluster = await eventually(
      () => Promise.resolve(swarmPoints('docker_swarm_cluster').at(-1)?.point.fields),
      (fields) => fields?.managers_reachable === 2n,
      { timeoutMs: 30_000 },
    );
    expect(cluster).toMatchObject({ managers: 3n, managers_reachable: 2n, quorum: true });
    expect(
      collectorOf(newLeader)
        .sink.points.filter(
          (point) => point.measurement === 'docker_swarm_node' && point.fields.leader === true,
        )
        .at(-1)?.tags.node_hostname,
    ).toBe(node(newLeader).hostname);
  });

  it('has the last manager report that it reaches no leader once the quorum is lost, and the no-leader rule fire', async () => {
    const last = [2, 3].find((index) => index !== newLeader) ?? 0;
    const managerView = () =>
      collectorOf(last).sink.points.filter((point) => point.measurement === 'docker_swarm_manager');
    // Until now it reached a leader (node 1, then the new one), as a follower.
    expect(managerView().length).toBeGreaterThan(5);
    expect(managerView().every((point) => point.fields.leader_reachable === 1n)).toBe(true);
    const killedAt = Date.now();
    // One manager of three left: no majority, so no leader can be elected.
    process.kill(node(newLeader).dockerdPid(), 'SIGKILL');
    const unreachable = await eventually(
      () => Promise.resolve(managerView().filter((point) => point.fields.leader_reachable === 0n)),
      (points) => points.length >= 3,
      { timeoutMs: 60_000 },
    );
    console.info(
      `quorum lost: the last manager's first leader_reachable=0 after ${
        Number((unreachable[0]?.time ?? 0n) / NS_PER_MS) - killedAt
      } ms`,
    );
    expect(unreachable[0]?.tags).toEqual({ engine_host: node(last).hostname });
    // No leader, so no cluster measurement from anyone since.
    const lastSwarmPoint = swarmPoints().at(-1)?.point.time ?? 0n;
    expect(Number(lastSwarmPoint / NS_PER_MS)).toBeLessThan(Number((unreachable[0]?.time ?? 0n) / NS_PER_MS));
    // The rule on the stored points, as Grafana evaluates it (its `for: 1m` is not waited):
    // only the manager left alive reports no leader; the killed ones' last word was 1.
    const rule = ruleByUid(ALERT_RULE_UIDS.swarmNoLeader);
    const target = { influxUrl: env.influxUrl, db };
    const instances = await eventually(
      () => evaluateRule(target, rule, Date.now(), INTERVAL_MS),
      (found) => found.some((instance) => instance.firing),
      { timeoutMs: 15_000 },
    );
    expect(
      instances.filter((instance) => instance.firing).map((instance) => instance.labels.engine_host),
    ).toEqual([node(last).hostname]);
  });
});

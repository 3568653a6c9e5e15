// The compose bundle end to end, on whichever Docker pair runs the suite (npm run test:all runs
// it on Engine 20.10 + Compose 2.26 and on Engine 28.5 with the containerd image store +
// Compose 2.40 with Bake): the real compose.yaml with only the CI override on top (local
// InfluxDB 1.6 and the collector in v1 mode, no Grafana), the demo load generator on, and the
// first `up` the one a new user runs: our images under a tag no store has yet, so it builds
// them. Then: every service healthy; retention applied; KV through nginx with TLS; CPU, memory
// and network of every compose container plus the kvstore's scraped metrics in InfluxDB within
// 30 s; every dashboard query returning data from this stack; and InfluxDB and KV data
// surviving `down` and `up`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPOSE_DIR,
  compose,
  composeContainers,
  type ComposeContainer,
  type ComposeProject,
  haveCompose,
  SECRET_NAMES,
} from '../support/compose.js';
import { uniqueName } from '../support/docker.js';
import { assertDashboardsReturnData } from '../support/grafana-harness.js';
import { eventually, influxQuery } from '../support/influx.js';
import { freePort } from '../support/kvstore-nginx.js';
import { haveServices } from '../support/services.js';

const run = promisify(execFile);
const MAIN_FILES = ['compose.yaml'];
const OVERRIDES = ['compose.ci.yaml', 'compose.influxdb1.yaml', 'compose.influxdb3.yaml'];
const LONG_RUNNING = ['influxdb', 'docker-proxy', 'collector', 'kvstore', 'nginx', 'loadgen'];
const ONE_SHOT = ['secrets', 'influxdb-init'];
/** The images the bundle builds, each in exactly one service. */
const BUILT_IMAGES = ['collector', 'kvstore', 'kvstore-nginx', 'docker-proxy'];
const DB = 'dockwatch';

interface HttpsReply {
  status: number;
  body: string;
}

/** One HTTPS exchange that trusts only the stack's own certificate. */
function httpsExchange(
  port: number,
  ca: string,
  method: string,
  path: string,
  token: string,
  body?: string,
): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca,
        servername: 'localhost',
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.runIf(haveCompose())('compose files', () => {
  it.each(['(no override)', ...OVERRIDES])('`docker compose config -q` passes with %s', async (override) => {
    const extra = OVERRIDES.includes(override) ? [override] : [];
    const project: ComposeProject = { name: 'dockwatch-config', files: [...MAIN_FILES, ...extra] };
    await expect(compose(project, ['config', '-q'])).resolves.toBe('');
  });

  it('names no literal secret: every credential is a file from the secrets volume', async () => {
    const project: ComposeProject = { name: 'dockwatch-config', files: MAIN_FILES };
    const config = await compose(project, ['config', '--format', 'json']);
    const parsed = JSON.parse(config) as {
      services: Record<string, { environment?: Record<string, string | null> }>;
    };
    for (const [service, definition] of Object.entries(parsed.services)) {
      for (const [name, value] of Object.entries(definition.environment ?? {})) {
        if (/PASSWORD|TOKEN/.test(name) && !name.endsWith('_FILE') && service !== 'secrets')
          throw new Error(`${service} sets ${name} directly (${value ?? ''}); it must come from a file`);
      }
    }
    // The secrets job only passes through what .env sets: nothing by default.
    const secretsEnv = parsed.services.secrets?.environment ?? {};
    expect(Object.values(secretsEnv).every((value) => value === '')).toBe(true);
  });
});

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  ports?: { published?: string; target?: number; host_ip?: string }[];
  volumes?: { source?: string; target?: string; read_only?: boolean }[];
}

/** The merged model of compose.yaml plus an override, as `docker compose config` resolves it. */
async function resolved(
  override: string | undefined,
  env: Record<string, string> = {},
): Promise<Record<string, ComposeService>> {
  const project: ComposeProject = {
    name: 'dockwatch-config',
    files: [...MAIN_FILES, ...(override ? [override] : [])],
    profiles: ['demo'],
    env,
  };
  return (
    JSON.parse(await compose(project, ['config', '--format', 'json'])) as {
      services: Record<string, ComposeService>;
    }
  ).services;
}

describe.runIf(haveCompose())('compose files on hosts unlike ours', () => {
  it('use no `!override` or `!reset`, which Compose before 2.24.4 cannot read', () => {
    for (const file of [...MAIN_FILES, ...OVERRIDES]) {
      const text = readFileSync(path.join(COMPOSE_DIR, file), 'utf8');
      expect(text, file).not.toMatch(/:\s*!(override|reset)\b/);
    }
  });

  it("leave the host's ports 80 and 443 alone by default, and take others from variables", async () => {
    const published = async (env: Record<string, string>) =>
      ((await resolved(undefined, env)).nginx?.ports ?? []).map((port) => [port.published, port.target]);
    expect(await published({})).toEqual([
      ['8080', 8080],
      ['8443', 8443],
    ]);
    expect(await published({ DOCKWATCH_HTTP_PORT: '80', DOCKWATCH_HTTPS_PORT: '443' })).toEqual([
      ['80', 8080],
      ['443', 8443],
    ]);
  });

  it('take the engine socket from DOCKER_SOCKET, as rootless Docker needs', async () => {
    const socket = async (env: Record<string, string>) =>
      (await resolved(undefined, env))['docker-proxy']?.volumes?.find(
        (volume) => volume.target === '/var/run/docker.sock',
      )?.source;
    expect(await socket({})).toBe('/var/run/docker.sock');
    expect(await socket({ DOCKER_SOCKET: '/run/user/1000/docker.sock' })).toBe('/run/user/1000/docker.sock');
  });

  it("mount the engine's data root read-only at /hostfs + DOCKER_DATA_ROOT for the disk measurement", async () => {
    const dataRoot = async (env: Record<string, string>) => {
      const collector = (await resolved(undefined, env)).collector;
      const mount = collector?.volumes?.find((volume) => volume.target?.startsWith('/hostfs/'));
      return [collector?.environment?.HOST_MOUNT_PREFIX, mount?.source, mount?.target, mount?.read_only];
    };
    expect(await dataRoot({})).toEqual(['/hostfs', '/var/lib/docker', '/hostfs/var/lib/docker', true]);
    const rootless = '/home/user/.local/share/docker';
    expect(await dataRoot({ DOCKER_DATA_ROOT: rootless })).toEqual([
      '/hostfs',
      rootless,
      `/hostfs${rootless}`,
      true,
    ]);
  });

  it('apply INFLUXDB_RETENTION and ROLLUPS with every InfluxDB, through its own init job', async () => {
    const env = { INFLUXDB_RETENTION: '21d', ROLLUPS: '5m:60d' };
    const scripts: Record<string, string | undefined> = {
      default: '/init/buckets.sh',
      'compose.influxdb1.yaml': '/init/retention.sh',
      'compose.ci.yaml': '/init/retention.sh',
      'compose.influxdb3.yaml': '/init/database.sh',
    };
    for (const [override, script] of Object.entries(scripts)) {
      const services = await resolved(override === 'default' ? undefined : override, env);
      const init = services['influxdb-init'];
      expect(init?.entrypoint, override).toEqual(['/bin/sh', script]);
      expect(init?.environment, override).toMatchObject({ INFLUXDB_RETENTION: '21d', ROLLUPS: '5m:60d' });
      expect(services.collector?.environment?.ROLLUPS, override).toBe('5m:60d');
    }
    const v2 = await resolved(undefined, env);
    expect(v2.influxdb?.environment?.DOCKER_INFLUXDB_INIT_RETENTION).toBe('21d');
    // The defaults: raw 7 days, rollups at 1 minute for 90 days and 1 hour for 2 years.
    const defaults = await resolved(undefined);
    expect(defaults['influxdb-init']?.environment).toMatchObject({
      INFLUXDB_RETENTION: '7d',
      ROLLUPS: '1m:90d,1h:730d',
    });
    // ROLLUPS=off turns them off, in the collector and in every init job alike.
    expect((await resolved(undefined, { ROLLUPS: 'off' })).collector?.environment?.ROLLUPS).toBe('off');
  });

  it('run InfluxDB 3 Core without telemetry upload, on 8086, past 3 days of files, with an apiv3_ token', async () => {
    const v3 = await resolved('compose.influxdb3.yaml');
    // 3's InfluxQL reads database "dockwatch/rollup_1m" as dockwatch, retention policy rollup_1m.
    expect(v3.collector?.environment?.INFLUX_ROLLUP_BUCKET).toBe('{bucket}/{rp}');
    const command = v3.influxdb?.command ?? [];
    expect(command).toEqual(
      expect.arrayContaining([
        '--disable-telemetry-upload',
        '--http-bind=0.0.0.0:8086',
        '--query-file-limit=13000',
      ]),
    );
    expect(v3.secrets?.environment?.INFLUXDB_TOKEN_PREFIX).toBe('apiv3_');
    expect(v3.collector?.environment?.INFLUX_URL).toBe('http://influxdb:8086');
  });
});

describe.runIf(haveServices() && haveCompose())('compose stack end to end', () => {
  let project: ComposeProject;
  let httpsPort = 0;
  let influxUrl = '';
  let kvToken = '';
  let certificate = '';
  let upAt = 0;
  let containers: ComposeContainer[] = [];
  let dataRoot = '';
  const started = Date.now();
  // A tag no image store has yet, so the first `up` builds every image, as a new user's does.
  const tag = uniqueName('e2e').toLowerCase();
  const builtImages = BUILT_IMAGES.map((image) => `dockwatch/${image}:${tag}`);
  // The engine socket through another path, as a rootless host's is: DOCKER_SOCKET must be used.
  const socketDir = mkdtempSync(path.join(tmpdir(), 'dockwatch-socket-'));
  const socketLink = path.join(socketDir, 'docker.sock');

  const running = () => containers.filter((container) => container.State === 'running');
  const containerOf = (service: string) => {
    const found = containers.find((container) => container.Service === service);
    if (!found) throw new Error(`no container for service ${service}`);
    return found.Name;
  };

  beforeAll(async () => {
    const [httpPort, https, influxPort] = [await freePort(), await freePort(), await freePort()];
    httpsPort = https;
    influxUrl = `http://127.0.0.1:${influxPort}`;
    project = {
      name: uniqueName('dockwatch-e2e'),
      files: ['compose.yaml', 'compose.ci.yaml'],
      profiles: ['demo'],
      env: {
        DOCKWATCH_HTTP_PORT: String(httpPort),
        DOCKWATCH_HTTPS_PORT: String(httpsPort),
        INFLUXDB_PORT: String(influxPort),
        INFLUXDB_RETENTION: '14d',
        COLLECT_INTERVAL: '2s',
        DOCKWATCH_VERSION: tag,
        DOCKER_SOCKET: socketLink,
      },
    };
    symlinkSync('/var/run/docker.sock', socketLink);
    // The engine's own data root, as a user with another `data-root` sets it.
    dataRoot = (await run('docker', ['info', '--format', '{{.DockerRootDir}}'])).stdout.trim();
    project.env = { ...project.env, DOCKER_DATA_ROOT: dataRoot };
    const present = await Promise.all(
      builtImages.map((image) =>
        run('docker', ['image', 'inspect', image]).then(
          () => image,
          () => null,
        ),
      ),
    );
    expect(present.filter(Boolean), 'images of this tag before the first up').toEqual([]);
    const versions = await run('docker', ['version', '--format', '{{.Server.Version}}']);
    const composeVersion = await run('docker', ['compose', 'version', '--short']);
    const upStart = Date.now();
    await compose(project, ['up', '-d', '--wait', '--wait-timeout', '300']);
    upAt = Date.now();
    console.info(
      `compose e2e on Engine ${versions.stdout.trim()}, Compose ${composeVersion.stdout.trim()}: first up (build included) --wait ${((upAt - upStart) / 1000).toFixed(1)} s`,
    );
    containers = await composeContainers(project);
    kvToken = (await compose(project, ['exec', '-T', 'kvstore', 'cat', '/secrets/kv-admin-token'])).trim();
    certificate = await compose(project, ['exec', '-T', 'nginx', 'cat', '/etc/nginx/tls/tls.crt']);
  }, 900_000);

  afterAll(async () => {
    if (project)
      await compose(project, ['down', '-v', '--remove-orphans', '--timeout', '20']).catch(() => undefined);
    await run('docker', ['image', 'rm', ...builtImages]).catch(() => undefined);
    rmSync(socketDir, { recursive: true, force: true });
    console.info(`compose e2e: whole suite ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 120_000);

  it('brings every service up healthy, and the secrets job completes', () => {
    const byService = new Map(containers.map((container) => [container.Service, container]));
    for (const service of LONG_RUNNING) {
      const container = byService.get(service);
      expect(container, service).toBeDefined();
      expect([service, container?.State, container?.Health]).toEqual([service, 'running', 'healthy']);
    }
    for (const job of ONE_SHOT)
      expect(byService.get(job), job).toMatchObject({ State: 'exited', ExitCode: 0 });
    // Grafana is the one service the CI override leaves out.
    expect(byService.has('grafana')).toBe(false);
  });

  it('built each image in exactly one service, under the tag of this run', async () => {
    const services = await resolved('compose.ci.yaml', project.env);
    const builders = Object.values(services)
      .filter((service) => service.build !== undefined)
      .map((service) => service.image);
    expect(builders.sort()).toEqual([...builtImages].sort());
    for (const image of builtImages)
      await expect(run('docker', ['image', 'inspect', image])).resolves.toBeDefined();
  });

  it('keeps the raw points INFLUXDB_RETENTION in the default policy, and each rollup in its own', async () => {
    const policies = await influxQuery(influxUrl, DB, 'SHOW RETENTION POLICIES ON "dockwatch"');
    const rows = policies[0]?.values ?? [];
    // name, duration, shardGroupDuration, replicaN, default
    expect(rows.map((row) => [row[0], row[1], row[4]])).toEqual([
      ['autogen', '336h0m0s', true],
      ['rollup_1m', '2160h0m0s', false],
      ['rollup_1h', '17520h0m0s', false],
    ]);
  });

  it('generated the secrets on first start: none empty, none shared', async () => {
    const names = SECRET_NAMES;
    const values = await Promise.all(
      names.map(async (name) =>
        (await compose(project, ['exec', '-T', 'kvstore', 'cat', `/secrets/${name}`])).trim(),
      ),
    );
    for (const value of values) expect(value.length).toBeGreaterThanOrEqual(32);
    expect(new Set(values).size).toBe(names.length);
  });

  it('serves KV requests through nginx with TLS', async () => {
    const put = await httpsExchange(
      httpsPort,
      certificate,
      'PUT',
      '/api/kv/e2e%2Fkept',
      kvToken,
      '{"value":"survives"}',
    );
    expect(put.status).toBe(201);
    const get = await httpsExchange(httpsPort, certificate, 'GET', '/api/kv/e2e%2Fkept', kvToken);
    expect(get.status).toBe(200);
    expect(JSON.parse(get.body)).toMatchObject({ key: 'e2e/kept', value: 'survives' });
    const refused = await httpsExchange(
      httpsPort,
      certificate,
      'GET',
      '/api/kv/e2e%2Fkept',
      'not-the-token-at-all',
    );
    expect(refused.status).toBe(401);
  });

  it('has CPU, memory and network of every compose container, and the kvstore metrics, within 30 s', async () => {
    const names = running().map((container) => container.Name);
    expect(names.length).toBe(LONG_RUNNING.length);
    const missing = async (): Promise<string[]> => {
      const gaps: string[] = [];
      for (const measurement of ['docker_container_cpu', 'docker_container_mem', 'docker_container_net']) {
        const series = await influxQuery(
          influxUrl,
          DB,
          `SELECT count(*) FROM "${measurement}" WHERE time > now() - 5m GROUP BY "container_name"`,
        ).catch(() => []);
        const seen = new Set(series.map((one) => one.tags?.container_name));
        for (const name of names) if (!seen.has(name)) gaps.push(`${measurement}/${name}`);
      }
      const kv = await influxQuery(
        influxUrl,
        DB,
        `SELECT last("kvstore_keys") FROM "prometheus" WHERE "container_name" = '${containerOf('kvstore')}' AND time > now() - 5m`,
      ).catch(() => []);
      if (kv.length === 0) gaps.push('prometheus/kvstore_keys');
      return gaps;
    };
    const deadline = upAt + 30_000;
    const gaps = await eventually(missing, (found) => found.length === 0, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      intervalMs: 1000,
    });
    console.info(`compose e2e: all series present ${((Date.now() - upAt) / 1000).toFixed(1)} s after up`);
    expect(gaps).toEqual([]);
  });

  it("has the engine's counts, its disk usage through the proxy's /system/df, and the data root's disk", async () => {
    const missing = async (): Promise<string[]> => {
      const queries: [string, string][] = [
        ['docker', `SELECT last("n_containers_running") FROM "docker" WHERE time > now() - 5m`],
        [
          'docker_disk_usage',
          `SELECT last("size_rw") FROM "docker_disk_usage" WHERE "container_name" = '${containerOf('collector')}' AND time > now() - 10m`,
        ],
        [
          'disk',
          `SELECT last("used_percent") FROM "disk" WHERE "path" = '${dataRoot}' AND time > now() - 5m`,
        ],
      ];
      const gaps: string[] = [];
      for (const [name, query] of queries) {
        const series = await influxQuery(influxUrl, DB, query).catch(() => []);
        if (series.length === 0) gaps.push(name);
      }
      return gaps;
    };
    const gaps = await eventually(missing, (found) => found.length === 0, {
      timeoutMs: 60_000,
      intervalMs: 1000,
    });
    expect(gaps).toEqual([]);
  }, 90_000);

  it('reads the stats on the fast path, through the read-only host mounts', async () => {
    const chosen = await eventually(
      () =>
        influxQuery(
          influxUrl,
          DB,
          `SELECT last("collector_stats_source") FROM "prometheus" WHERE time > now() - 5m GROUP BY "source", "reason"`,
        ).catch(() => []),
      (series) => series.length > 0,
      { timeoutMs: 30_000, intervalMs: 1000 },
    );
    const inUse = chosen.filter((series) => Number(series.values[0]?.[1]) === 1).map((series) => series.tags);
    expect(inUse).toEqual([{ source: 'cgroupfs', reason: 'host_trees_readable' }]);
  });

  it('answers every dashboard and alert query with data from this stack', async () => {
    // Rates need a few intervals of history; the load generator keeps the KV panels moving.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, upAt + 30_000 - Date.now())));
    const report = await assertDashboardsReturnData({
      influxUrl,
      db: DB,
      containers: {
        all: running().map((container) => container.Name),
        kvstore: [containerOf('kvstore')],
      },
      timeRange: { fromMs: upAt - 60_000, toMs: Date.now() },
      timeInterval: '2s',
    });
    console.info(`compose e2e: dashboard harness ${report.checks.length} checks passed`);
    expect(report.failures).toEqual([]);
  }, 120_000);

  it('rolls the points up into rollup_1m once a minute has closed', async () => {
    // The first window to close may hold only the container's first sample, which has no CPU
    // percentage yet (it needs two); the next one closes up to a minute and an interval later.
    const query = `SELECT max("samples") AS "samples", count("usage_percent") AS "points", max("usage_percent_max") AS "max" FROM "rollup_1m"."docker_container_cpu" WHERE "container_name" = '${containerOf('kvstore')}' AND "cpu" = 'cpu-total'`;
    const rolled = await eventually(
      () => influxQuery(influxUrl, DB, query).catch(() => []),
      (series) => Number(series[0]?.values[0]?.[2] ?? 0) >= 1,
      { timeoutMs: Math.max(10_000, upAt + 150_000 - Date.now()), intervalMs: 2000 },
    );
    const [, samples, points, max] = rolled[0]?.values[0] ?? [];
    expect(Number(points)).toBeGreaterThanOrEqual(1);
    // COLLECT_INTERVAL is 2s: at most 30 raw points fall in one minute.
    expect(Number(samples)).toBeGreaterThanOrEqual(1);
    expect(Number(samples)).toBeLessThanOrEqual(30);
    expect(typeof max).toBe('number');
  }, 180_000);

  it('keeps InfluxDB and KV data across `docker compose down` and `up`', async () => {
    const countQuery = `SELECT count("usage_percent") FROM "docker_container_cpu" WHERE "container_name" = '${containerOf('kvstore')}'`;
    const beforeAt = Date.now();
    const before = await influxQuery(influxUrl, DB, `${countQuery} AND time <= ${beforeAt}ms`);
    const pointsBefore = Number(before[0]?.values[0]?.[1] ?? 0);
    expect(pointsBefore).toBeGreaterThan(0);

    await compose(project, ['down', '--timeout', '20']);
    expect(await composeContainers(project)).toEqual([]);
    await compose(project, ['up', '-d', '--wait', '--wait-timeout', '300']);
    containers = await composeContainers(project);

    const after = await influxQuery(influxUrl, DB, `${countQuery} AND time <= ${beforeAt}ms`);
    expect(Number(after[0]?.values[0]?.[1] ?? 0)).toBeGreaterThanOrEqual(pointsBefore);
    // Same secrets volume, so the same token; same certificate volume, so the same certificate.
    const token = (
      await compose(project, ['exec', '-T', 'kvstore', 'cat', '/secrets/kv-admin-token'])
    ).trim();
    expect(token).toBe(kvToken);
    const get = await httpsExchange(httpsPort, certificate, 'GET', '/api/kv/e2e%2Fkept', token);
    expect([get.status, JSON.parse(get.body)]).toEqual([200, expect.objectContaining({ value: 'survives' })]);
  }, 600_000);
});

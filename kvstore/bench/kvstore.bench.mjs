// npm run bench:kvstore — GET and durable PUT of 1 KiB values at 50 connections, directly and
// through nginx with TLS, next to a bare express handler (the ceiling) measured the same way.
// Needs a build (npm run build) and, for the nginx rows, /usr/sbin/nginx and openssl.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const here = import.meta.dirname;
const nginxDir = path.join(here, '../nginx');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const ROUNDS = 5;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, in clock ticks (Linux /proc). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const VALUE = 'v'.repeat(1024);
const token = randomBytes(24).toString('base64url');
const children = [];
const tempDirs = [];

function startServer(mode, env = {}) {
  const child = spawn(process.execPath, [path.join(here, 'server.mjs'), mode], {
    env: { ...process.env, KV_ADMIN_TOKEN: token, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.stdout.once('data', (chunk) =>
      resolve({ port: JSON.parse(chunk.toString()).port, pid: child.pid }),
    );
  });
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The real nginx template with a rate limit too high to interfere, in a temp prefix. */
async function startNginx(upstreamPort) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kvstore-bench-nginx-'));
  tempDirs.push(dir);
  chmodSync(dir, 0o755);
  for (const temp of ['body', 'proxy']) {
    mkdirSync(path.join(dir, temp));
    chmodSync(path.join(dir, temp), 0o777);
  }
  const httpsPort = await freePort();
  const httpPort = await freePort();
  execFileSync('sh', [path.join(nginxDir, '40-kvstore-cert.sh')], {
    env: { ...process.env, KV_TLS_DIR: `${dir}/tls` },
  });
  const values = {
    KV_UPSTREAM: `127.0.0.1:${upstreamPort}`,
    KV_HTTP_PORT: `127.0.0.1:${httpPort}`,
    KV_HTTPS_PORT: `127.0.0.1:${httpsPort}`,
    KV_PUBLIC_HTTPS_PORT: String(httpsPort),
    KV_TLS_DIR: `${dir}/tls`,
    KV_STATIC_ROOT: path.join(here, '../public'),
    KV_MAX_BODY: '1088k',
    KV_IMPORT_MAX_BODY: '32m',
    KV_RATE: '1000000r/s',
    KV_RATE_BURST: '1000000',
  };
  const template = readFileSync(path.join(nginxDir, 'kvstore.conf.template'), 'utf8');
  writeFileSync(
    path.join(dir, 'kvstore.conf'),
    template.replace(/\$\{(KV_[A-Z_]+)\}/g, (_m, name) => values[name]),
  );
  copyFileSync(path.join(nginxDir, 'kvstore-proxy.conf'), path.join(dir, 'kvstore-proxy.conf'));
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `worker_processes 1;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  include ${dir}/kvstore.conf;
}
`,
  );
  const child = spawn(
    '/usr/sbin/nginx',
    [
      '-p',
      dir,
      '-c',
      `${dir}/nginx.conf`,
      '-e',
      `${dir}/error.log`,
      '-g',
      `daemon off; pid ${dir}/nginx.pid;`,
    ],
    { stdio: 'inherit' },
  );
  children.push(child);
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { url: `https://127.0.0.1:${httpsPort}`, dir };
}

function run(url, options) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, ...options }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

async function main() {
  if (!existsSync(path.join(here, '../dist/index.js'))) throw new Error('build first: npm run build');
  const [ceilingServer, kvServer, quietServer] = await Promise.all([
    startServer('ceiling'),
    startServer('kvstore'),
    // The same service with KV_ACCESS_LOG=false, to show what pino-http costs per request.
    startServer('kvstore', { KV_ACCESS_LOG: 'false' }),
  ]);
  const [ceilingPort, kvPort, quietPort] = [ceilingServer.port, kvServer.port, quietServer.port];
  const auth = { authorization: `Bearer ${token}` };
  const direct = { ceiling: `http://127.0.0.1:${ceilingPort}`, kv: `http://127.0.0.1:${kvPort}` };
  for (const port of [kvPort, quietPort]) {
    const seed = await fetch(`http://127.0.0.1:${port}/api/kv/bench/get`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ value: VALUE }),
    });
    if (!seed.ok) throw new Error(`seeding failed: ${seed.status}`);
  }

  const haveNginx = existsSync('/usr/sbin/nginx');
  const proxied = haveNginx
    ? { ceiling: (await startNginx(ceilingPort)).url, kv: (await startNginx(kvPort)).url }
    : undefined;

  let counter = 0;
  const putBody = JSON.stringify({ value: VALUE });
  const scenarios = (base, via) => [
    { name: `ceiling 2 B ${via}`, pid: ceilingServer.pid, url: `${base.ceiling}/api/ceiling` },
    { name: `ceiling 1 KiB ${via}`, pid: ceilingServer.pid, url: `${base.ceiling}/api/ceiling/1k` },
    { name: `GET ${via}`, pid: kvServer.pid, url: `${base.kv}/api/kv/bench/get`, options: { headers: auth } },
    {
      name: `PUT ${via}`,
      pid: kvServer.pid,
      url: base.kv,
      options: {
        requests: [
          {
            method: 'PUT',
            headers: { ...auth, 'content-type': 'application/json' },
            body: putBody,
            // 10 000 distinct keys, so writers do not queue on one hot key.
            setupRequest: (request) => ({ ...request, path: `/api/kv/bench/put-${counter++ % 10_000}` }),
          },
        ],
      },
    },
  ];
  const quietGet = {
    name: 'GET direct, KV_ACCESS_LOG=false',
    pid: quietServer.pid,
    url: `http://127.0.0.1:${quietPort}/api/kv/bench/get`,
    options: { headers: auth },
  };
  const groups = [
    [...scenarios(direct, 'direct'), quietGet],
    ...(proxied ? [scenarios(proxied, 'nginx+TLS')] : []),
  ];
  // The machine may be shared: rows are measured in interleaved slices (ceiling, GET, PUT,
  // ceiling, ...) so that a burst of outside load hits every row alike, and ratios stay fair.
  const slice = DURATION / ROUNDS;
  const rows = [];
  for (const group of groups) {
    for (const scenario of group) await run(scenario.url, { ...scenario.options, duration: 2 }); // warm-up
    const samples = group.map(() => []);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, scenario] of group.entries()) {
        const before = cpuTicks(scenario.pid);
        const result = await run(scenario.url, { ...scenario.options, duration: slice });
        result.cpuTicks = cpuTicks(scenario.pid) - before;
        samples[index].push(result);
      }
    }
    const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)];
    const rate = (results) =>
      results.reduce((sum, r) => sum + r.requests.total, 0) / (results.length * slice);
    // Two ceilings: the fixed string of the issue ("ok"), and the same handler answering 1 KiB,
    // which puts as many bytes on the wire as a GET of a 1 KiB value does.
    const ceiling = rate(samples[0]);
    const ceilingKib = rate(samples[1]);
    // CPU time of the serving process per request: unlike req/s it hardly moves when other
    // work shares the machine. For nginx rows it is the upstream's share only.
    const cpuPerRequest = (results) =>
      (results.reduce((sum, r) => sum + r.cpuTicks, 0) * (1e6 / TICKS_PER_SECOND)) /
      results.reduce((sum, r) => sum + r.requests.total, 0);
    const ceilingKibCpu = cpuPerRequest(samples[1]);
    for (const [index, scenario] of group.entries()) {
      const results = samples[index];
      const requestsPerSecond = rate(results);
      rows.push({
        scenario: scenario.name,
        'req/s': Math.round(requestsPerSecond),
        'p50 ms': median(results.map((r) => r.latency.p50)),
        'p99 ms': median(results.map((r) => r.latency.p99)),
        'vs ceiling 2 B': `${((requestsPerSecond / ceiling) * 100).toFixed(0)} %`,
        'vs ceiling 1 KiB': `${((requestsPerSecond / ceilingKib) * 100).toFixed(0)} %`,
        'app CPU µs/req': Math.round(cpuPerRequest(results)),
        'CPU vs ceiling 1 KiB': `${((ceilingKibCpu / cpuPerRequest(results)) * 100).toFixed(0)} %`,
        errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
      });
    }
  }
  console.log(
    `kvstore benchmark: ${CONNECTIONS} connections, ${DURATION} s per row in ${ROUNDS} interleaved slices, ` +
      '1 KiB values, durable PUT; p50/p99 are medians over the slices',
  );
  console.table(rows);
  if (!proxied) console.log('nginx rows skipped: /usr/sbin/nginx not found');
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}

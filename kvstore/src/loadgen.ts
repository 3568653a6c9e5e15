#!/usr/bin/env node
// `kvstore-loadgen`: steady, light, realistic traffic against a kvstore (the compose `demo`
// profile), so the dashboards have something to show: reads that hit and miss, writes with and
// without TTL (so keys expire), deletes and listings. It never stops on a failed request: it
// counts it and goes on. Configured by LOADGEN_* variables, parsed once here.
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { z } from 'zod';

const schema = z.object({
  /** Base URL of the kvstore, usually its nginx (https://nginx:8443). */
  LOADGEN_URL: z.url().default('https://nginx:8443'),
  /** File holding an API token with write scope (the admin token in compose). */
  LOADGEN_TOKEN_FILE: z.string().min(1),
  /** PEM file of the CA (or self-signed certificate) to trust for LOADGEN_URL; unset = system CAs. */
  LOADGEN_CA_FILE: z.string().min(1).optional(),
  /** Name the certificate must carry, when it differs from the URL's host. */
  LOADGEN_TLS_SERVERNAME: z.string().min(1).optional(),
  /** Requests per second (0.1 .. 500). */
  LOADGEN_RATE: z.coerce.number().min(0.1).max(500).default(20),
  /** Number of distinct keys the traffic touches. */
  LOADGEN_KEYS: z.coerce.number().int().min(1).max(100_000).default(200),
  /** File touched after each successful request; the healthcheck reads its age. */
  LOADGEN_HEARTBEAT_FILE: z.string().min(1).default('/tmp/loadgen-heartbeat'),
});

type LoadgenConfig = z.infer<typeof schema>;

function loadConfig(env: NodeJS.ProcessEnv): LoadgenConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

type Operation = 'get-hit' | 'get-miss' | 'put' | 'put-ttl' | 'delete' | 'list';

/** Weights of each operation: mostly reads, as a cache-like workload. */
const MIX: readonly [Operation, number][] = [
  ['get-hit', 50],
  ['get-miss', 10],
  ['put', 15],
  ['put-ttl', 12],
  ['delete', 8],
  ['list', 5],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [, weight]) => sum + weight, 0);

function pickOperation(): Operation {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [operation, weight] of MIX) {
    roll -= weight;
    if (roll < 0) return operation;
  }
  return 'get-hit';
}

interface Exchange {
  method: string;
  path: string;
  body?: string;
}

function exchangeFor(operation: Operation, keys: number): Exchange {
  const key = `demo/key-${Math.floor(Math.random() * keys)}`;
  const value = JSON.stringify({ value: `v${Date.now()}-${'x'.repeat(Math.floor(Math.random() * 900))}` });
  switch (operation) {
    case 'get-hit':
      return { method: 'GET', path: `/api/kv/${encodeURIComponent(key)}` };
    case 'get-miss':
      return { method: 'GET', path: `/api/kv/${encodeURIComponent(`demo/absent-${Math.random()}`)}` };
    case 'put':
      return { method: 'PUT', path: `/api/kv/${encodeURIComponent(key)}`, body: value };
    case 'put-ttl': {
      const ttl = 5 + Math.floor(Math.random() * 55);
      const body = JSON.stringify({ value: `expires in ${ttl}s`, ttl });
      return { method: 'PUT', path: `/api/kv/${encodeURIComponent(`demo/ttl-${key}`)}`, body };
    }
    case 'delete':
      return { method: 'DELETE', path: `/api/kv/${encodeURIComponent(key)}` };
    case 'list':
      return { method: 'GET', path: '/api/kv?prefix=demo%2F&limit=20' };
  }
}

function main(): void {
  let config: LoadgenConfig;
  let token: string;
  try {
    config = loadConfig(process.env);
    token = readFileSync(config.LOADGEN_TOKEN_FILE, 'utf8').trim();
  } catch (error) {
    process.stderr.write(`kvstore-loadgen: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const base = new URL(config.LOADGEN_URL);
  const secure = base.protocol === 'https:';
  const agent = secure
    ? new Agent({
        keepAlive: true,
        maxSockets: 8,
        ...(config.LOADGEN_CA_FILE ? { ca: readFileSync(config.LOADGEN_CA_FILE) } : {}),
        ...(config.LOADGEN_TLS_SERVERNAME ? { servername: config.LOADGEN_TLS_SERVERNAME } : {}),
      })
    : new HttpAgent({ keepAlive: true, maxSockets: 8 });
  const send = secure ? request : httpRequest;

  const log = (fields: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
  const byStatus = new Map<string, number>();
  let failures = 0;
  let inFlight = 0;
  const count = (label: string) => byStatus.set(label, (byStatus.get(label) ?? 0) + 1);

  const fire = () => {
    // Never pile up: at most 32 requests outstanding, whatever the server's speed.
    if (inFlight >= 32) return;
    const { method, path, body } = exchangeFor(pickOperation(), config.LOADGEN_KEYS);
    inFlight += 1;
    let settled = false;
    const settle = () => {
      if (!settled) inFlight -= 1;
      settled = true;
    };
    const req = send(
      {
        host: base.hostname,
        port: base.port || (secure ? 443 : 80),
        method,
        path,
        agent,
        timeout: 10_000,
        headers: {
          authorization: `Bearer ${token}`,
          'user-agent': 'dockwatch-loadgen',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          settle();
          count(String(res.statusCode ?? 0));
          try {
            writeFileSync(config.LOADGEN_HEARTBEAT_FILE, String(Date.now()));
          } catch {
            // A read-only /tmp only costs the healthcheck its signal; keep generating.
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', (error) => {
      settle();
      failures += 1;
      if (failures % 100 === 1) log({ msg: 'request failed', err: error.message, failures });
    });
    req.end(body);
  };

  log({
    msg: 'kvstore-loadgen started',
    url: base.origin,
    rate: config.LOADGEN_RATE,
    keys: config.LOADGEN_KEYS,
  });
  const ticker = setInterval(fire, 1000 / config.LOADGEN_RATE);
  const reporter = setInterval(() => {
    log({ msg: 'requests in the last 30 s', status: Object.fromEntries(byStatus), failures });
    byStatus.clear();
    failures = 0;
  }, 30_000);
  const shutdown = () => {
    clearInterval(ticker);
    clearInterval(reporter);
    agent.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main();

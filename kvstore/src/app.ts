// Composition: createApp() opens the store and wires the HTTP app; start() listens and starts
// the sweeper; stop() shuts down within a bound and is safe to call twice.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type Logger, pino } from 'pino';
import { AuthStore } from './auth/auth-store.js';
import type { KvConfig } from './config.js';
import { registerAuthRoutes } from './http/auth-routes.js';
import { pickLanguage } from './http/i18n.js';
import { registerKvRoutes } from './http/kv-routes.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody } from './http/problem.js';
import { loggedRequest, observeRequests } from './http/request-log.js';
import { createMetrics, type KvMetrics } from './metrics/registry.js';
import { createProfilingServer } from './ops/profiling.js';
import { ExpirySweeper } from './ops/sweeper.js';
import { openTables, type Tables } from './store/database.js';
import { KvStore } from './store/kv-store.js';

export interface KvApp {
  config: KvConfig;
  express: Express;
  store: KvStore;
  auth: AuthStore;
  metrics: KvMetrics;
  sweeper: ExpirySweeper;
  logger: Logger;
  tables: Tables;
  /** False once shutdown begins; /readyz follows it. */
  ready: boolean;
}

export interface CreateAppOptions {
  /** Clock in epoch ms; tests move time instead of sleeping. */
  now?: () => number;
  logger?: Logger;
}

/** Maps body-parser and routing errors onto problems; anything else is a 500. */
function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const status = (error as { status?: unknown }).status;
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large')
    return new HttpProblem(413, 'VALUE_TOO_LARGE', 'request body is too large');
  if (type === 'entity.parse.failed') return new HttpProblem(400, 'BODY_INVALID', 'body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (error instanceof URIError || (status === 400 && (error as Error).name === 'URIError')) {
    return new HttpProblem(400, 'KEY_INVALID', 'malformed percent-encoding in the path');
  }
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new HttpProblem(status, 'BODY_INVALID');
  return new HttpProblem(500, 'INTERNAL');
}

export function createApp(config: KvConfig, options: CreateAppOptions = {}): KvApp {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const tables = openTables(config.dataDir);
  // Assigned once below: the store's expiry callback needs the binding before the metrics exist.
  // eslint-disable-next-line prefer-const
  let metrics: KvMetrics | undefined;
  const store = new KvStore(tables, {
    now: options.now,
    onExpired: (mode, count) => metrics?.expiredKeys.inc({ mode }, count),
  });
  // Read by the in-flight gauge at scrape time; a request only bumps a number.
  const inFlight = { count: 0 };
  metrics = createMetrics({
    keyCount: () => store.keyCount(),
    storageBytes: () => store.storageBytes(),
    requestsInFlight: () => inFlight.count,
  });
  const { requestDuration, operations, authFailures } = metrics;
  const auth = new AuthStore(tables, {
    adminToken: config.adminToken,
    sessionTtlSeconds: config.sessionTtlSeconds,
    now: store.now,
  });
  const sweeper = new ExpirySweeper(store, {
    intervalMs: config.sweepIntervalMs,
    batch: config.sweepBatch,
    logger,
  });

  // One labelled child per (method, route, status): saves hashing the label set per request.
  // The label space is bounded (route patterns, not URLs), so the cache is too.
  const durationChildren = new Map<string, ReturnType<typeof requestDuration.labels>>();
  const durationSeries = (method: string, route: string, status: number) => {
    const id = `${method} ${route} ${status}`;
    let child = durationChildren.get(id);
    if (!child) {
      child = requestDuration.labels({ method, route, status_code: String(status) });
      durationChildren.set(id, child);
    }
    return child;
  };

  const operationChildren = new Map<string, ReturnType<typeof operations.labels>>();
  const operationSeries = (op: string, result: string) => {
    const id = `${op} ${result}`;
    let child = operationChildren.get(id);
    if (!child) {
      child = operations.labels({ op, result });
      operationChildren.set(id, child);
    }
    return child;
  };

  const app = express();
  const kvApp: KvApp = { config, express: app, store, auth, metrics, sweeper, logger, tables, ready: true };
  app.disable('x-powered-by');
  app.set('etag', false);

  const observe = observeRequests({
    logger,
    accessLog: config.accessLog,
    inFlight,
    observeDuration: (method, route, status, seconds) =>
      durationSeries(method, route, status).observe(seconds),
  });
  // One middleware layer in front of every route: each layer is a router dispatch per request.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.url.startsWith('/api')) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    }
    observe(req, res, next);
  });

  // Key routes first: they are the hot path, and Express tries routes in registration order.
  const countAuthFailure = (reason: string) => authFailures.inc({ reason });
  registerKvRoutes(app, {
    config,
    store,
    auth,
    countAuthFailure,
    countOperation: (op, result) => operationSeries(op, result).inc(),
  });
  registerAuthRoutes(app, { config, auth, countAuthFailure });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const open = kvApp.ready;
    res.status(open ? 200 : 503).json({ status: open ? 'ready' : 'not ready' });
  });
  app.get('/metrics', async (_req, res, next) => {
    try {
      const body = await metrics.registry.metrics();
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.end(body);
    } catch (error) {
      next(error);
    }
  });

  app.use((_req, _res, next) => next(new HttpProblem(404, 'NOT_FOUND')));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = toProblem(error);
    if (problem.status >= 500) {
      logger.error({ err: error, req: loggedRequest(req) }, 'request failed');
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
    const language = pickLanguage(req.headers['accept-language'], config.defaultLang);
    res.status(problem.status);
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.setHeader('Content-Language', language);
    res.end(JSON.stringify(problemBody(problem, language, req.originalUrl.split('?')[0])));
  });
  return kvApp;
}

export interface RunningApp {
  app: KvApp;
  server: Server;
  /** The port the API listens on (useful with KV_PORT=0). */
  port: number;
  profilingServer: Server | undefined;
  profilingPort: number | undefined;
  stopping?: Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Seeds the first admin, listens, starts the expiry sweeper and, if configured, profiling. */
export async function start(app: KvApp): Promise<RunningApp> {
  const { config, logger } = app;
  if (config.admin) await app.auth.ensureUser(config.admin.user, config.admin.password, 'admin');
  const httpServer = createServer(app.express);
  // Longer than nginx's upstream keepalive_timeout (60 s), so nginx closes idle links first.
  httpServer.keepAliveTimeout = 75_000;
  httpServer.headersTimeout = 80_000;
  const port = await listen(httpServer, config.port, config.host);
  let profilingServer: Server | undefined;
  let profilingPort: number | undefined;
  if (config.profile && config.adminToken) {
    profilingServer = createProfilingServer(config.adminToken, logger);
    profilingPort = await listen(profilingServer, config.profile.port, config.profile.host);
    logger.info({ port: profilingPort, host: config.profile.host }, 'profiling endpoint enabled');
  }
  app.sweeper.start();
  logger.info({ port, host: config.host, dataDir: config.dataDir }, 'kvstore listening');
  return { app, server: httpServer, port, profilingServer, profilingPort };
}

/**
 * Stops accepting connections, lets requests in flight finish within the configured bound,
 * then cuts what is left, stops the sweeper and closes the store (flushing pending writes).
 */
export function stop(running: RunningApp): Promise<void> {
  running.stopping ??= (async () => {
    const { app, server, profilingServer } = running;
    app.ready = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    profilingServer?.close();
    profilingServer?.closeAllConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), app.config.shutdownTimeoutMs);
    });
    if (await Promise.race([closed.then(() => false), timedOut])) {
      app.logger.warn('shutdown bound reached; closing open connections');
      server.closeAllConnections();
      await closed;
    }
    clearTimeout(timer);
    await app.sweeper.stop();
    await app.tables.root.close();
    app.logger.info('kvstore stopped');
  })();
  return running.stopping;
}

// Per-request bookkeeping in one middleware with one 'close' listener: the request id, the
// latency and in-flight metrics, and the JSON access log line. It replaces pino-http, which
// built a child logger (serialising the request into its bindings) on every request whatever
// the level, and was the largest per-request cost of the service.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

declare global {
  namespace Express {
    interface Request {
      /** X-Request-Id of this request (the caller's when sane, else a new UUID). */
      id: string;
    }
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Probes and scrapes every few seconds would drown the request log. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The caller's X-Request-Id when it is a sane token (nginx sends its $request_id), else a new UUID. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** What a log line says about a request. Never headers: tokens and cookies stay out of logs. */
export interface LoggedRequest {
  id: string;
  method: string;
  url: string;
  remoteAddress: string | undefined;
  /** X-Forwarded-For as received (nginx appends the client address); only logged, never trusted. */
  forwardedFor: string | string[] | undefined;
}

export function loggedRequest(req: Request): LoggedRequest {
  return {
    id: req.id,
    method: req.method,
    url: req.originalUrl,
    remoteAddress: req.socket.remoteAddress,
    forwardedFor: req.headers['x-forwarded-for'],
  };
}

export interface RequestObserverOptions {
  logger: Logger;
  /** Write one access log line per request (KV_ACCESS_LOG). */
  accessLog: boolean;
  /** Requests being served, counted up and down here (the in-flight gauge reads it). */
  inFlight: { count: number };
  /** Records one request's latency; `route` is the route pattern or `unmatched`. */
  observeDuration: (method: string, route: string, status: number, seconds: number) => void;
}

/**
 * Gives every request its id and, when it closes (finished or aborted), records its latency
 * and writes its access log line: `request completed`, level info, or error for a 5xx.
 */
export function observeRequests(options: RequestObserverOptions): RequestHandler {
  const { logger, accessLog, inFlight, observeDuration } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    inFlight.count += 1;
    req.id = requestId(req, res);
    const logged = accessLog && !UNLOGGED_PATHS.has(req.url);
    // 'close' is emitted once per response, after 'finish' or on an abort: one listener for all.
    res.on('close', () => {
      inFlight.count -= 1;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      // The route pattern, never the raw URL: label values stay few.
      const route: unknown = req.route?.path;
      observeDuration(req.method, typeof route === 'string' ? route : 'unmatched', status, seconds);
      if (!logged) return;
      const failed = status >= 500;
      if (!logger.isLevelEnabled(failed ? 'error' : 'info')) return;
      const line = {
        req: loggedRequest(req),
        res: { statusCode: status },
        // Milliseconds with microsecond resolution: most requests take well under 1 ms.
        responseTime: Math.round(seconds * 1e6) / 1e3,
      };
      if (failed) logger.error(line, 'request completed');
      else logger.info(line, 'request completed');
    });
    next();
  };
}

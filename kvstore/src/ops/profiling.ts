// Opt-in profiling on its own port, the counterpart of Go's pprof: a CPU profile over N seconds
// (.cpuprofile, opens in Chrome DevTools) and a heap snapshot (.heapsnapshot). Both need the
// admin token, since a heap snapshot holds every secret in memory.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { pipeline } from 'node:stream/promises';
import { getHeapSnapshot } from 'node:v8';
import type { Logger } from 'pino';

const MAX_PROFILE_SECONDS = 120;

function problem(res: ServerResponse, status: number, code: string, title: string): void {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `urn:kvstore:problem:${code.toLowerCase()}`, title, status, code }));
}

export function createProfilingServer(adminToken: string, logger: Logger): Server {
  const expected = createHash('sha256').update(adminToken).digest();
  let busy = false;

  const authorised = (req: IncomingMessage): boolean => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]).digest(), expected);
  };

  const cpuProfile = async (seconds: number, res: ServerResponse): Promise<void> => {
    const session = new Session();
    session.connect();
    try {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const { profile } = await session.post('Profiler.stop');
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Disposition': 'attachment; filename="kvstore.cpuprofile"',
      });
      res.end(JSON.stringify(profile));
    } finally {
      session.disconnect();
    }
  };

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://profiling');
    if (req.method !== 'GET') return problem(res, 405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
    if (!authorised(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="kvstore-profiling"');
      return problem(res, 401, 'UNAUTHORIZED', 'Authentication required');
    }
    if (busy) return problem(res, 409, 'PROFILE_BUSY', 'A profile is already running');
    let work: Promise<void>;
    if (url.pathname === '/debug/cpu-profile') {
      const seconds = Number(url.searchParams.get('seconds') ?? '10');
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PROFILE_SECONDS) {
        return problem(res, 400, 'QUERY_INVALID', `seconds: 1..${MAX_PROFILE_SECONDS}`);
      }
      work = cpuProfile(seconds, res);
    } else if (url.pathname === '/debug/heap-snapshot') {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Disposition': 'attachment; filename="kvstore.heapsnapshot"',
      });
      work = pipeline(getHeapSnapshot(), res);
    } else {
      return problem(res, 404, 'NOT_FOUND', 'Not found');
    }
    busy = true;
    work
      .catch((error: unknown) => {
        logger.error({ err: error }, 'profiling failed');
        if (!res.headersSent) problem(res, 500, 'INTERNAL', 'Internal error');
        else res.destroy();
      })
      .finally(() => {
        busy = false;
      });
  });
}

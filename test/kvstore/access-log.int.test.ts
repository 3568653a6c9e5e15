// The per-request bookkeeping: the JSON access log (documented fields, never a header, no
// lines for probes and scrapes, none with KV_ACCESS_LOG=false) and the in-flight gauge.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KvHarness, startKvstore } from '../support/kvstore-app.js';

interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; method: string; url: string; remoteAddress?: string; forwardedFor?: string };
  res?: { statusCode: number };
  responseTime?: number;
  [field: string]: unknown;
}

/** A pino logger that keeps every line it writes, parsed, and the raw text. */
function capturingLogger() {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (text: string) => {
        raw.push(text);
        lines.push(JSON.parse(text) as LogLine);
      },
    },
  );
  return { logger, lines, raw };
}

/** The access log line of the request with this id; waits because it is written on 'close'. */
async function lineOf(lines: LogLine[], id: string): Promise<LogLine> {
  return vi.waitFor(() => {
    const found = lines.find((line) => line.req?.id === id && line.msg === 'request completed');
    if (!found) throw new Error(`no access log line for ${id}`);
    return found;
  });
}

describe('kvstore access log', () => {
  const captured = capturingLogger();
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore({}, { logger: captured.logger });
  });
  afterAll(() => kv.close());

  it('logs method, URL, status, time, peer and X-Forwarded-For, and never a header', async () => {
    await kv.api('/api/kv/logged', { method: 'PUT', body: 'v', headers: { 'content-type': 'text/plain' } });
    const res = await kv.api('/api/kv/logged?x=1', {
      headers: { 'x-request-id': 'log-test-1', 'x-forwarded-for': '203.0.113.7', cookie: 'kv_session=zzz' },
    });
    expect(res.status).toBe(200);
    const line = await lineOf(captured.lines, 'log-test-1');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: {
        id: 'log-test-1',
        method: 'GET',
        url: '/api/kv/logged?x=1',
        remoteAddress: '127.0.0.1',
        forwardedFor: '203.0.113.7',
      },
      res: { statusCode: 200 },
    });
    expect(typeof line.time).toBe('number');
    expect(line.responseTime).toBeGreaterThanOrEqual(0);
    expect(Object.keys(line.req ?? {}).sort()).toEqual([
      'forwardedFor',
      'id',
      'method',
      'remoteAddress',
      'url',
    ]);
    const text = captured.raw.join('');
    expect(text).not.toContain(kv.adminToken);
    expect(text).not.toContain('zzz');
    expect(text).not.toMatch(/authorization|cookie/i);
  });

  it('logs errors with their status and the generated request id', async () => {
    const res = await kv.api('/api/kv/absent');
    expect(res.status).toBe(404);
    const id = res.headers.get('x-request-id') ?? '';
    const line = await lineOf(captured.lines, id);
    expect(line).toMatchObject({ level: 30, res: { statusCode: 404 }, req: { url: '/api/kv/absent' } });
    expect(line.req?.forwardedFor).toBeUndefined();
  });

  it('counts requests in flight up while served and down once closed', async () => {
    const inFlight = async () => (await kv.app.metrics.requestsInFlight.get()).values[0]?.value;
    await Promise.all(Array.from({ length: 5 }, () => kv.api('/api/kv/logged')));
    await vi.waitFor(async () => expect(await inFlight()).toBe(0));
    // A scrape is itself in flight while the gauge is collected.
    expect(await (await fetch(`${kv.url}/metrics`)).text()).toMatch(/^http_requests_in_flight 1$/m);
  });

  it('does not log probes and scrapes', async () => {
    for (const probe of ['/healthz', '/readyz', '/metrics']) {
      const res = await fetch(`${kv.url}${probe}`, {
        headers: { 'x-request-id': `probe${probe.replace('/', '-')}` },
      });
      expect(res.status).toBe(200);
    }
    // A later request's line proves the probes' lines would have been written by now.
    const res = await kv.api('/api/kv/absent', { headers: { 'x-request-id': 'after-probes' } });
    expect(res.status).toBe(404);
    await lineOf(captured.lines, 'after-probes');
    expect(captured.lines.filter((line) => line.req?.id.startsWith('probe-'))).toEqual([]);
  });
});

describe('kvstore access log on a failing request', () => {
  const captured = capturingLogger();
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore({}, { logger: captured.logger });
  });
  afterAll(() => kv.close());

  it('logs a 5xx at error level, with the error and the request it belongs to', async () => {
    // A closed store makes every read throw: the service answers 500 and keeps serving.
    await kv.app.tables.root.close();
    const res = await kv.api('/api/kv/anything', { headers: { 'x-request-id': 'fail-1' } });
    expect(res.status).toBe(500);
    expect((await res.json()).code).toBe('INTERNAL');
    const access = await lineOf(captured.lines, 'fail-1');
    expect(access).toMatchObject({ level: 50, res: { statusCode: 500 } });
    const failure = captured.lines.find((line) => line.msg === 'request failed');
    expect(failure).toMatchObject({ level: 50, req: { id: 'fail-1', url: '/api/kv/anything' } });
    expect(failure?.err).toBeDefined();
  });
});

describe('kvstore with KV_ACCESS_LOG=false', () => {
  const captured = capturingLogger();
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore({ KV_ACCESS_LOG: 'false' }, { logger: captured.logger });
  });
  afterAll(() => kv.close());

  it('writes no request lines but still logs the service itself', async () => {
    const res = await kv.api('/api/kv/absent', { headers: { 'x-request-id': 'quiet-1' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('quiet-1');
    await kv.close();
    expect(captured.lines.some((line) => line.msg === 'kvstore stopped')).toBe(true);
    expect(captured.lines.filter((line) => line.req !== undefined)).toEqual([]);
  });
});

// The real nginx config in front of the app: redirect, TLS versions and HTTP/2, security
// headers, /health answered by nginx, /metrics hidden, body limits and 429 rate limiting.
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvHarness, startKvstore } from '../support/kvstore-app.js';
import {
  fetchInsecure,
  haveBinaries,
  NGINX_BIN,
  type RunningNginx,
  startNginx,
} from '../support/kvstore-nginx.js';

function tlsHandshake(
  port: number,
  version: 'TLSv1.2' | 'TLSv1.3',
): Promise<{ protocol: string | null; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        minVersion: version,
        maxVersion: version,
        ALPNProtocols: ['h2', 'http/1.1'],
      },
      () => {
        resolve({ protocol: socket.getProtocol(), alpn: socket.alpnProtocol });
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

describe.runIf(haveBinaries(NGINX_BIN))('kvstore behind nginx', () => {
  let kv: KvHarness;
  let nginx: RunningNginx;
  beforeAll(async () => {
    kv = await startKvstore();
    nginx = await startNginx({ upstreamPort: kv.running.port, rate: '20r/s', rateBurst: 20 });
  });
  afterAll(async () => {
    await nginx?.stop();
    await kv?.close();
  });

  it('redirects HTTP to HTTPS but answers /health itself on both', async () => {
    const redirect = await fetchInsecure(`${nginx.httpUrl}/api/kv?x=1`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe(`https://127.0.0.1:${nginx.httpsPort}/api/kv?x=1`);
    const health = await fetchInsecure(`${nginx.httpsUrl}/health`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect((await fetchInsecure(`${nginx.httpUrl}/health`)).status).toBe(200);
  });

  it('speaks TLS 1.2 and 1.3 and offers HTTP/2', async () => {
    expect(await tlsHandshake(nginx.httpsPort, 'TLSv1.3')).toEqual({ protocol: 'TLSv1.3', alpn: 'h2' });
    expect((await tlsHandshake(nginx.httpsPort, 'TLSv1.2')).protocol).toBe('TLSv1.2');
  });

  it('serves the console with HSTS and security headers', async () => {
    const page = await fetchInsecure(`${nginx.httpsUrl}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.headers['strict-transport-security']).toContain('max-age=63072000');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers.server).toBe('nginx');
  });

  it('proxies /api with a request id, and never exposes /metrics, /healthz or /readyz', async () => {
    const res = await fetchInsecure(`${nginx.httpsUrl}/api/kv`, {
      headers: { authorization: `Bearer ${kv.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers['strict-transport-security']).toBeDefined();
    for (const hidden of ['/metrics', '/healthz', '/readyz', '/api/../metrics']) {
      const blocked = await fetchInsecure(`${nginx.httpsUrl}${hidden}`);
      expect(blocked.status, hidden).toBe(404);
      expect(blocked.body).not.toContain('process_cpu');
    }
  });

  it('accepts a 1 MiB value and answers 413 problem JSON above the limit', async () => {
    const headers = { authorization: `Bearer ${kv.adminToken}`, 'content-type': 'text/plain' };
    const ok = await fetchInsecure(`${nginx.httpsUrl}/api/kv/big`, {
      method: 'PUT',
      headers,
      body: 'v'.repeat(1024 * 1024),
    });
    expect(ok.status).toBe(201);
    const tooBig = await fetchInsecure(`${nginx.httpsUrl}/api/kv/big`, {
      method: 'PUT',
      headers,
      body: 'v'.repeat(2 * 1024 * 1024),
    });
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(tooBig.body).code).toBe('VALUE_TOO_LARGE');
  });

  it('answers 429 problem JSON when a client exceeds the rate', async () => {
    const responses = await Promise.all(
      Array.from({ length: 120 }, () => fetchInsecure(`${nginx.httpsUrl}/api/kv`)),
    );
    const limited = responses.filter((res) => res.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(JSON.parse(limited[0]?.body ?? '{}').code).toBe('RATE_LIMITED');
    expect(limited[0]?.headers['retry-after']).toBe('1');
    expect(responses.filter((res) => res.status === 401).length).toBeGreaterThan(0);
  });
});

// Authentication and authorisation: Bearer tokens with scopes, scrypt-hashed users, persisted
// expiring sessions with hardened cookies, CSRF on console writes, and closed registration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvHarness, sampleValue, scrape, startKvstore } from '../support/kvstore-app.js';

const json = { 'content-type': 'application/json' };

async function login(kv: KvHarness, username = kv.adminUser, password = kv.adminPassword) {
  const res = await fetch(`${kv.url}/api/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ username, password }),
  });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    res,
    cookie,
    body: res.ok ? ((await res.json()) as { csrfToken: string; scope: string }) : undefined,
  };
}

describe('kvstore Bearer tokens', () => {
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore();
  });
  afterAll(() => kv.close());

  it('answers 401 with WWW-Authenticate to a missing or bad token, never a redirect', async () => {
    const missing = await fetch(`${kv.url}/api/kv/x`, { redirect: 'manual' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="kvstore"');
    expect((await missing.json()).code).toBe('UNAUTHORIZED');
    const bad = await fetch(`${kv.url}/api/kv/x`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const basic = await fetch(`${kv.url}/api/kv`, { headers: { authorization: 'Basic YTpi' } });
    expect(basic.status).toBe(401);
    const text = await scrape(kv);
    expect(
      sampleValue(text, 'kvstore_auth_failures_total', { reason: 'missing_credentials' }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(text, 'kvstore_auth_failures_total', { reason: 'invalid_token' }),
    ).toBeGreaterThanOrEqual(2);
  });

  it('lets a read token read, and answers 403 when it writes', async () => {
    await kv.api('/api/kv/shared', { method: 'PUT', headers: json, body: '{"value":"v"}' });
    const created = await kv.api('/api/auth/tokens', {
      method: 'POST',
      headers: json,
      body: '{"name":"reader","scope":"read"}',
    });
    expect(created.status).toBe(201);
    const { token, id } = (await created.json()) as { token: string; id: string };
    const reader = { authorization: `Bearer ${token}` };
    expect((await fetch(`${kv.url}/api/kv/shared`, { headers: reader })).status).toBe(200);
    expect((await fetch(`${kv.url}/api/kv`, { headers: reader })).status).toBe(200);
    for (const [method, url] of [
      ['PUT', '/api/kv/shared'],
      ['PATCH', '/api/kv/shared'],
      ['DELETE', '/api/kv/shared'],
      ['POST', '/api/import'],
      ['GET', '/api/auth/tokens'],
    ] as const) {
      const res = await fetch(`${kv.url}${url}`, {
        method,
        headers: { ...reader, ...json },
        body: method === 'GET' ? undefined : '{"value":"w","ttl":1,"items":[]}',
      });
      expect(res.status, `${method} ${url}`).toBe(403);
      expect((await res.json()).code).toBe('FORBIDDEN');
    }
    expect(sampleValue(await scrape(kv), 'kvstore_auth_failures_total', { reason: 'forbidden' })).toBe(5);
    // Only the digest is stored: the token text appears nowhere in the token table.
    const stored = JSON.stringify([...kv.app.tables.tokens.getRange()]);
    expect(stored).not.toContain(token);
    expect((await kv.api(`/api/auth/tokens/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${kv.url}/api/kv/shared`, { headers: reader })).status).toBe(401);
  });

  it('lets a write token write but not manage tokens', async () => {
    const created = await kv.api('/api/auth/tokens', {
      method: 'POST',
      headers: json,
      body: '{"name":"writer","scope":"write"}',
    });
    const { token } = (await created.json()) as { token: string };
    const writer = { authorization: `Bearer ${token}`, ...json };
    expect(
      (await fetch(`${kv.url}/api/kv/by-writer`, { method: 'PUT', headers: writer, body: '{"value":"v"}' }))
        .status,
    ).toBe(201);
    expect((await fetch(`${kv.url}/api/auth/tokens`, { headers: writer })).status).toBe(403);
    expect(
      (
        await kv.api('/api/auth/tokens', {
          method: 'POST',
          headers: json,
          body: '{"name":"x","scope":"root"}',
        })
      ).status,
    ).toBe(400);
  });
});

describe('kvstore users, sessions and CSRF', () => {
  let kv: KvHarness;
  let now = Date.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kvstore-auth-'));
  beforeAll(async () => {
    kv = await startKvstore(
      { KV_COOKIE_SECURE: 'true', KV_SESSION_TTL_SECONDS: '600' },
      { dataDir, now: () => now },
    );
  });
  afterAll(async () => {
    await kv.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores the admin password as a scrypt hash', () => {
    const user = kv.app.tables.users.get('admin');
    expect(user?.role).toBe('admin');
    expect(user?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(user?.passwordHash).not.toContain(kv.adminPassword);
  });

  it('rejects a wrong password with 401 and counts it', async () => {
    const wrong = await login(kv, 'admin', 'not the password');
    expect(wrong.res.status).toBe(401);
    expect((await wrong.res.json()).code).toBe('LOGIN_FAILED');
    const nobody = await login(kv, 'nobody', 'whatever-password');
    expect(nobody.res.status).toBe(401);
    expect(sampleValue(await scrape(kv), 'kvstore_auth_failures_total', { reason: 'bad_password' })).toBe(2);
  });

  it('sets an HttpOnly, Secure, SameSite=Strict session cookie', async () => {
    const { res } = await login(kv);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kv_session=[A-Za-z0-9_-]{40,};/);
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/api', 'Max-Age=600']) {
      expect(cookie).toContain(attribute);
    }
  });

  it('requires the CSRF token on session writes, not on reads', async () => {
    const { cookie, body } = await login(kv);
    const csrf = body?.csrfToken ?? '';
    expect(csrf.length).toBeGreaterThan(20);
    const put = (headers: Record<string, string>) =>
      fetch(`${kv.url}/api/kv/console-key`, {
        method: 'PUT',
        headers: { cookie, ...json, ...headers },
        body: '{"value":"v"}',
      });
    const none = await put({});
    expect(none.status).toBe(403);
    expect((await none.json()).code).toBe('CSRF_FAILED');
    expect((await put({ 'x-csrf-token': `${csrf.slice(0, -1)}x` })).status).toBe(403);
    expect((await put({ 'x-csrf-token': csrf, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await put({ 'x-csrf-token': csrf, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    for (const method of ['DELETE', 'PATCH']) {
      const res = await fetch(`${kv.url}/api/kv/console-key`, {
        method,
        headers: { cookie, ...json },
        body: method === 'PATCH' ? '{"ttl":5}' : undefined,
      });
      expect(res.status).toBe(403);
    }
    const imported = await fetch(`${kv.url}/api/import`, {
      method: 'POST',
      headers: { cookie, ...json },
      body: '{"items":[]}',
    });
    expect(imported.status).toBe(403);
    expect((await fetch(`${kv.url}/api/kv/console-key`, { headers: { cookie } })).status).toBe(200);
    const session = await (await fetch(`${kv.url}/api/auth/session`, { headers: { cookie } })).json();
    expect(session).toMatchObject({ user: 'admin', scope: 'admin', csrfToken: csrf });
    expect(sampleValue(await scrape(kv), 'kvstore_auth_failures_total', { reason: 'csrf' })).toBe(6);
  });

  it('ends the session on logout', async () => {
    const { cookie, body } = await login(kv);
    const out = await fetch(`${kv.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': body?.csrfToken ?? '' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${kv.url}/api/kv`, { headers: { cookie } })).status).toBe(401);
  });

  it('keeps sessions across a restart and expires them after their lifetime', async () => {
    const { cookie } = await login(kv);
    // Only the digest of the session id is stored.
    const sessionId = cookie.split('=')[1] ?? '';
    expect(JSON.stringify([...kv.app.tables.sessions.getRange()])).not.toContain(sessionId);
    await kv.close();
    kv = await startKvstore(
      { KV_COOKIE_SECURE: 'true', KV_SESSION_TTL_SECONDS: '600' },
      { dataDir, now: () => now },
    );
    expect((await fetch(`${kv.url}/api/kv`, { headers: { cookie } })).status).toBe(200);
    const before = kv.app.tables.sessions.getCount();
    now += 601_000;
    expect((await fetch(`${kv.url}/api/kv`, { headers: { cookie } })).status).toBe(401);
    await kv.app.sweeper.tick();
    expect(kv.app.tables.sessions.getCount()).toBeLessThan(before);
  });

  it('keeps registration closed by default', async () => {
    const res = await fetch(`${kv.url}/api/auth/register`, {
      method: 'POST',
      headers: json,
      body: '{"username":"eve","password":"a-long-password"}',
    });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe('REGISTRATION_CLOSED');
  });
});

describe('kvstore open registration', () => {
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore({ KV_REGISTRATION: 'open' });
  });
  afterAll(() => kv.close());

  it('registers an editor who can write keys but not manage tokens', async () => {
    const register = (password: string) =>
      fetch(`${kv.url}/api/auth/register`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: 'bob', password }),
      });
    expect((await register('short')).status).toBe(400);
    const res = await register('a-long-enough-password');
    expect(res.status).toBe(201);
    expect((await register('another-long-password')).status).toBe(409);
    const { cookie, body } = await login(kv, 'bob', 'a-long-enough-password');
    expect(body?.scope).toBe('write');
    const headers = { cookie, 'x-csrf-token': body?.csrfToken ?? '', ...json };
    expect(
      (await fetch(`${kv.url}/api/kv/bob`, { method: 'PUT', headers, body: '{"value":"v"}' })).status,
    ).toBe(201);
    expect((await fetch(`${kv.url}/api/auth/tokens`, { headers })).status).toBe(403);
  });
});

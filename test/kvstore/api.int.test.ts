// The HTTP contract of /api/kv: status codes, bodies, ETags, preconditions, limits, paging,
// export/import, problem documents, and the metrics the API leaves behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvHarness, sampleValue, scrape, startKvstore } from '../support/kvstore-app.js';

const json = { 'content-type': 'application/json' };

describe('kvstore API contract', () => {
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore();
  });
  afterAll(() => kv.close());

  it('creates with 201, updates with 200, and reads back value, TTL and version as ETag', async () => {
    const created = await kv.api('/api/kv/greeting', {
      method: 'PUT',
      headers: json,
      body: '{"value":"hello","ttl":3600}',
    });
    expect(created.status).toBe(201);
    const createdBody = await created.json();
    expect(createdBody).toMatchObject({ key: 'greeting', ttl: 3600 });
    expect(created.headers.get('etag')).toBe(`"${createdBody.version}"`);

    const updated = await kv.api('/api/kv/greeting', {
      method: 'PUT',
      headers: json,
      body: '{"value":"hi"}',
    });
    expect(updated.status).toBe(200);
    const got = await kv.api('/api/kv/greeting');
    expect(got.status).toBe(200);
    const body = await got.json();
    // Redis semantics: an overwrite without a TTL clears the TTL.
    expect(body).toMatchObject({ key: 'greeting', value: 'hi', ttl: 0, expiresAt: null });
    expect(body.version).toBeGreaterThan(createdBody.version);
    expect(got.headers.get('etag')).toBe(`"${body.version}"`);
    expect(got.headers.get('cache-control')).toBe('no-store');
  });

  it('accepts a raw body with ?ttl= and keys containing slashes and non-ASCII', async () => {
    const key = encodeURIComponent('dir/sub/键');
    const put = await kv.api(`/api/kv/${key}?ttl=60`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'raw 值',
    });
    expect(put.status).toBe(201);
    const got = await (await kv.api(`/api/kv/${key}`)).json();
    expect(got).toMatchObject({ key: 'dir/sub/键', value: 'raw 值', ttl: 60 });
  });

  it('answers 404 problem+json for a missing key', async () => {
    const res = await kv.api('/api/kv/nope', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 404, code: 'KEY_NOT_FOUND', title: '键不存在' });
  });

  it('honours If-Match and If-None-Match on PUT, and If-Match on DELETE', async () => {
    const first = await kv.api('/api/kv/cas', {
      method: 'PUT',
      headers: { ...json, 'if-none-match': '*' },
      body: '{"value":"1"}',
    });
    expect(first.status).toBe(201);
    const etag = first.headers.get('etag') ?? '';
    const again = await kv.api('/api/kv/cas', {
      method: 'PUT',
      headers: { ...json, 'if-none-match': '*' },
      body: '{"value":"2"}',
    });
    expect(again.status).toBe(412);
    expect((await again.json()).code).toBe('PRECONDITION_FAILED');
    const stale = await kv.api('/api/kv/cas', {
      method: 'PUT',
      headers: { ...json, 'if-match': '"999999"' },
      body: '{"value":"3"}',
    });
    expect(stale.status).toBe(412);
    const ok = await kv.api('/api/kv/cas', {
      method: 'PUT',
      headers: { ...json, 'if-match': etag },
      body: '{"value":"4"}',
    });
    expect(ok.status).toBe(200);
    const newTag = ok.headers.get('etag') ?? '';
    expect(newTag).not.toBe(etag);
    const notModified = await kv.api('/api/kv/cas', { headers: { 'if-none-match': newTag } });
    expect(notModified.status).toBe(304);
    const badDelete = await kv.api('/api/kv/cas', { method: 'DELETE', headers: { 'if-match': etag } });
    expect(badDelete.status).toBe(412);
    const goodDelete = await kv.api('/api/kv/cas', { method: 'DELETE', headers: { 'if-match': newTag } });
    expect(goodDelete.status).toBe(204);
    expect((await kv.api('/api/kv/cas', { method: 'DELETE' })).status).toBe(404);
    expect(
      (
        await kv.api('/api/kv/missing', {
          method: 'PUT',
          headers: { ...json, 'if-match': '*' },
          body: '{"value":"x"}',
        })
      ).status,
    ).toBe(412);
  });

  it('PATCH sets and removes a TTL', async () => {
    await kv.api('/api/kv/patched', { method: 'PUT', headers: json, body: '{"value":"v"}' });
    const set = await kv.api('/api/kv/patched', { method: 'PATCH', headers: json, body: '{"ttl":120}' });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ ttl: 120 });
    const cleared = await kv.api('/api/kv/patched', { method: 'PATCH', headers: json, body: '{"ttl":null}' });
    expect(await cleared.json()).toMatchObject({ ttl: 0, expiresAt: null });
    expect(
      (await kv.api('/api/kv/absent', { method: 'PATCH', headers: json, body: '{"ttl":5}' })).status,
    ).toBe(404);
    expect((await (await kv.api('/api/kv/patched')).json()).value).toBe('v');
  });

  it('pages through keys in order with a cursor', async () => {
    const keys = Array.from({ length: 25 }, (_, i) => `page/${String(i).padStart(2, '0')}`);
    for (const key of keys)
      await kv.api(`/api/kv/${key}`, { method: 'PUT', headers: json, body: '{"value":"x"}' });
    await kv.api('/api/kv/pagf', { method: 'PUT', headers: json, body: '{"value":"outside"}' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({ prefix: 'page/', limit: '10' });
      if (cursor) query.set('cursor', cursor);
      const page = (await (await kv.api(`/api/kv?${query}`)).json()) as {
        items: Array<{ key: string }>;
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((item) => item.key));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(keys);
    expect(pages).toBe(3);
    const withValues = await (await kv.api('/api/kv?prefix=page/&limit=1&values=true')).json();
    expect(withValues.items[0]).toMatchObject({ key: 'page/00', value: 'x' });
  });

  it('exports and imports JSON', async () => {
    const exported = await kv.api('/api/export');
    expect(exported.status).toBe(200);
    const doc = (await exported.json()) as { items: Array<{ key: string; value: string; ttl: number }> };
    expect(doc.items.find((item) => item.key === 'greeting')).toEqual({
      key: 'greeting',
      value: 'hi',
      ttl: 0,
    });
    const imported = await kv.api('/api/import', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        items: [
          { key: 'imported/a', value: 'A', ttl: 30 },
          { key: 'imported/b', value: 'B' },
        ],
      }),
    });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toEqual({ imported: 2 });
    expect(await (await kv.api('/api/kv/imported/a')).json()).toMatchObject({ value: 'A', ttl: 30 });
    const bad = await kv.api('/api/import', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        items: [
          { key: 'imported/c', value: 'C' },
          { key: '', value: 'x' },
          { key: 'k', value: 1 },
        ],
      }),
    });
    expect(bad.status).toBe(400);
    const problem = await bad.json();
    expect(problem.errors).toEqual([
      expect.objectContaining({ index: 1, code: 'KEY_INVALID' }),
      expect.objectContaining({ index: 2, code: 'VALUE_INVALID' }),
    ]);
    expect((await kv.api('/api/kv/imported/c')).status).toBe(404);
  });

  const longKey = 'k'.repeat(513);
  const megabyte = 1024 * 1024;
  const badInputs: Array<{
    name: string;
    method: string;
    path: string;
    body?: string | Uint8Array<ArrayBuffer>;
    headers?: Record<string, string>;
    status: number;
    code: string;
  }> = [
    {
      name: 'key over 512 bytes',
      method: 'PUT',
      path: `/api/kv/${longKey}`,
      body: '{"value":"x"}',
      headers: json,
      status: 400,
      code: 'KEY_TOO_LONG',
    },
    {
      name: '512 bytes of multi-byte key +1',
      method: 'GET',
      path: `/api/kv/${encodeURIComponent('é'.repeat(256))}x`,
      status: 400,
      code: 'KEY_TOO_LONG',
    },
    {
      name: 'control character in key',
      method: 'GET',
      path: '/api/kv/a%01b',
      status: 400,
      code: 'KEY_INVALID',
    },
    {
      name: 'malformed percent-encoding',
      method: 'GET',
      path: '/api/kv/%E0%A4%A',
      status: 400,
      code: 'KEY_INVALID',
    },
    {
      name: 'broken JSON',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"value":',
      headers: json,
      status: 400,
      code: 'BODY_INVALID',
    },
    {
      name: 'JSON without value',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"ttl":5}',
      headers: json,
      status: 400,
      code: 'BODY_INVALID',
    },
    {
      name: 'JSON array',
      method: 'PUT',
      path: '/api/kv/x',
      body: '["x"]',
      headers: json,
      status: 400,
      code: 'BODY_INVALID',
    },
    {
      name: 'non-string value',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"value":42}',
      headers: json,
      status: 400,
      code: 'VALUE_INVALID',
    },
    {
      name: 'negative ttl',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"value":"v","ttl":-1}',
      headers: json,
      status: 400,
      code: 'TTL_INVALID',
    },
    {
      name: 'fractional ttl',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"value":"v","ttl":1.5}',
      headers: json,
      status: 400,
      code: 'TTL_INVALID',
    },
    {
      name: 'string ttl in JSON',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"value":"v","ttl":"abc"}',
      headers: json,
      status: 400,
      code: 'TTL_INVALID',
    },
    {
      name: 'huge ttl',
      method: 'PUT',
      path: '/api/kv/x',
      body: '{"value":"v","ttl":1e20}',
      headers: json,
      status: 400,
      code: 'TTL_INVALID',
    },
    {
      name: 'bad ?ttl=',
      method: 'PUT',
      path: '/api/kv/x?ttl=soon',
      body: 'v',
      headers: { 'content-type': 'text/plain' },
      status: 400,
      code: 'TTL_INVALID',
    },
    {
      name: 'raw body not UTF-8',
      method: 'PUT',
      path: '/api/kv/x',
      body: new Uint8Array([0x61, 0xff, 0xfe]) as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream' },
      status: 400,
      code: 'VALUE_INVALID',
    },
    {
      name: 'value over 1 MiB (raw)',
      method: 'PUT',
      path: '/api/kv/x',
      body: 'a'.repeat(megabyte + 1),
      headers: { 'content-type': 'text/plain' },
      status: 413,
      code: 'VALUE_TOO_LARGE',
    },
    {
      name: 'value over 1 MiB (JSON)',
      method: 'PUT',
      path: '/api/kv/x',
      body: JSON.stringify({ value: 'a'.repeat(megabyte + 1) }),
      headers: json,
      status: 413,
      code: 'VALUE_TOO_LARGE',
    },
    {
      name: 'body far over the limit',
      method: 'PUT',
      path: '/api/kv/x',
      body: 'a'.repeat(3 * megabyte),
      headers: { 'content-type': 'text/plain' },
      status: 413,
      code: 'VALUE_TOO_LARGE',
    },
    {
      name: 'PATCH without ttl',
      method: 'PATCH',
      path: '/api/kv/greeting',
      body: '{}',
      headers: json,
      status: 400,
      code: 'BODY_INVALID',
    },
    {
      name: 'PATCH negative ttl',
      method: 'PATCH',
      path: '/api/kv/greeting',
      body: '{"ttl":-5}',
      headers: json,
      status: 400,
      code: 'TTL_INVALID',
    },
    { name: 'limit 0', method: 'GET', path: '/api/kv?limit=0', status: 400, code: 'QUERY_INVALID' },
    {
      name: 'limit too big',
      method: 'GET',
      path: '/api/kv?limit=100000',
      status: 400,
      code: 'QUERY_INVALID',
    },
    {
      name: 'limit twice',
      method: 'GET',
      path: '/api/kv?limit=1&limit=2',
      status: 400,
      code: 'QUERY_INVALID',
    },
    {
      name: 'garbage cursor',
      method: 'GET',
      path: '/api/kv?cursor=***',
      status: 400,
      code: 'CURSOR_INVALID',
    },
    {
      name: 'import without items',
      method: 'POST',
      path: '/api/import',
      body: '{}',
      headers: json,
      status: 400,
      code: 'BODY_INVALID',
    },
    { name: 'unknown route', method: 'GET', path: '/api/nothing', status: 404, code: 'NOT_FOUND' },
  ];

  it.each(badInputs)(
    'rejects $name with $status $code',
    async ({ method, path, body, headers, status, code }) => {
      const res = await kv.api(path, { method, body, headers });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const problem = await res.json();
      expect(problem).toMatchObject({ status, code });
      expect(typeof problem.title).toBe('string');
    },
  );

  it('keeps serving after the bad inputs, and a 512-byte key is fine', async () => {
    const key = 'k'.repeat(512);
    expect(
      (await kv.api(`/api/kv/${key}`, { method: 'PUT', headers: json, body: '{"value":"edge"}' })).status,
    ).toBe(201);
    expect((await (await kv.api(`/api/kv/${key}`)).json()).value).toBe('edge');
    const value = 'v'.repeat(1024 * 1024);
    expect(
      (await kv.api('/api/kv/big', { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: value }))
        .status,
    ).toBe(201);
  });

  it('serves health, readiness and metrics with route patterns, not raw URLs', async () => {
    expect((await fetch(`${kv.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${kv.url}/readyz`)).status).toBe(200);
    const text = await scrape(kv);
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/kv/*key',
        status_code: '200',
      }),
    ).toBeGreaterThan(0);
    expect(text).not.toMatch(/route="\/api\/kv\/greeting"/);
    expect(sampleValue(text, 'kvstore_operations_total', { op: 'put', result: 'created' })).toBeGreaterThan(
      0,
    );
    expect(
      sampleValue(text, 'kvstore_operations_total', { op: 'put', result: 'precondition_failed' }),
    ).toBeGreaterThan(0);
    expect(sampleValue(text, 'kvstore_operations_total', { op: 'get', result: 'not_found' })).toBeGreaterThan(
      0,
    );
    expect(sampleValue(text, 'kvstore_keys')).toBeGreaterThan(25);
    expect(sampleValue(text, 'kvstore_storage_size_bytes')).toBeGreaterThan(0);
    expect(sampleValue(text, 'http_requests_in_flight')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});

describe('kvstore without the access log', () => {
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore({ KV_ACCESS_LOG: 'false' });
  });
  afterAll(() => kv.close());

  it('still gives every response a request id, echoing a sane one', async () => {
    const echoed = await kv.api('/api/kv/nothing', { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const generated = await kv.api('/api/kv/nothing', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await generated.json()).code).toBe('KEY_NOT_FOUND');
  });
});

// Compare-and-swap under contention: many writers holding the same ETag, exactly one wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvHarness, startKvstore } from '../support/kvstore-app.js';

const json = { 'content-type': 'application/json' };
const WRITERS = 50;

describe('kvstore CAS race', () => {
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore();
  });
  afterAll(() => kv.close());

  it('lets exactly one of 50 concurrent If-Match writers win', async () => {
    const seed = await kv.api('/api/kv/counter', { method: 'PUT', headers: json, body: '{"value":"0"}' });
    const etag = seed.headers.get('etag') ?? '';
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        kv.api('/api/kv/counter', {
          method: 'PUT',
          headers: { ...json, 'if-match': etag },
          body: JSON.stringify({ value: `writer-${i}` }),
        }),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(WRITERS - 1);
    const winner = statuses.indexOf(200);
    const stored = await (await kv.api('/api/kv/counter')).json();
    expect(stored.value).toBe(`writer-${winner}`);
    expect(`"${stored.version}"`).toBe(responses[winner]?.headers.get('etag'));
  });

  it('lets exactly one of 50 concurrent create-only writers create the key', async () => {
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        kv.api('/api/kv/once', {
          method: 'PUT',
          headers: { ...json, 'if-none-match': '*' },
          body: JSON.stringify({ value: `creator-${i}` }),
        }),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(WRITERS - 1);
    expect((await (await kv.api('/api/kv/once')).json()).value).toBe(`creator-${statuses.indexOf(201)}`);
  });

  it('gives unconditional concurrent writers distinct versions and reports exactly one creation', async () => {
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        kv.api('/api/kv/free-for-all', {
          method: 'PUT',
          headers: json,
          body: JSON.stringify({ value: `w${i}` }),
        }),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(WRITERS - 1);
    expect(new Set(responses.map((res) => res.headers.get('etag'))).size).toBe(WRITERS);
  });

  it('serves 200 concurrent unconditional writers of one hot key without a failure, last version wins', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        kv.api('/api/kv/hot', { method: 'PUT', headers: json, body: JSON.stringify({ value: `h${i}` }) }),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(199);
    const versions = responses.map((res) => Number((res.headers.get('etag') ?? '').replaceAll('"', '')));
    const newest = Math.max(...versions);
    const stored = await (await kv.api('/api/kv/hot')).json();
    expect(stored.version).toBe(newest);
    expect(stored.value).toBe(`h${versions.indexOf(newest)}`);
  });
});

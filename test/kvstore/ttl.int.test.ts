// Expiry: expired keys are invisible at once, removed lazily on read or by the sweep through
// the expiry index, and counted by mode. A controllable clock replaces sleeping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvHarness, sampleValue, scrape, startKvstore } from '../support/kvstore-app.js';

const json = { 'content-type': 'application/json' };

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe('kvstore TTL with a controlled clock', () => {
  let kv: KvHarness;
  let now = Date.now();
  beforeAll(async () => {
    // The timer sweep is pushed out of the way; the test drives sweeps itself.
    kv = await startKvstore({ KV_SWEEP_INTERVAL_MS: '3600000', KV_SWEEP_BATCH: '2' }, { now: () => now });
  });
  afterAll(() => kv.close());

  const put = (key: string, body: object) =>
    kv.api(`/api/kv/${key}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
  const expired = async (mode: string) =>
    sampleValue(await scrape(kv), 'kvstore_expired_keys_total', { mode }) ?? 0;

  it('reports the remaining TTL, then hides the key once expired and removes it lazily', async () => {
    await put('lazy', { value: 'v', ttl: 10 });
    now += 4_000;
    expect((await (await kv.api('/api/kv/lazy')).json()).ttl).toBe(6);
    now += 6_000;
    expect((await kv.api('/api/kv/lazy')).status).toBe(404);
    await eventually(async () => (await expired('lazy')) === 1, 'lazy expiry counted');
    expect(kv.app.tables.kv.get('lazy')).toBeUndefined();
  });

  it('hides expired keys from listings and export before any sweep', async () => {
    await put('list/live', { value: 'v' });
    await put('list/dead', { value: 'v', ttl: 1 });
    now += 1_000;
    const page = await (await kv.api('/api/kv?prefix=list/')).json();
    expect(page.items.map((item: { key: string }) => item.key)).toEqual(['list/live']);
    const exported = await (await kv.api('/api/export')).json();
    expect(exported.items.map((item: { key: string }) => item.key)).not.toContain('list/dead');
  });

  it('sweeps expired keys through the index in small steps and counts them', async () => {
    const before = await expired('active');
    for (const key of ['sweep/a', 'sweep/b', 'sweep/c', 'sweep/d', 'sweep/e'])
      await put(key, { value: 'v', ttl: 5 });
    await put('sweep/keep', { value: 'v', ttl: 5 });
    // Redis semantics: overwriting without a TTL clears it; the old index entry is stale.
    await put('sweep/keep', { value: 'v2' });
    const keysBefore = kv.app.store.keyCount();
    now += 5_000;
    // Batch size 2: one tick takes several steps and works off the whole backlog.
    await kv.app.sweeper.tick();
    expect((await expired('active')) - before).toBe(5 + 1); // five sweep/* keys plus list/dead
    expect(kv.app.store.keyCount()).toBe(keysBefore - 5 - 1);
    expect((await (await kv.api('/api/kv/sweep/keep')).json()).value).toBe('v2');
    for (const key of ['sweep/a', 'sweep/e']) expect(kv.app.tables.kv.get(key)).toBeUndefined();
    expect(sampleValue(await scrape(kv), 'kvstore_keys')).toBe(kv.app.store.keyCount());
  });

  it('lets PATCH remove a TTL so the sweep leaves the key alone', async () => {
    await put('persisted', { value: 'v', ttl: 2 });
    await kv.api('/api/kv/persisted', { method: 'PATCH', headers: json, body: '{"ttl":0}' });
    now += 10_000;
    await kv.app.sweeper.tick();
    expect((await kv.api('/api/kv/persisted')).status).toBe(200);
  });
});

describe('kvstore TTL with the real clock and timer', () => {
  let kv: KvHarness;
  beforeAll(async () => {
    kv = await startKvstore({ KV_SWEEP_INTERVAL_MS: '100' });
  });
  afterAll(() => kv.close());

  it('removes an expired key without anyone reading it', async () => {
    await kv.api('/api/kv/short', { method: 'PUT', headers: json, body: '{"value":"v","ttl":1}' });
    await eventually(
      async () => sampleValue(await scrape(kv), 'kvstore_expired_keys_total', { mode: 'active' }) === 1,
      'active expiry of a 1 s key',
    );
    expect(kv.app.tables.kv.get('short')).toBeUndefined();
  });
});

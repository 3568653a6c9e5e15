// Durability: kill -9 the real server while a client writes; after a restart on the same data
// directory, every write that was acknowledged is there with its value.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKvstore, type KvProcess, spawnKvstore } from '../support/kvstore-process.js';

const CONCURRENCY = 16;
const KILL_AFTER_ACKS = 400;

describe('kvstore durability across kill -9', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kvstore-durability-'));
  const token = randomBytes(24).toString('base64url');
  const env = { KV_DATA_DIR: dataDir, KV_ADMIN_TOKEN: token };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  let server: KvProcess | undefined;

  beforeAll(() => buildKvstore());
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write', async () => {
    server = await spawnKvstore(env);
    const victim = server;
    const acknowledged = new Map<string, string>();
    let attempted = 0;
    let killed = false;

    const writer = async (id: number) => {
      for (let n = 0; ; n += 1) {
        const key = `w${id}/${n}`;
        const value = `${key}:${randomBytes(8).toString('hex')}`;
        attempted += 1;
        try {
          const res = await fetch(`${victim.url}/api/kv/${key}`, {
            method: 'PUT',
            headers,
            body: JSON.stringify({ value }),
          });
          if (res.status === 201) acknowledged.set(key, value);
          else throw new Error(`unexpected status ${res.status}`);
        } catch (error) {
          if (killed) return; // the connection died with the server: not acknowledged
          throw error;
        }
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          victim.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => writer(id)));
    expect((await victim.exited).signal).toBe('SIGKILL');
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // Writes were in flight when the server died, so some were never acknowledged.
    expect(attempted).toBeGreaterThan(acknowledged.size);

    server = await spawnKvstore(env);
    const missing: string[] = [];
    for (const [key, value] of acknowledged) {
      const res = await fetch(`${server.url}/api/kv/${key}`, { headers });
      if (res.status !== 200 || (await res.json()).value !== value) missing.push(key);
    }
    expect(missing).toEqual([]);
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
    // The request log has one line per request and never the credentials.
    const log = server.output();
    expect(log).toContain('"msg":"request completed"');
    expect(log).toContain('"msg":"kvstore stopped"');
    expect(log).not.toContain(token);
  });
});

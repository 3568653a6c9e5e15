// Operations: the opt-in profiling port (CPU profile and heap snapshot, admin token only, never
// on the API port), and bounded, idempotent graceful shutdown.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stop } from '@dockwatch/kvstore';
import { startKvstore } from '../support/kvstore-app.js';
import { freePort } from '../support/kvstore-nginx.js';
import { buildKvstore, type KvProcess, spawnKvstore } from '../support/kvstore-process.js';

describe('kvstore profiling endpoint', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kvstore-profile-'));
  const token = randomBytes(24).toString('base64url');
  let server: KvProcess;
  let profileUrl = '';

  beforeAll(async () => {
    buildKvstore();
    const port = await freePort();
    server = await spawnKvstore({
      KV_DATA_DIR: dataDir,
      KV_ADMIN_TOKEN: token,
      KV_PROFILE_PORT: String(port),
    });
    profileUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('refuses requests without the admin token', async () => {
    const res = await fetch(`${profileUrl}/debug/cpu-profile?seconds=1`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await fetch(`${profileUrl}/debug/heap-snapshot`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('records a CPU profile on demand', async () => {
    const res = await fetch(`${profileUrl}/debug/cpu-profile?seconds=1`, { headers: auth() });
    expect(res.status).toBe(200);
    const profile = (await res.json()) as { nodes: unknown[]; startTime: number; endTime: number };
    expect(profile.nodes.length).toBeGreaterThan(0);
    expect(profile.endTime).toBeGreaterThan(profile.startTime);
    expect((await fetch(`${profileUrl}/debug/cpu-profile?seconds=0`, { headers: auth() })).status).toBe(400);
  });

  it('takes a heap snapshot on demand', async () => {
    const res = await fetch(`${profileUrl}/debug/heap-snapshot`, { headers: auth() });
    expect(res.status).toBe(200);
    const snapshot = (await res.json()) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[] };
    expect(snapshot.snapshot.meta.node_fields).toContain('name');
    expect(snapshot.nodes.length).toBeGreaterThan(0);
  });

  it('is not reachable through the API port', async () => {
    const res = await fetch(`${server.url}/debug/heap-snapshot`, { headers: auth() });
    expect(res.status).toBe(404);
  });
});

describe('kvstore graceful shutdown', () => {
  it('closes idle connections, cuts a stalled request after the bound, and is idempotent', async () => {
    const kv = await startKvstore({ KV_SHUTDOWN_TIMEOUT_MS: '300' });
    // A request whose body never completes: it stays in flight until shutdown cuts it.
    const socket = connect(kv.running.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `PUT /api/kv/stalled HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${kv.adminToken}\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n0123456789`,
    );
    // An idle keep-alive connection must not hold shutdown up either.
    expect((await kv.api('/healthz')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const first = stop(kv.running);
    expect(stop(kv.running)).toBe(first);
    expect(kv.app.ready).toBe(false);
    await first;
    await closed;
    await kv.close();
  });
});

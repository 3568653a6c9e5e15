// Starts the kvstore in-process on a free loopback port with a throwaway data directory.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type CreateAppOptions,
  createApp,
  type KvApp,
  loadConfig,
  type RunningApp,
  start,
  stop,
} from '@dockwatch/kvstore';

export interface KvHarness {
  url: string;
  app: KvApp;
  running: RunningApp;
  dataDir: string;
  adminToken: string;
  adminUser: string;
  adminPassword: string;
  /** fetch with the admin Bearer token. */
  api: (pathname: string, init?: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

export async function startKvstore(
  env: Record<string, string> = {},
  options: CreateAppOptions & { dataDir?: string } = {},
): Promise<KvHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'kvstore-test-'));
  const adminToken = `test-${randomBytes(18).toString('base64url')}`;
  const adminPassword = `pw-${randomBytes(12).toString('base64url')}`;
  const config = loadConfig({
    KV_PORT: '0',
    KV_HOST: '127.0.0.1',
    KV_DATA_DIR: dataDir,
    KV_LOG_LEVEL: 'silent',
    KV_ADMIN_TOKEN: adminToken,
    KV_ADMIN_USER: 'admin',
    KV_ADMIN_PASSWORD: adminPassword,
    KV_COOKIE_SECURE: 'false',
    ...env,
  });
  const app = createApp(config, options);
  const running = await start(app);
  const url = `http://127.0.0.1:${running.port}`;
  const api = (pathname: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${adminToken}`);
    return fetch(`${url}${pathname}`, { ...init, headers });
  };
  return {
    url,
    app,
    running,
    dataDir,
    adminToken,
    adminUser: 'admin',
    adminPassword,
    api,
    close: async () => {
      await stop(running);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Value of one sample in Prometheus text output, or undefined. */
export function sampleValue(
  metricsText: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      found[pair[1] ?? ''] = pair[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

export async function scrape(harness: KvHarness): Promise<string> {
  return (await fetch(`${harness.url}/metrics`)).text();
}

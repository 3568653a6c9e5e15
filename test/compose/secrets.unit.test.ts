// The compose bundle's secrets job (compose/secrets/init.sh), run with the system's sh against
// a temporary folder instead of the `secrets` volume.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../support/compose.js';

const run = promisify(execFile);
const script = path.resolve(import.meta.dirname, '../../compose/secrets/init.sh');
const dirs: string[] = [];

async function initSecrets(
  env: Record<string, string> = {},
  dir = mkdtempSync(path.join(tmpdir(), 'secrets-')),
) {
  dirs.push(dir);
  const { PATH } = process.env;
  await run('sh', [script], { env: { PATH, SECRETS_DIR: dir, ...env } });
  const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  return { dir, read };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('compose secrets job', () => {
  it('generates distinct secrets, an apiv3_ InfluxDB token, and the derived files', async () => {
    const { read } = await initSecrets();
    const names = SECRET_NAMES;
    const values = names.map(read);
    expect(new Set(values).size).toBe(names.length);
    for (const value of values) expect(value.length).toBeGreaterThanOrEqual(32);
    expect(read('influxdb-token')).toMatch(/^apiv3_/);
    expect(JSON.parse(read('influxdb3-admin-token.json'))).toEqual({
      token: read('influxdb-token'),
      name: '_admin',
    });
    expect(read('influxdb1-token')).toBe(`admin:${read('influxdb-password')}`);
  });

  it('keeps what the volume holds, and lets a value from .env win', async () => {
    const first = await initSecrets();
    const kept = first.read('kv-admin-token');
    const again = await initSecrets(
      { GRAFANA_ADMIN_PASSWORD: 'from-the-env-file-0123456789abcdef' },
      first.dir,
    );
    expect(again.read('kv-admin-token')).toBe(kept);
    expect(again.read('grafana-admin-password')).toBe('from-the-env-file-0123456789abcdef');
  });

  it('refuses a token without the prefix InfluxDB 3 requires, saying which variable to set', async () => {
    const first = await initSecrets();
    const password = first.read('influxdb-password');
    const refused = initSecrets(
      { INFLUXDB_TOKEN: 'no-prefix-token', INFLUXDB_TOKEN_PREFIX: 'apiv3_' },
      first.dir,
    );
    await expect(refused).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/INFLUXDB_TOKEN=apiv3_/),
    });
    // Nothing else is lost, and a prefixed token passes.
    expect(first.read('influxdb-password')).toBe(password);
    const fixed = await initSecrets(
      { INFLUXDB_TOKEN: 'apiv3_given', INFLUXDB_TOKEN_PREFIX: 'apiv3_' },
      first.dir,
    );
    expect(fixed.read('influxdb-token')).toBe('apiv3_given');
  });

  it('takes any token when no prefix is required (InfluxDB 1.x and 2.x)', async () => {
    const { read } = await initSecrets({ INFLUXDB_TOKEN: 'my-own-2x-token' });
    expect(read('influxdb-token')).toBe('my-own-2x-token');
  });
});

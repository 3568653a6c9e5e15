// Configuration is validated at start, and errors name the variable.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, loadConfig } from '@dockwatch/kvstore';

describe('loadConfig', () => {
  it('has safe defaults: port 8080, registration closed, Secure cookies, no admin', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      registration: 'closed',
      cookieSecure: true,
      maxValueBytes: 1_048_576,
      adminToken: undefined,
      admin: undefined,
      profile: undefined,
      accessLog: true,
    });
    expect(config.maxBodyBytes).toBe(1_048_576 + 65_536);
  });

  it.each([
    [{ KV_PORT: 'eighty' }, /KV_PORT/],
    [{ KV_PORT: '70000' }, /KV_PORT/],
    [{ KV_ADMIN_TOKEN: 'short' }, /KV_ADMIN_TOKEN/],
    [{ KV_ADMIN_USER: 'root' }, /KV_ADMIN_USER and KV_ADMIN_PASSWORD/],
    [{ KV_ADMIN_USER: 'root', KV_ADMIN_PASSWORD: 'tooshort' }, /KV_ADMIN_PASSWORD/],
    [{ KV_REGISTRATION: 'maybe' }, /KV_REGISTRATION/],
    [{ KV_COOKIE_SECURE: 'sometimes' }, /KV_COOKIE_SECURE/],
    [{ KV_ACCESS_LOG: 'loud' }, /KV_ACCESS_LOG/],
    [{ KV_PROFILE_PORT: '6060' }, /KV_PROFILE_PORT needs KV_ADMIN_TOKEN/],
    [{ KV_ADMIN_TOKEN_FILE: '/nonexistent/token' }, /KV_ADMIN_TOKEN_FILE/],
    [{ KV_ADMIN_TOKEN: 'x'.repeat(20), KV_ADMIN_TOKEN_FILE: '/etc/hostname' }, /both set/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads secrets from *_FILE variables', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kvstore-config-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'token'), 'a-very-long-admin-token\n');
    writeFileSync(path.join(dir, 'password'), 'correct horse battery\n');
    const config = loadConfig({
      KV_ADMIN_TOKEN_FILE: path.join(dir, 'token'),
      KV_ADMIN_USER: 'root',
      KV_ADMIN_PASSWORD_FILE: path.join(dir, 'password'),
      KV_PROFILE_PORT: '6060',
      KV_COOKIE_SECURE: 'false',
    });
    expect(config.adminToken).toBe('a-very-long-admin-token');
    expect(config.admin).toEqual({ user: 'root', password: 'correct horse battery' });
    expect(config.profile).toEqual({ port: 6060, host: '127.0.0.1' });
    expect(config.cookieSecure).toBe(false);
    expect(loadConfig({ KV_ACCESS_LOG: 'false' }).accessLog).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ KV_PORT: '', KV_ADMIN_TOKEN: '' }).port).toBe(8080);
  });
});

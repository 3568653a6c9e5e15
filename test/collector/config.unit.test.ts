import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError, parseDurationMs } from '@dockwatch/collector';

function problemsOf(env: NodeJS.ProcessEnv, options?: { requireSink: boolean }): Record<string, string> {
  try {
    loadConfig(env, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
  }
  throw new Error('expected a ConfigError');
}

describe('collector configuration', () => {
  it('host and disk inputs: on by default, disk usage every 5 min, a mount prefix without its slash', () => {
    expect(loadConfig({}, { requireSink: false })).toMatchObject({
      host: { mountPrefix: '' },
      hostInputs: true,
      diskUsageIntervalMs: 300_000,
    });
    expect(
      loadConfig(
        { HOST_MOUNT_PREFIX: '/hostfs/', HOST_INPUTS: 'false', DISK_USAGE_INTERVAL: '0' },
        { requireSink: false },
      ),
    ).toMatchObject({ host: { mountPrefix: '/hostfs' }, hostInputs: false, diskUsageIntervalMs: undefined });
    expect(
      Object.keys(
        problemsOf(
          { HOST_MOUNT_PREFIX: 'hostfs', HOST_INPUTS: 'yes', DISK_USAGE_INTERVAL: '10s' },
          { requireSink: false },
        ),
      ).sort(),
    ).toEqual(['DISK_USAGE_INTERVAL', 'HOST_INPUTS', 'HOST_MOUNT_PREFIX']);
  });

  it('fast path settings: auto source, host trees at their usual places, self-check every 5 min', () => {
    const config = loadConfig({}, { requireSink: false });
    expect(config).toMatchObject({
      statsSource: 'auto',
      host: { proc: '/proc', cgroup: '/sys/fs/cgroup' },
      selfCheckIntervalMs: 300_000,
    });
    const custom = loadConfig(
      {
        STATS_SOURCE: 'api',
        HOST_PROC: '/host/proc/',
        HOST_CGROUP: '/host/cgroup',
        STATS_SELF_CHECK_INTERVAL: '0',
      },
      { requireSink: false },
    );
    expect(custom).toMatchObject({
      statsSource: 'api',
      host: { proc: '/host/proc' },
      selfCheckIntervalMs: undefined,
    });
    expect(
      Object.keys(
        problemsOf(
          { STATS_SOURCE: 'fast', HOST_PROC: 'proc', STATS_SELF_CHECK_INTERVAL: '1s' },
          { requireSink: false },
        ),
      ).sort(),
    ).toEqual(['HOST_PROC', 'STATS_SELF_CHECK_INTERVAL', 'STATS_SOURCE']);
  });

  it('defaults: every running container, 10 s, local socket, v2 API', () => {
    const config = loadConfig({}, { requireSink: false });
    expect(config).toMatchObject({
      dockerHost: 'unix:///var/run/docker.sock',
      intervalMs: 10_000,
      selfMetricsIntervalMs: 10_000,
      statsTimeoutMs: 5_000,
      perDevice: true,
      prometheusScrape: true,
      filter: { nameInclude: [], nameExclude: [], labelInclude: [], labelExclude: [] },
      labelTags: [],
      influx: undefined,
    });
  });

  it('sends write bodies as they are unless gzip is asked for, and then from the threshold', () => {
    expect(loadConfig({}, { requireSink: false }).write.gzipThreshold).toBeUndefined();
    expect(
      loadConfig({ INFLUX_GZIP_THRESHOLD: '500' }, { requireSink: false }).write.gzipThreshold,
    ).toBeUndefined();
    expect(loadConfig({ INFLUX_CONTENT_ENCODING: 'gzip' }, { requireSink: false }).write.gzipThreshold).toBe(
      1_000,
    );
    expect(
      loadConfig({ INFLUX_CONTENT_ENCODING: 'gzip', INFLUX_GZIP_THRESHOLD: '0' }, { requireSink: false })
        .write.gzipThreshold,
    ).toBe(0);
    expect(Object.keys(problemsOf({ INFLUX_CONTENT_ENCODING: 'br' }, { requireSink: false }))).toEqual([
      'INFLUX_CONTENT_ENCODING',
    ]);
  });

  it('builds a v2 target and a v1 target', () => {
    expect(
      loadConfig({ INFLUX_URL: 'http://i:8086', INFLUX_TOKEN: 't', INFLUX_ORG: 'o', INFLUX_BUCKET: 'b' })
        .influx,
    ).toEqual({ api: 'v2', url: 'http://i:8086', token: 't', org: 'o', bucket: 'b' });
    expect(
      loadConfig({
        INFLUX_API: 'v1',
        INFLUX_URL: 'http://i:8086',
        INFLUX_DB: 'telegraf',
        INFLUX_RP: 'autogen',
      }).influx,
    ).toEqual({
      api: 'v1',
      url: 'http://i:8086',
      db: 'telegraf',
      rp: 'autogen',
      username: undefined,
      password: undefined,
      createDatabase: true,
    });
  });

  it('reads secrets from *_FILE variables', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'collector-config-'));
    const file = path.join(dir, 'token');
    writeFileSync(file, 'secret-token\n');
    const config = loadConfig({
      INFLUX_URL: 'http://i:8086',
      INFLUX_TOKEN_FILE: file,
      INFLUX_ORG: 'o',
      INFLUX_BUCKET: 'b',
    });
    expect(config.influx).toMatchObject({ token: 'secret-token' });
  });

  it('parses intervals and lists', () => {
    const config = loadConfig(
      { COLLECT_INTERVAL: '1s', CONTAINER_NAME_INCLUDE: 'web-*, db ', DOCKER_LABEL_TAGS: 'team,tier' },
      { requireSink: false },
    );
    expect(config.intervalMs).toBe(1_000);
    expect(config.filter.nameInclude).toEqual(['web-*', 'db']);
    expect(config.labelTags).toEqual(['team', 'tier']);
  });

  it.each([
    [{ COLLECT_INTERVAL: 'soon' }, 'COLLECT_INTERVAL', /not a duration/],
    [{ COLLECT_INTERVAL: '100ms' }, 'COLLECT_INTERVAL', /outside/],
    [{ STATS_CONCURRENCY: '0' }, 'STATS_CONCURRENCY', /./],
    [{ INFLUX_API: 'v3' }, 'INFLUX_API', /./],
    [{ PER_DEVICE: 'yes' }, 'PER_DEVICE', /./],
    [{ DOCKER_HOST: '/var/run/docker.sock' }, 'DOCKER_HOST', /unix:/],
    [{ INFLUX_URL: 'not a url' }, 'INFLUX_URL', /./],
    [{ CONTAINER_LABEL_INCLUDE: '=x' }, 'CONTAINER_LABEL_INCLUDE', /no label key/],
    [{ INFLUX_TOKEN: 'a', INFLUX_TOKEN_FILE: '/nonexistent' }, 'INFLUX_TOKEN', /either/],
    [{ INFLUX_PASSWORD_FILE: '/nonexistent/file' }, 'INFLUX_PASSWORD_FILE', /cannot read/],
  ])('rejects %o naming %s', (env, variable, message) => {
    expect(problemsOf(env, { requireSink: false })[variable]).toMatch(message);
  });

  it('names every missing sink variable for the daemon', () => {
    expect(Object.keys(problemsOf({}))).toEqual(['INFLUX_URL']);
    expect(Object.keys(problemsOf({ INFLUX_URL: 'http://i:8086' })).sort()).toEqual([
      'INFLUX_BUCKET',
      'INFLUX_ORG',
      'INFLUX_TOKEN',
    ]);
    expect(Object.keys(problemsOf({ INFLUX_URL: 'http://i:8086', INFLUX_API: 'v1' }))).toEqual(['INFLUX_DB']);
    expect(
      problemsOf({ INFLUX_URL: 'http://i:8086', INFLUX_API: 'v1', INFLUX_DB: 'd', INFLUX_USERNAME: 'u' }),
    ).toHaveProperty('INFLUX_PASSWORD');
  });

  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['2h', 7_200_000],
    ['10', undefined],
    ['s', undefined],
    ['-1s', undefined],
  ])('parses duration %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
});

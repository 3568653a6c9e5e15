import { describe, expect, it } from 'vitest';
import {
  containerTags,
  healthPoint,
  type InspectData,
  parseImageReference,
  statusPoint,
} from '@dockwatch/collector';

const ENGINE = { host: 'node-1', serverVersion: '27.3.1' };
const STARTED = '2026-11-21T12:00:00.5Z';
const STARTED_NS = 1795262400n * 1_000_000_000n + 500_000_000n;

function inspect(
  overrides: Partial<InspectData> = {},
  state: Partial<InspectData['State']> = {},
): InspectData {
  return {
    Id: 'f00d',
    Name: '/shop-cart-1',
    RestartCount: 2,
    State: {
      Status: 'running',
      Running: true,
      OOMKilled: false,
      Pid: 4321,
      ExitCode: 0,
      StartedAt: STARTED,
      FinishedAt: '0001-01-01T00:00:00Z',
      ...state,
    },
    Config: {
      Image: 'ghcr.io/acme/cart:3.1',
      Labels: {
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'cart',
        'com.docker.swarm.node.id': 'n1',
        team: 'payments',
        empty: '',
        'build.sha': 'deadbeef',
      },
    },
    HostConfig: { NetworkMode: 'shop_default' },
    ...overrides,
  };
}

describe('parseImageReference', () => {
  it.each([
    ['nginx', 'nginx', 'unknown'],
    ['nginx:1.27', 'nginx', '1.27'],
    ['library/nginx:latest', 'library/nginx', 'latest'],
    ['registry:5000/team/app', 'registry:5000/team/app', 'unknown'],
    ['registry:5000/team/app:2.0', 'registry:5000/team/app', '2.0'],
    ['app@sha256:abcd', 'app', 'unknown'],
    ['app:1.2@sha256:abcd', 'app', '1.2'],
    ['sha256:0123abcd', 'sha256:0123abcd', 'unknown'],
    ['app:', 'app', 'unknown'],
  ])('%s -> %s, %s', (reference, name, version) => {
    expect(parseImageReference(reference)).toEqual({ name, version });
  });
});

describe('containerTags', () => {
  it('has the engine, name, image, status and orchestration tags, and allowlisted labels only', () => {
    expect(containerTags(inspect(), ENGINE, ['team', 'empty', 'absent'])).toEqual({
      engine_host: 'node-1',
      server_version: '27.3.1',
      container_name: 'shop-cart-1',
      container_image: 'ghcr.io/acme/cart',
      container_version: '3.1',
      container_status: 'running',
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'cart',
      'com.docker.swarm.node.id': 'n1',
      team: 'payments',
    });
  });

  it('never lets a label override a schema tag, and copes with null labels', () => {
    const labelled = inspect({ Config: { Image: 'x:1', Labels: { container_name: 'evil' } } });
    expect(containerTags(labelled, ENGINE, ['container_name']).container_name).toBe('shop-cart-1');
    const unlabelled = inspect({ Config: { Image: 'x:1', Labels: null } });
    expect(Object.keys(containerTags(unlabelled, ENGINE, ['team']))).toHaveLength(6);
  });
});

describe('statusPoint', () => {
  const time = STARTED_NS + 90_000_000_000n;

  it('describes a running container, with uptime since started_at', () => {
    const point = statusPoint(inspect(), ENGINE, [], time);
    expect(point.measurement).toBe('docker_container_status');
    expect(point.time).toBe(time);
    expect(point.tags).not.toHaveProperty('container_id');
    expect(point.fields).toEqual({
      container_id: 'f00d',
      oomkilled: false,
      pid: 4321n,
      exitcode: 0n,
      restart_count: 2n,
      network_mode: 'shop_default',
      started_at: STARTED_NS,
      uptime_ns: 90_000_000_000n,
    });
  });

  it('has no uptime once the container stopped, and finished_at instead', () => {
    const stopped = inspect(
      {},
      {
        Status: 'exited',
        Running: false,
        Pid: 0,
        ExitCode: 137,
        OOMKilled: true,
        FinishedAt: '2026-11-21T12:01:00Z',
      },
    );
    const point = statusPoint(stopped, ENGINE, [], time);
    expect(point.tags.container_status).toBe('exited');
    expect(point.fields).toMatchObject({
      oomkilled: true,
      exitcode: 137n,
      finished_at: 1795262460n * 1_000_000_000n,
    });
    expect(point.fields).not.toHaveProperty('uptime_ns');
  });

  it('omits zero start/finish times of a never-started container and marks host networking', () => {
    const created = inspect(
      { HostConfig: { NetworkMode: 'host' } },
      { Status: 'created', Running: false, Pid: 0, StartedAt: '0001-01-01T00:00:00Z' },
    );
    const fields = statusPoint(created, ENGINE, [], time).fields;
    expect(fields).not.toHaveProperty('started_at');
    expect(fields).not.toHaveProperty('finished_at');
    expect(fields.network_mode).toBe('host');
  });
});

describe('healthPoint', () => {
  it('is null without a healthcheck', () => {
    expect(healthPoint(inspect(), ENGINE, [], 1n)).toBeNull();
    expect(healthPoint(inspect({}, { Health: null }), ENGINE, [], 1n)).toBeNull();
  });

  it('carries status and failing streak', () => {
    const point = healthPoint(
      inspect({}, { Health: { Status: 'unhealthy', FailingStreak: 4 } }),
      ENGINE,
      ['team'],
      7n,
    );
    expect(point).toMatchObject({
      measurement: 'docker_container_health',
      time: 7n,
      tags: { container_name: 'shop-cart-1', team: 'payments' },
      fields: { health_status: 'unhealthy', failing_streak: 4n, container_id: 'f00d' },
    });
  });
});

// The app image as shipped: built from kvstore/Dockerfile on the local Node base, it runs as a
// non-root user, becomes healthy through its node-based healthcheck, carries the labels the
// collector discovers it by, serves the API and metrics, and stops cleanly on SIGTERM.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { buildProjectImage } from '../support/images.js';
import { haveServices, type Services, services } from '../support/services.js';

describe.runIf(haveServices())('kvstore container image', () => {
  let env: Services;
  const tag = `${uniqueName('dockwatch-test/kvstore')}:test`;
  const token = 'image-test-token-0123456789';
  const started: Docker.Container[] = [];
  let container: Docker.Container;
  let baseUrl = '';

  beforeAll(async () => {
    const provided = services();
    if (!provided) throw new Error('services vanished between collection and run');
    env = provided;
    await buildProjectImage('kvstore', tag);
    container = await runContainer(env.docker, { image: tag, cmd: [], env: [`KV_ADMIN_TOKEN=${token}`] });
    started.push(container);
    const info = await container.inspect();
    const address = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
    if (!address) throw new Error('the container has no network address');
    baseUrl = `http://${address}:8080`;
  });
  afterAll(async () => {
    await removeContainers(started);
    await env?.docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => undefined);
  });

  it('runs as a non-root user and carries the Prometheus discovery labels', async () => {
    const image = await env.docker.getImage(tag).inspect();
    expect(image.Config.User).toBe('10001:10001');
    expect(image.Config.Labels).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    expect(image.Config.Healthcheck?.Test?.join(' ')).toContain('node');
  });

  it('becomes healthy and serves the API and metrics', async () => {
    let health = '';
    for (let attempt = 0; attempt < 60 && health !== 'healthy'; attempt += 1) {
      health = (await container.inspect()).State.Health?.Status ?? '';
      if (health !== 'healthy') await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(health).toBe('healthy');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const put = await fetch(`${baseUrl}/api/kv/in-a-box`, { method: 'PUT', headers, body: '{"value":"v"}' });
    expect(put.status).toBe(201);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^kvstore_keys 1$/m);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    await container.stop({ t: 20 });
    const state = (await container.inspect()).State;
    expect(state.ExitCode).toBe(0);
  });
});

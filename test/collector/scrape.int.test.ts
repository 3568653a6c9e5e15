// A container labelled prometheus.io/scrape=true is scraped and its samples stored as the
// `prometheus` measurement, with the container's tags.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, ArrayAccumulator } from '@dockwatch/collector';
import { collectorConfig } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { haveServices, type Services, services } from '../support/services.js';

const EXPOSITION = [
  '# TYPE demo_requests_total counter',
  'demo_requests_total{route="/api/kv/:key",status_code="200"} 42',
  '# TYPE demo_latency_seconds histogram',
  'demo_latency_seconds_bucket{le="0.1",route="/x"} 3',
  'demo_latency_seconds_bucket{le="+Inf",route="/x"} 4',
  'demo_latency_seconds_sum{route="/x"} 0.9',
  'demo_latency_seconds_count{route="/x"} 4',
].join('\\n');

describe.runIf(haveServices())('prometheus scraping', () => {
  let env: Services;
  const started: Docker.Container[] = [];
  const prefix = uniqueName('scr');

  beforeAll(() => {
    env = services() as Services;
  });
  afterAll(() => removeContainers(started));

  it('scrapes labelled containers on their own IP, port and path', async () => {
    const serve = (path: string) => [
      'sh',
      '-c',
      `mkdir -p /www${path.replace(/\/[^/]*$/, '')} && printf '${EXPOSITION}\\n' > /www${path} && httpd -f -p 8080 -h /www`,
    ];
    started.push(
      await runContainer(env.docker, {
        name: `${prefix}-app`,
        cmd: serve('/metrics'),
        labels: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '8080',
          'com.docker.compose.service': 'app',
        },
      }),
      await runContainer(env.docker, {
        name: `${prefix}-custom`,
        cmd: serve('/custom/path'),
        labels: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '8080',
          'prometheus.io/path': '/custom/path',
        },
      }),
      await runContainer(env.docker, { name: `${prefix}-unlabelled`, cmd: serve('/metrics') }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const collector = new Collector(collectorConfig({ CONTAINER_NAME_INCLUDE: `${prefix}-*` }), {});
    await collector.connect({ followEvents: false });
    const acc = new ArrayAccumulator();
    await collector.gather(acc, { includeSelf: false });

    const scraped = acc.points.filter((p) => p.measurement === 'prometheus');
    const byContainer = (name: string) =>
      scraped.filter((p) => p.tags.container_name === `${prefix}-${name}`);
    expect(byContainer('unlabelled')).toEqual([]);
    for (const name of ['app', 'custom']) {
      const requests = byContainer(name).find((p) => 'demo_requests_total' in p.fields);
      expect(requests?.fields.demo_requests_total).toBe(42);
      expect(requests?.tags).toMatchObject({ route: '/api/kv/:key', status_code: '200' });
      expect(requests?.tags.url).toMatch(/^http:\/\/[\d.]+:8080\//);
      const bucket = byContainer(name).find((p) => p.tags.le === '0.1');
      expect(bucket?.fields).toEqual({ demo_latency_seconds_bucket: 3 });
      const totals = byContainer(name).find((p) => 'demo_latency_seconds_count' in p.fields);
      expect(totals?.fields).toEqual({ demo_latency_seconds_count: 4, demo_latency_seconds_sum: 0.9 });
    }
    expect(byContainer('app')[0]?.tags['com.docker.compose.service']).toBe('app');
    expect(byContainer('custom')[0]?.tags.url).toMatch(/\/custom\/path$/);
  });
});

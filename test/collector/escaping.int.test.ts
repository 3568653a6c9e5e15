// Label values with line-protocol metacharacters and non-ASCII text survive the trip
// collector -> line protocol -> InfluxDB -> InfluxQL unchanged.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Collector, InfluxSink, createLogger, SelfMetrics } from '@dockwatch/collector';
import { collectorConfig } from '../support/collector-harness.js';
import { removeContainers, runContainer, uniqueName } from '../support/docker.js';
import { createDatabase, dropDatabase, influxQuery, uniqueDatabase } from '../support/influx.js';
import { haveServices, type Services, services } from '../support/services.js';

const NASTY = [
  'with spaces',
  'comma,separated',
  'key=value',
  'double "quotes" and \'single\'',
  'back\\slash',
  '中文 标签, ünïcödé = ✓',
];
// Line protocol cannot carry a trailing backslash (InfluxDB rejects the whole line), so the
// collector drops the backslash and keeps the point.
const TRAILING_BACKSLASH = 'trailing backslash\\';

describe.runIf(haveServices())('escaping of tag values', () => {
  let env: Services;
  const databases: string[] = [];
  const started: Docker.Container[] = [];
  const prefix = uniqueName('esc');

  beforeAll(async () => {
    env = services() as Services;
    for (const [i, value] of [...NASTY, TRAILING_BACKSLASH].entries()) {
      started.push(
        await runContainer(env.docker, {
          name: `${prefix}-${i}`,
          cmd: ['sleep', '3600'],
          labels: { team: value, 'com.docker.compose.project': `${value} project`, unlisted: value },
        }),
      );
    }
  });
  afterAll(async () => {
    await removeContainers(started);
    for (const db of databases) await dropDatabase(env.influxUrl, db);
  });

  // Both ways a body can be sent: the bytes InfluxDB decodes differ, the tags must not.
  it.each(['identity', 'gzip'])(
    'round-trips allowlisted labels and compose labels through InfluxDB (%s bodies)',
    async (encoding) => {
      const db = uniqueDatabase('escaping');
      databases.push(db);
      await createDatabase(env.influxUrl, db);
      const config = collectorConfig({
        INFLUX_URL: env.influxUrl,
        INFLUX_DB: db,
        INFLUX_CONTENT_ENCODING: encoding,
        CONTAINER_NAME_INCLUDE: `${prefix}-*`,
        DOCKER_LABEL_TAGS: 'team',
      });
      expect(config.write.gzipThreshold).toBe(encoding === 'gzip' ? 1_000 : undefined);
      if (!config.influx) throw new Error('no sink configured');
      const logger = createLogger('silent');
      const metrics = new SelfMetrics();
      const sink = new InfluxSink(config.influx, config.write, { metrics, logger });
      const collector = new Collector(config, { logger, metrics, sink });
      await collector.connect({ followEvents: false });
      await collector.gather(sink, { includeSelf: false });
      await sink.close();

      const tagValues = async (key: string) =>
        (
          (
            await influxQuery(
              env.influxUrl,
              db,
              `SHOW TAG VALUES FROM "docker_container_mem" WITH KEY = "${key}"`,
            )
          )[0]?.values ?? []
        ).map((row) => String(row[1]));
      expect((await tagValues('team')).sort()).toEqual([...NASTY, 'trailing backslash'].sort());
      expect((await tagValues('com.docker.compose.project')).sort()).toEqual(
        [...NASTY, TRAILING_BACKSLASH].map((v) => `${v} project`).sort(),
      );
      // Every point reached InfluxDB: none was rejected for its tags.
      expect((await metrics.pointsFailed.get()).values[0]?.value ?? 0).toBe(0);
      expect(await tagValues('unlisted')).toEqual([]);
      const written = await metrics.pointsWritten.get();
      expect(written.values[0]?.value).toBeGreaterThan(0);
    },
  );
});

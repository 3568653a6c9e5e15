// The one stats source, on the API path with an engine that answers recorded samples: it keeps
// each container's baseline itself, writes exactly the fixtures' expected lines (plus its count
// of OOM kills), counts the Engine's `oom` events, and forgets a container when told it is no
// longer followed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  AdaptiveStatsSource,
  ArrayAccumulator,
  type EngineStats,
  SelfMetrics,
  type TrackedContainer,
} from '@dockwatch/collector';
import { type FixtureCase, fixtureNames, loadFixture, sortedLineProtocol } from '../derive/fixture-cases.js';

/** An engine whose stats calls answer `samples`, one per call. */
function engineAnswering(samples: EngineStats[]): Docker {
  return { getContainer: () => ({ stats: async () => samples.shift() }) } as unknown as Docker;
}

function sourceFor(fixture: FixtureCase, samples: EngineStats[]): AdaptiveStatsSource {
  const source = new AdaptiveStatsSource(
    {
      mode: 'api',
      host: { proc: '/proc', cgroup: '/sys/fs/cgroup' },
      statsTimeoutMs: 1_000,
      statsConcurrency: 4,
      selfCheckIntervalMs: undefined,
      derive: fixture.input.options,
    },
    {
      docker: engineAnswering(samples),
      engine: () => fixture.input.engine,
      metrics: new SelfMetrics(),
      logger: pino({ level: 'silent' }),
    },
  );
  source.choose({}, []);
  return source;
}

/** Fixtures of a running container: a stopped one is a gap for the source. */
const running = fixtureNames()
  .map(loadFixture)
  .filter((fixture) => !fixture.input.current.read?.startsWith('0001-'));

describe('AdaptiveStatsSource', () => {
  it.each(running.map((fixture) => [fixture.name, fixture] as const))(
    '%s: a gather after the previous sample writes the expected lines',
    async (_name, fixture) => {
      const { previous, current, inspect } = fixture.input;
      const source = sourceFor(fixture, previous === undefined ? [current] : [previous, current]);
      const container: TrackedContainer = { id: inspect.Id, inspect };
      if (previous !== undefined) await source.gatherContainers([container], new ArrayAccumulator());
      const acc = new ArrayAccumulator();
      await source.gatherContainers([container], acc);
      expect(acc.errors).toEqual([]);
      // The recorded samples have no oom_kills; the API path adds its count of `oom` events (none).
      const lines = sortedLineProtocol(acc.points);
      const memory = lines.split('\n').filter((line) => line.startsWith('docker_container_mem,'));
      expect(memory).toHaveLength(1);
      expect(memory[0]).toMatch(/ .*,oom_kills=0i[, ]/);
      expect(lines.replace(',oom_kills=0i', '')).toBe(readFileSync(join(fixture.dir, 'expected.lp'), 'utf8'));
    },
  );

  it("counts the Engine's oom events of a container, from 0, and starts again after eviction", async () => {
    const fixture = loadFixture('v1-shm-memory-limit');
    const { current, inspect } = fixture.input;
    const source = sourceFor(
      fixture,
      [0, 1, 2].map(() => structuredClone(current)),
    );
    const container: TrackedContainer = { id: inspect.Id, inspect };
    const oomKills = async () => {
      const acc = new ArrayAccumulator();
      await source.gatherContainers([container], acc);
      return acc.points.find((point) => point.measurement === 'docker_container_mem')?.fields.oom_kills;
    };
    source.oomKilled(container.id);
    source.oomKilled(container.id);
    source.oomKilled('another-container');
    expect(await oomKills()).toBe(2n);
    source.oomKilled(container.id);
    expect(await oomKills()).toBe(3n);
    source.evict(container.id);
    expect(await oomKills()).toBe(0n);
  });

  it('forgets an evicted container: no baseline, so no CPU %', async () => {
    const fixture = loadFixture('v1-burner');
    const { previous, current, inspect } = fixture.input;
    if (previous === undefined) throw new Error('v1-burner has a previous sample');
    const source = sourceFor(fixture, [previous, current]);
    const container: TrackedContainer = { id: inspect.Id, inspect };
    await source.gatherContainers([container], new ArrayAccumulator());
    source.evict(container.id);
    const acc = new ArrayAccumulator();
    await source.gatherContainers([container], acc);
    const total = acc.points.find((point) => point.tags.cpu === 'cpu-total');
    expect(total?.fields).toHaveProperty('usage_total');
    expect(total?.fields).not.toHaveProperty('usage_percent');
  });
});

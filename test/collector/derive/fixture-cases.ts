// Loads the Telegraf-style fixture folders under test/fixtures/collector/<case>/:
//   engine.json   { host, serverVersion }
//   options.json  { labelAllowlist, perDevice, statusTime? }  (statusTime: ns string, used when
//                 the sample has no time, i.e. a stopped container)
//   inspect.json  container inspect data
//   previous.json optional earlier one-shot stats sample
//   current.json  the one-shot stats sample being derived
//   expected.lp   the derived points, sorted line protocol
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import {
  type ContainerSampleInput,
  deriveContainerPoints,
  type EngineInfo,
  healthPoint,
  optionalTimestampNs,
  statusPoint,
  toLineProtocol,
  type Point,
} from '@dockwatch/collector';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/collector/', import.meta.url));

export interface FixtureCase {
  name: string;
  dir: string;
  input: ContainerSampleInput;
  statusTime: bigint;
}

interface FixtureOptions {
  labelAllowlist: string[];
  perDevice: boolean;
  statusTime?: string;
}

const readJson = <T>(dir: string, file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;

export function fixtureNames(): string[] {
  return (
    readdirSync(FIXTURES_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      // host-trees/ holds the fast path's recorded /proc and cgroup trees, not stats samples.
      .filter((name) => name !== 'host-trees')
      .sort()
  );
}

export function loadFixture(name: string): FixtureCase {
  const dir = join(FIXTURES_DIR, name);
  const options = readJson<FixtureOptions>(dir, 'options.json');
  const current = readJson<Docker.ContainerStats>(dir, 'current.json');
  const previous = existsSync(join(dir, 'previous.json'))
    ? readJson<Docker.ContainerStats>(dir, 'previous.json')
    : undefined;
  const statusTime =
    optionalTimestampNs(current.read) ??
    (options.statusTime === undefined ? undefined : BigInt(options.statusTime));
  if (statusTime === undefined) throw new Error(`${name}: no sample time and no options.statusTime`);
  return {
    name,
    dir,
    statusTime,
    input: {
      engine: readJson<EngineInfo>(dir, 'engine.json'),
      inspect: readJson<Docker.ContainerInspectInfo>(dir, 'inspect.json'),
      previous,
      current,
      options: { labelAllowlist: options.labelAllowlist, perDevice: options.perDevice },
    },
  };
}

/** What the runtime writes for one container at one gather: stats points, status, health. */
export function fixturePoints(fixture: FixtureCase): Point[] {
  const { input, statusTime } = fixture;
  const allowlist = input.options.labelAllowlist;
  const health = healthPoint(input.inspect, input.engine, allowlist, statusTime);
  return [
    ...deriveContainerPoints(input),
    statusPoint(input.inspect, input.engine, allowlist, statusTime),
    ...(health === null ? [] : [health]),
  ];
}

export function sortedLineProtocol(points: readonly Point[]): string {
  return `${points.map(toLineProtocol).sort().join('\n')}\n`;
}

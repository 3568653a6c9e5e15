// Hands the integration suites their services: the Docker engine socket and a throwaway
// loopback InfluxDB. Under CI=true a missing service fails the run; locally it lets the
// suites skip with a message, so `npm run test:integration` is usable on a laptop.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);
const scripts = path.resolve(import.meta.dirname, '../../scripts/testenv');
const influxName = `vitest-${process.pid}`;
const inCi = process.env.CI === 'true';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the Docker engine's unix socket, or null when no engine answers (never null in CI). */
    dockerSocket: string | null;
    /** Base URL of the test InfluxDB 1.x, or null when none could be started (never null in CI). */
    influxUrl: string | null;
    /** Why a service is missing, for skip messages. */
    missingServices: string[];
  }
}

function dockerSocketPath(): string {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

async function findDocker(missing: string[]): Promise<string | null> {
  const socketPath = dockerSocketPath();
  try {
    await new Docker({ socketPath }).ping();
    return socketPath;
  } catch (error) {
    missing.push(
      `Docker engine at ${socketPath}: ${(error as Error).message} (run scripts/testenv/setup.sh)`,
    );
    return null;
  }
}

async function startInflux(missing: string[]): Promise<string | null> {
  if (process.env.TEST_INFLUX_URL) return process.env.TEST_INFLUX_URL;
  if (!existsSync('/usr/bin/influxd')) {
    missing.push('influxd is not installed (run scripts/testenv/setup.sh)');
    return null;
  }
  try {
    const { stdout } = await run('bash', [path.join(scripts, 'start-influxdb.sh'), influxName]);
    return stdout.trim();
  } catch (error) {
    missing.push(`InfluxDB did not start: ${(error as Error).message}`);
    return null;
  }
}

export async function setup(project: TestProject): Promise<void> {
  const missing: string[] = [];
  const [dockerSocket, influxUrl] = await Promise.all([findDocker(missing), startInflux(missing)]);
  if (inCi && missing.length > 0) {
    throw new Error(`CI=true and integration services are missing:\n- ${missing.join('\n- ')}`);
  }
  project.provide('dockerSocket', dockerSocket);
  project.provide('influxUrl', influxUrl);
  project.provide('missingServices', missing);
}

export async function teardown(): Promise<void> {
  if (process.env.TEST_INFLUX_URL) return;
  await run('bash', [path.join(scripts, 'stop-influxdb.sh'), influxName]).catch(() => undefined);
}

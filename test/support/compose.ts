// Drives the real compose bundle (compose/) with the real `docker compose` v2 plugin.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const COMPOSE_DIR = path.resolve(import.meta.dirname, '../../compose');

/** The secrets compose/secrets/init.sh generates into the `secrets` volume (not the derived files). */
export const SECRET_NAMES = [
  'influxdb-token',
  'influxdb-password',
  'grafana-admin-password',
  'kv-admin-token',
  'kv-admin-password',
] as const;

/** True when `docker compose` v2 runs; false skips locally, and under CI=true a missing one throws. */
export function haveCompose(): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true')
      throw new Error('CI=true and `docker compose` is missing (run scripts/testenv/setup.sh)');
    console.warn('compose suite skipped: `docker compose` is not installed');
    return false;
  }
}

export interface ComposeProject {
  name: string;
  files: string[];
  profiles?: string[];
  /** Variables the compose files interpolate (ports, interval...). */
  env?: Record<string, string>;
}

/** Runs `docker compose` for the project in compose/ and returns its stdout. */
export async function compose(project: ComposeProject, args: string[], timeoutMs = 600_000): Promise<string> {
  const base = ['compose', '-p', project.name, ...project.files.flatMap((file) => ['-f', file])];
  for (const profile of project.profiles ?? []) base.push('--profile', profile);
  try {
    const { stdout } = await run('docker', [...base, ...args], {
      cwd: COMPOSE_DIR,
      env: { ...process.env, ...project.env },
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
    });
    return stdout;
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `docker compose ${args.join(' ')} failed: ${failed.message}\n${failed.stderr?.slice(-4000) ?? ''}`,
      { cause: error },
    );
  }
}

export interface ComposeContainer {
  Service: string;
  Name: string;
  State: string;
  Health: string;
  ExitCode: number;
}

/** Every container of the project, running or not (`ps -a`). */
export async function composeContainers(project: ComposeProject): Promise<ComposeContainer[]> {
  const out = await compose(project, ['ps', '-a', '--format', 'json']);
  const trimmed = out.trim();
  if (trimmed === '') return [];
  // Compose 2.21+ prints one JSON object per line; older ones print an array.
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as ComposeContainer[];
  return trimmed.split('\n').map((line) => JSON.parse(line) as ComposeContainer);
}

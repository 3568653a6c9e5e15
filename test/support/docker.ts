// Helpers for integration tests that run real containers. Every container carries the
// label kvobs.test=1 so scripts/testenv/stop-all.sh can remove leftovers of a crashed run.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import type Docker from 'dockerode';

/** Images built locally by scripts/testenv/build-images.sh (no registry is reachable). */
export const IMAGES = {
  busybox: 'local/busybox:1',
  debian: 'local/debian:bookworm',
  node: 'local/node:20-bookworm',
  influxdb: 'local/influxdb:1.6',
  nginx: 'local/nginx:1.22',
} as const;

export const TEST_LABEL = 'kvobs.test';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface RunOptions {
  name?: string;
  image?: string;
  cmd: string[];
  labels?: Record<string, string>;
  hostConfig?: Docker.HostConfig;
  env?: string[];
}

/** Creates and starts a container (busybox by default); returns it once running. */
export async function runContainer(docker: Docker, options: RunOptions): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name: options.name ?? uniqueName('kvobs-test'),
    Image: options.image ?? IMAGES.busybox,
    Cmd: options.cmd,
    Env: options.env,
    Labels: { [TEST_LABEL]: '1', ...options.labels },
    HostConfig: { AutoRemove: false, ...options.hostConfig },
  });
  await container.start();
  return container;
}

/** Removes containers, ignoring ones already gone. */
export async function removeContainers(containers: Iterable<Docker.Container>): Promise<void> {
  await Promise.all(
    [...containers].map((c) =>
      c.remove({ force: true, v: true }).catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
      }),
    ),
  );
}

/**
 * `docker run` arguments that give a non-root container read access to the engine socket:
 * the socket mounted read-only, and the socket's group (it differs between hosts).
 */
export function socketAccessArgs(socket: string): string[] {
  return ['-v', `${socket}:/var/run/docker.sock:ro`, '--group-add', String(statSync(socket).gid)];
}

/** The same access as a HostConfig, for containers started through dockerode. */
export function socketAccessHostConfig(socket: string): Docker.HostConfig {
  return { Binds: [`${socket}:/var/run/docker.sock:ro`], GroupAdd: [String(statSync(socket).gid)] };
}

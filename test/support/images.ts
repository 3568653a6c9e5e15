// Builds the project's own images on the local base images, the way CI has to (nothing can
// be pulled here). Docker's layer cache makes a second build of an unchanged tree cheap.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { IMAGES } from './docker.js';

const run = promisify(execFile);
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The project's Dockerfiles, by image. Each takes its base image as a build argument. */
export const PROJECT_IMAGES = {
  collector: { dockerfile: 'collector/Dockerfile', baseArg: 'NODE_IMAGE', base: IMAGES.node },
  kvstore: { dockerfile: 'kvstore/Dockerfile', baseArg: 'NODE_IMAGE', base: IMAGES.node },
  'kvstore-nginx': { dockerfile: 'kvstore/nginx/Dockerfile', baseArg: 'NGINX_IMAGE', base: IMAGES.nginx },
  'docker-proxy': {
    dockerfile: 'compose/docker-proxy/Dockerfile',
    baseArg: 'NGINX_IMAGE',
    base: IMAGES.nginx,
  },
} as const;

export type ProjectImage = keyof typeof PROJECT_IMAGES;

/** Builds one project image from the repository root and returns its tag. */
export async function buildProjectImage(
  image: ProjectImage,
  tag = `dockwatch/${image}:test`,
): Promise<string> {
  const { dockerfile, baseArg, base } = PROJECT_IMAGES[image];
  await run(
    'docker',
    ['build', '-q', '-f', dockerfile, '--build-arg', `${baseArg}=${base}`, '-t', tag, '.'],
    {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024,
      // BuildKit on every engine, as Compose builds: the layers compose's builds cached are
      // reused (Engine 20.10's CLI otherwise takes the classic builder, with a cache of its own).
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
    },
  );
  return tag;
}

import type { HostFiles } from './host-files.js';
import { parseProcCgroup } from './parsers.js';

export type CgroupVersion = 1 | 2;

/** How the engine named the container's cgroup: `/docker/<id>`, `docker-<id>.scope`, or something else. */
export type CgroupLayout = 'cgroupfs' | 'systemd' | 'other';

/** The cgroup v1 controllers the fast path reads. cpuacct and memory are required, the rest optional. */
export const V1_CONTROLLERS = ['cpuacct', 'cpu', 'memory', 'pids', 'blkio'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

/** Where one container's counters live on the host, resolved once per container start. */
export type ContainerCgroup =
  | {
      version: 1;
      layout: CgroupLayout;
      dirs: Partial<Record<V1Controller, string>> & { cpuacct: string; memory: string };
    }
  | { version: 2; layout: CgroupLayout; dir: string };

/**
 * The cgroup version mounted at `root`: v2 has cgroup.controllers at its root, v1 one
 * directory per controller. Undefined when neither is readable (not mounted, wrong path).
 */
export function detectCgroupVersion(files: HostFiles, root: string): CgroupVersion | undefined {
  if (files.read(`${root}/cgroup.controllers`) !== undefined) return 2;
  if (files.isDirectory(`${root}/memory`) && files.isDirectory(`${root}/cpuacct`)) return 1;
  return undefined;
}

/** `a-b.slice` -> `/a.slice/a-b.slice`, as systemd nests slices. */
export function expandSlice(slice: string): string {
  if (slice === '-.slice') return '';
  const stem = slice.replace(/\.slice$/, '');
  const parts = stem.split('-');
  return parts.map((_, index) => `/${parts.slice(0, index + 1).join('-')}.slice`).join('');
}

/** The paths the engine's two cgroup drivers give a container, most common first. */
export function candidatePaths(id: string, cgroupParent: string | undefined): string[] {
  const candidates: string[] = [];
  const parent = cgroupParent?.trim() ?? '';
  if (parent.endsWith('.slice')) candidates.push(`${expandSlice(parent)}/docker-${id}.scope`);
  else if (parent !== '') candidates.push(`/${parent.replace(/^\/+|\/+$/g, '')}/${id}`);
  candidates.push(`/docker/${id}`, `/system.slice/docker-${id}.scope`);
  return candidates;
}

export function layoutOf(path: string, id: string): CgroupLayout {
  if (path.endsWith(`/docker-${id}.scope`)) return 'systemd';
  if (path.endsWith(`/${id}`)) return 'cgroupfs';
  return 'other';
}

export interface ContainerRef {
  id: string;
  /** Host pid of the container's init process (inspect State.Pid). */
  pid: number;
  cgroupParent?: string | undefined;
}

/** Why a container's cgroup could not be located, for logs. */
export type ResolveFailure = 'pid_not_visible' | 'pid_not_in_container' | 'cgroup_not_found';

/**
 * Finds a container's cgroup directories. The init pid's /proc/<pid>/cgroup must name the
 * container (otherwise HOST_PROC is not the host's pid namespace, or the pid was reused, and
 * its network counters would be someone else's). Its paths are used when they are absolute
 * in the host's tree; under a private cgroup namespace they are not (`/../...`), and the
 * engine's known layouts are tried instead.
 */
export function resolveContainerCgroup(
  files: HostFiles,
  paths: { proc: string; cgroup: string },
  version: CgroupVersion,
  container: ContainerRef,
): ContainerCgroup | ResolveFailure {
  const text = files.read(`${paths.proc}/${container.pid}/cgroup`);
  if (text === undefined || container.pid <= 0) return 'pid_not_visible';
  if (!text.includes(container.id)) return 'pid_not_in_container';
  const lines = parseProcCgroup(text);
  const usable = (path: string | undefined): path is string =>
    path !== undefined && path.startsWith('/') && !path.includes('/..') && path.includes(container.id);
  const candidates = candidatePaths(container.id, container.cgroupParent);

  if (version === 2) {
    const own = lines.find((line) => line.hierarchy === '0')?.path;
    for (const path of usable(own) ? [own, ...candidates] : candidates) {
      const dir = `${paths.cgroup}${path}`;
      if (files.isDirectory(dir)) return { version: 2, layout: layoutOf(path, container.id), dir };
    }
    return 'cgroup_not_found';
  }

  const dirs: Partial<Record<V1Controller, string>> = {};
  let layout: CgroupLayout = 'other';
  for (const controller of V1_CONTROLLERS) {
    const own = lines.find((line) => line.controllers.includes(controller))?.path;
    for (const path of usable(own) ? [own, ...candidates] : candidates) {
      const dir = `${paths.cgroup}/${controller}${path}`;
      if (files.isDirectory(dir)) {
        dirs[controller] = dir;
        if (controller === 'memory') layout = layoutOf(path, container.id);
        break;
      }
    }
  }
  const { cpuacct, memory } = dirs;
  if (cpuacct === undefined || memory === undefined) return 'cgroup_not_found';
  return { version: 1, layout, dirs: { ...dirs, cpuacct, memory } };
}

import {
  type CgroupVersion,
  detectCgroupVersion,
  type HostFiles,
  readHostSnapshot,
  resolveContainerCgroup,
} from '../cgroup/index.js';
import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { StatsSourceName } from './stats-source.js';

/** STATS_SOURCE: choose by probing, or force one path. */
export type StatsSourceMode = 'auto' | 'api' | 'cgroupfs';

/** Why the current source was chosen; the `reason` label of collector_stats_source. */
export type SelectionReason =
  | 'configured'
  | 'host_trees_readable'
  | 'rootless_engine'
  | 'cgroup_unreadable'
  | 'cgroup_version_mismatch'
  | 'proc_unreadable'
  | 'probe_failed'
  | 'self_check_disagreed';

export interface SourceChoice {
  source: StatsSourceName;
  reason: SelectionReason;
  /** One sentence for the log. */
  detail: string;
  /** Set when source is cgroupfs. */
  version?: CgroupVersion;
}

/** The parts of GET /info that matter here. */
export interface EngineCgroupInfo {
  CgroupVersion?: string;
  CgroupDriver?: string;
  SecurityOptions?: string[];
}

/**
 * Chooses between the API path and the fast path. The fast path needs the host's cgroup tree
 * at `paths.cgroup` (the version the Engine uses), the host's /proc at `paths.proc` (its
 * stat, meminfo and the containers' init pids), and a local, rootful Engine; a few running
 * containers are probed to prove that pids and cgroups line up.
 */
export function chooseStatsSource(
  mode: StatsSourceMode,
  files: HostFiles,
  paths: { proc: string; cgroup: string },
  engine: EngineCgroupInfo,
  running: readonly TrackedContainer[],
): SourceChoice {
  if (mode === 'api') return { source: 'api', reason: 'configured', detail: 'STATS_SOURCE=api' };
  const forced = mode === 'cgroupfs';
  const api = (reason: SelectionReason, detail: string): SourceChoice => ({ source: 'api', reason, detail });

  if (!forced && (engine.SecurityOptions ?? []).some((option) => option.includes('name=rootless'))) {
    return api('rootless_engine', 'the Engine runs rootless: its pids and cgroups are not the host view');
  }
  const version = detectCgroupVersion(files, paths.cgroup);
  if (version === undefined) {
    return api('cgroup_unreadable', `no cgroup v1 or v2 tree readable at HOST_CGROUP=${paths.cgroup}`);
  }
  const engineVersion = Number(engine.CgroupVersion);
  if (!forced && (engineVersion === 1 || engineVersion === 2) && engineVersion !== version) {
    return api(
      'cgroup_version_mismatch',
      `HOST_CGROUP=${paths.cgroup} is cgroup v${version} but the Engine uses v${engineVersion}`,
    );
  }
  let host: ReturnType<typeof readHostSnapshot>;
  try {
    host = readHostSnapshot(files, paths.proc);
  } catch {
    host = undefined;
  }
  if (host === undefined)
    return api('proc_unreadable', `cannot read stat and meminfo under HOST_PROC=${paths.proc}`);

  const probed = running.slice(0, 3).map((container) => {
    try {
      return resolveContainerCgroup(files, paths, version, {
        id: container.id,
        pid: container.inspect.State.Pid,
        cgroupParent: container.inspect.HostConfig.CgroupParent,
      });
    } catch (error) {
      return (error as { code?: string }).code ?? 'error';
    }
  });
  const located = probed.filter((result) => typeof result !== 'string');
  if (!forced && probed.length > 0 && located.length === 0) {
    return api(
      'probe_failed',
      `no probed container could be located under HOST_PROC=${paths.proc} and HOST_CGROUP=${paths.cgroup} (${probed.join(', ')}); mount the host's /proc and cgroup tree, and run in the host's pid namespace view`,
    );
  }
  const layouts = [...new Set(located.map((l) => l.layout))].join(',') || 'no containers yet';
  return {
    source: 'cgroupfs',
    reason: forced ? 'configured' : 'host_trees_readable',
    detail: `cgroup v${version} at ${paths.cgroup}, /proc at ${paths.proc}, engine driver ${engine.CgroupDriver ?? 'unknown'}, layout ${layouts}`,
    version,
  };
}

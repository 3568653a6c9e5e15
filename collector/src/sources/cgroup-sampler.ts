import {
  type CgroupVersion,
  type ContainerCgroup,
  ContainerGoneError,
  HostFiles,
  type HostSnapshot,
  type LimitTexts,
  type OpenFiles,
  type PathProbes,
  readContainerSample,
  readHostSnapshot,
  type ResolveFailure,
  resolveContainerCgroup,
} from '../cgroup/index.js';
import type { EngineStats } from '../derive/engine-stats.js';
import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';

export interface CgroupSamplerSettings {
  hostProc: string;
  hostCgroup: string;
  version: CgroupVersion;
}

/**
 * How long a container's limit files are trusted without a new inspect. `docker update`
 * refreshes the inspect (and so the limits) at once; this bounds how long a limit written to
 * the cgroup by something else goes unseen. Up to a third more at random, so 1,000
 * containers started together do not all re-read theirs in the same gather.
 */
const LIMITS_TTL_MS = 60_000;

/** What the fast path keeps per followed container: where it is, and its kernel files. */
interface ContainerCgroupState {
  /** The init pid the location was resolved for: a restart gives a new one. */
  pid: number;
  location: ContainerCgroup | ResolveFailure;
  /** Kernel files kept open between gathers. */
  open: OpenFiles;
  limits: LimitTexts;
  /** The inspect the limit texts were read under; a new one (docker update) empties them. */
  limitsInspect: TrackedContainer['inspect'] | undefined;
  limitsExpireAt: number;
  /** What was found out once about its directories (which blkio files the kernel has). */
  probes: PathProbes;
}

/**
 * The fast path: reads each container's counters from the host's cgroup tree and
 * /proc/<pid>/net/dev, as cAdvisor does, instead of asking the Engine, and builds the Engine's
 * stats shape from them, so the derivations (and so the output) are the API path's.
 */
export class CgroupSampler {
  private readonly files = new HostFiles();
  /** The host's kernel files kept open between gathers. */
  private readonly hostOpen: OpenFiles = new Map();
  private readonly containers = new Map<string, ContainerCgroupState>();
  private hostWarned = false;

  constructor(
    private readonly settings: CgroupSamplerSettings,
    private readonly logger: Logger,
  ) {}

  /** Open kernel files, for the benchmark and tests. */
  get openFiles(): number {
    return this.files.openFiles;
  }

  /** /proc/stat and /proc/meminfo, read once per gather; undefined when they cannot be read. */
  hostSnapshot(): HostSnapshot | undefined {
    let host: HostSnapshot | undefined;
    try {
      host = readHostSnapshot(this.files, this.settings.hostProc, this.hostOpen);
    } catch (error) {
      this.logger.debug({ err: error }, 'cannot read the host snapshot');
    }
    if (host === undefined && !this.hostWarned) {
      this.hostWarned = true;
      this.logger.warn(
        { hostProc: this.settings.hostProc },
        'cannot read stat/meminfo under HOST_PROC: sampling every container through the API',
      );
    }
    return host;
  }

  /** False once the container is known not to be locatable (until it restarts). */
  locatable(container: TrackedContainer): boolean {
    const state = this.containers.get(container.id);
    return (
      state === undefined || state.pid !== container.inspect.State.Pid || typeof state.location !== 'string'
    );
  }

  /**
   * One container's sample in the Engine's shape; `unlocated` when its cgroup cannot be
   * found (use the API), `gone` when it vanished mid-read (a gap), `failed` on other errors
   * (reported to `acc`). The sample has no `read`: its time is the caller's clock reading.
   */
  read(
    container: TrackedContainer,
    host: HostSnapshot,
    acc: Accumulator,
  ): EngineStats | 'unlocated' | 'gone' | 'failed' {
    const state = this.stateOf(container);
    const location = state.location;
    if (typeof location === 'string') return 'unlocated';
    try {
      this.expireLimits(state, container);
      return readContainerSample(
        this.files,
        this.settings.hostProc,
        host,
        {
          id: container.id,
          name: container.inspect.Name,
          pid: container.inspect.State.Pid,
          networkMode: container.inspect.HostConfig.NetworkMode,
          cgroup: location,
        },
        state.open,
        state.limits,
        state.probes,
      );
    } catch (error) {
      // Resolve again next time: a restart gives a new pid and maybe a new cgroup.
      this.evict(container.id);
      if (error instanceof ContainerGoneError) return 'gone';
      const code = (error as { code?: string }).code ?? 'other';
      acc.addError({
        reason: `cgroup_${code.toLowerCase()}`,
        message: 'cannot read container counters',
        error,
        container: container.id,
      });
      return 'failed';
    }
  }

  /** Closes the container's files and forgets where it is. */
  evict(id: string): void {
    const state = this.containers.get(id);
    if (state === undefined) return;
    this.files.closeAll(state.open);
    this.containers.delete(id);
  }

  /** Closes every kept file (the fast path is no longer used). */
  close(): void {
    for (const id of [...this.containers.keys()]) this.evict(id);
    this.files.closeAll(this.hostOpen);
  }

  /** The container's state, its cgroup resolved once per init pid. */
  private stateOf(container: TrackedContainer): ContainerCgroupState {
    const pid = container.inspect.State.Pid;
    const known = this.containers.get(container.id);
    if (known?.pid === pid) return known;
    this.evict(container.id); // a restart: new pid, maybe a new cgroup
    const location = resolveContainerCgroup(
      this.files,
      { proc: this.settings.hostProc, cgroup: this.settings.hostCgroup },
      this.settings.version,
      { id: container.id, pid, cgroupParent: container.inspect.HostConfig.CgroupParent },
    );
    if (typeof location === 'string') {
      this.logger.info(
        { container: container.id, reason: location },
        'cannot locate the container in the cgroup tree: sampling it through the API',
      );
    } else {
      this.logger.debug({ container: container.id, layout: location.layout }, 'located container cgroup');
    }
    const state: ContainerCgroupState = {
      pid,
      location,
      open: new Map(),
      limits: new Map(),
      limitsInspect: undefined,
      limitsExpireAt: 0,
      probes: new Map(),
    };
    this.containers.set(container.id, state);
    return state;
  }

  /** Empties the limit texts when the inspect changed or their time is up. */
  private expireLimits(state: ContainerCgroupState, container: TrackedContainer): void {
    const now = Date.now();
    if (state.limitsInspect !== container.inspect || now >= state.limitsExpireAt) {
      state.limits.clear();
      state.limitsInspect = container.inspect;
      state.limitsExpireAt = now + LIMITS_TTL_MS * (1 + Math.random() / 3);
    }
  }
}

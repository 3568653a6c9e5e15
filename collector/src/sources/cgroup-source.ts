import {
  type CgroupVersion,
  type ContainerCgroup,
  ContainerGoneError,
  HostFiles,
  type HostSnapshot,
  type LimitTexts,
  type OpenFiles,
  readContainerSample,
  readHostSnapshot,
  type ResolveFailure,
  resolveContainerCgroup,
  rfc3339Now,
} from '../cgroup/index.js';
import type { EngineStats } from '../derive/engine-stats.js';
import type { DeriveOptions, EngineInfo } from '../derive/input.js';
import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import { emitSample, type StatsSource } from './stats-source.js';

export interface CgroupSourceSettings {
  hostProc: string;
  hostCgroup: string;
  version: CgroupVersion;
  derive: DeriveOptions;
}

/**
 * How long a container's limit files are trusted without a new inspect. `docker update`
 * refreshes the inspect (and so the limits) at once; this bounds how long a limit written to
 * the cgroup by something else goes unseen. Up to a third more at random, so 1,000
 * containers started together do not all re-read theirs in the same gather.
 */
const LIMITS_TTL_MS = 60_000;

/** A followed container's kernel files: those kept open, and the texts of its limit files. */
interface ContainerFiles {
  open: OpenFiles;
  limits: LimitTexts;
  /** The inspect the limit texts were read under; a new one (docker update) empties them. */
  limitsInspect: TrackedContainer['inspect'] | undefined;
  limitsExpireAt: number;
}

/** Sync reads hand the event loop back this often, so /metrics and the sink stay responsive. */
const YIELD_EVERY = 64;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The fast path: reads each container's counters from the host's cgroup tree and
 * /proc/<pid>/net/dev, as cAdvisor does, instead of asking the Engine. It builds the Engine's
 * stats shape so the derivations (and so the output) are the API path's. Containers it cannot
 * locate (another layout, a pid it cannot see) are sampled through `fallback`, the API path.
 */
export class CgroupSource implements StatsSource {
  readonly name = 'cgroupfs';
  private readonly files = new HostFiles();
  /** Kernel files kept open between gathers: the host's, and each container's by id. */
  private readonly hostOpen: OpenFiles = new Map();
  private readonly containerFiles = new Map<string, ContainerFiles>();
  private hostWarned = false;
  /** Containers sampled through the API path at the last gather because they could not be located. */
  viaApiCount = 0;

  constructor(
    private readonly settings: CgroupSourceSettings,
    private readonly fallback: StatsSource,
    private readonly engine: () => EngineInfo,
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
  ) {}

  async gatherContainers(containers: readonly TrackedContainer[], acc: Accumulator): Promise<void> {
    const host = this.hostSnapshot();
    const viaApi: TrackedContainer[] = [];
    // Containers read in one synchronous run (a few ms) share its timestamp: one clock
    // reading and one parse of it per run instead of per container.
    let read = rfc3339Now();
    let count = 0;
    for (const container of containers) {
      if (++count % YIELD_EVERY === 0) {
        await yieldToLoop();
        read = rfc3339Now();
      }
      const sample = host === undefined ? 'unlocated' : this.read(container, host, read);
      if (sample === 'unlocated') {
        viaApi.push(container);
        continue;
      }
      if (sample === 'gone' || sample === 'failed') {
        container.previous = undefined;
        continue;
      }
      emitSample(container, sample, this.engine(), this.settings.derive, acc, this.metrics, this.logger);
    }
    this.viaApiCount = viaApi.length;
    this.closeFilesOfOthers(containers);
    if (viaApi.length > 0) await this.fallback.gatherContainers(viaApi, acc);
  }

  /** Open kernel files, for the benchmark and tests. */
  get openFiles(): number {
    return this.files.openFiles;
  }

  /** Closes the files of containers no longer followed (stopped, removed, filtered out). */
  private closeFilesOfOthers(followed: readonly TrackedContainer[]): void {
    const ids = new Set(followed.map((c) => c.id));
    for (const id of this.containerFiles.keys()) {
      if (!ids.has(id)) this.forgetFiles(id);
    }
  }

  /** Closes every kept file (the source is no longer used). */
  close(): void {
    for (const { open } of this.containerFiles.values()) this.files.closeAll(open);
    this.containerFiles.clear();
    this.files.closeAll(this.hostOpen);
  }

  /** The container's files, its limit texts emptied when its inspect changed or their time is up. */
  private filesOf(container: TrackedContainer): ContainerFiles {
    let files = this.containerFiles.get(container.id);
    if (files === undefined) {
      files = { open: new Map(), limits: new Map(), limitsInspect: undefined, limitsExpireAt: 0 };
      this.containerFiles.set(container.id, files);
    }
    const now = Date.now();
    if (files.limitsInspect !== container.inspect || now >= files.limitsExpireAt) {
      files.limits.clear();
      files.limitsInspect = container.inspect;
      files.limitsExpireAt = now + LIMITS_TTL_MS * (1 + Math.random() / 3);
    }
    return files;
  }

  private forgetFiles(id: string): void {
    const files = this.containerFiles.get(id);
    if (files === undefined) return;
    this.files.closeAll(files.open);
    this.containerFiles.delete(id);
  }

  /** /proc/stat and /proc/meminfo, read once per gather. */
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

  /**
   * One container's sample in the Engine's shape; `unlocated` when its cgroup cannot be
   * found (use the API), `gone` when it vanished mid-read (a gap), `failed` on other errors.
   */
  read(
    container: TrackedContainer,
    host: HostSnapshot,
    read = rfc3339Now(),
  ): EngineStats | 'unlocated' | 'gone' | 'failed' {
    const location = this.locate(container);
    if (typeof location === 'string') return 'unlocated';
    try {
      const { open, limits } = this.filesOf(container);
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
          read,
        },
        open,
        limits,
      );
    } catch (error) {
      // Resolve again next time: a restart gives a new pid and maybe a new cgroup.
      container.cgroup = undefined;
      this.forgetFiles(container.id);
      if (error instanceof ContainerGoneError) return 'gone';
      const code = (error as { code?: string }).code ?? 'other';
      this.metrics.statsErrors.inc({ reason: `cgroup_${code.toLowerCase()}` });
      this.logger.warn({ err: error, container: container.id }, 'cannot read container counters');
      return 'failed';
    }
  }

  /** The container's cgroup, resolved once per init pid. */
  private locate(container: TrackedContainer): ContainerCgroup | ResolveFailure {
    const pid = container.inspect.State.Pid;
    if (container.cgroup?.pid === pid) return container.cgroup.location;
    this.forgetFiles(container.id); // a restart: new pid, maybe a new cgroup
    const location = resolveContainerCgroup(
      this.files,
      { proc: this.settings.hostProc, cgroup: this.settings.hostCgroup },
      this.settings.version,
      { id: container.id, pid, cgroupParent: container.inspect.HostConfig.CgroupParent },
    );
    container.cgroup = { pid, location };
    if (typeof location === 'string') {
      this.logger.info(
        { container: container.id, reason: location },
        'cannot locate the container in the cgroup tree: sampling it through the API',
      );
    } else {
      this.logger.debug({ container: container.id, layout: location.layout }, 'located container cgroup');
    }
    return location;
  }
}

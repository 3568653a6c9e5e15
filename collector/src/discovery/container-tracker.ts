import type Docker from 'dockerode';
import pLimit from 'p-limit';
import type { ContainerCgroup, ResolveFailure } from '../cgroup/cgroup-layout.js';
import type { EngineStats } from '../derive/engine-stats.js';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { ContainerFilter } from './container-filter.js';

/** A followed container: its last inspect, and the previous stats sample for deltas. */
export interface TrackedContainer {
  id: string;
  inspect: Docker.ContainerInspectInfo;
  previous: EngineStats | undefined;
  /** The fast path's cgroup location, resolved once per init pid (see CgroupSource). */
  cgroup?: { pid: number; location: ContainerCgroup | ResolveFailure } | undefined;
}

export function containerName(inspect: Pick<Docker.ContainerInspectInfo, 'Name'>): string {
  return inspect.Name.replace(/^\//, '');
}

function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}

/**
 * The set of running containers the collector follows. It is filled by a full listing at
 * start and after an events-stream reconnect, and kept current by engine events in between,
 * so inspect runs once per container or event, never once per gather.
 */
export class ContainerTracker {
  private readonly containers = new Map<string, TrackedContainer>();
  private readonly inspectLimit = pLimit(16);

  constructor(
    private readonly docker: Docker,
    private readonly filter: ContainerFilter,
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
    /** Told when a followed container stops, with its final inspect (exit code, OOM). */
    private readonly onStopped: (inspect: Docker.ContainerInspectInfo) => void = () => undefined,
  ) {}

  get size(): number {
    return this.containers.size;
  }

  all(): TrackedContainer[] {
    return [...this.containers.values()];
  }

  get(id: string): TrackedContainer | undefined {
    return this.containers.get(id);
  }

  /** Lists running containers, inspects new ones, forgets those that are gone. */
  async resync(): Promise<void> {
    let listed: Docker.ContainerInfo[];
    try {
      listed = await this.docker.listContainers({ filters: { status: ['running'] } });
    } catch (error) {
      this.metrics.engineErrors.inc({ call: 'list' });
      throw error;
    }
    const running = new Set(listed.map((c) => c.Id));
    for (const id of this.containers.keys()) {
      if (!running.has(id)) this.forget(id);
    }
    await Promise.all(
      listed
        .filter((c) => !this.containers.has(c.Id))
        .filter((c) => this.filter.matches((c.Names[0] ?? '').replace(/^\//, ''), c.Labels ?? {}))
        .map((c) => this.inspectLimit(() => this.refresh(c.Id))),
    );
  }

  /**
   * Re-inspects one container (start, rename, health change, recreate): follows it when it
   * runs and matches the filter, forgets it otherwise. Never throws.
   */
  async refresh(id: string): Promise<Docker.ContainerInspectInfo | undefined> {
    let inspect: Docker.ContainerInspectInfo;
    try {
      inspect = await this.docker.getContainer(id).inspect();
    } catch (error) {
      if (isNotFound(error)) {
        this.forget(id);
      } else {
        this.metrics.engineErrors.inc({ call: 'inspect' });
        this.logger.warn({ err: error, container: id }, 'inspect failed');
      }
      return undefined;
    }
    const followed =
      inspect.State.Running && this.filter.matches(containerName(inspect), inspect.Config.Labels ?? {});
    if (!followed) {
      this.forget(id);
      return inspect;
    }
    const known = this.containers.get(id);
    if (known) {
      // A restart resets the cgroup counters: drop the previous sample so the first delta
      // after it is not computed across the restart.
      if (known.inspect.State.StartedAt !== inspect.State.StartedAt) known.previous = undefined;
      known.inspect = inspect;
    } else {
      this.containers.set(id, { id, inspect, previous: undefined });
      this.logger.debug({ container: containerName(inspect), id }, 'following container');
    }
    return inspect;
  }

  /** A followed container died: report its final state, then stop following it. */
  async stopped(id: string): Promise<void> {
    if (!this.containers.has(id)) return;
    const inspect = await this.refresh(id);
    if (inspect && !inspect.State.Running) this.onStopped(inspect);
    this.forget(id);
  }

  forget(id: string): void {
    if (this.containers.delete(id)) this.logger.debug({ id }, 'no longer following container');
  }
}

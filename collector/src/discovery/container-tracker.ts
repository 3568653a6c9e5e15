import type Docker from 'dockerode';
import pLimit from 'p-limit';
import type { Logger } from '../telemetry/logger.js';
import type { SelfMetrics } from '../telemetry/self-metrics.js';
import type { ContainerFilter } from './container-filter.js';

/**
 * A followed container: what discovery knows of it, its last inspect. Inputs keep their own
 * per-container state, keyed by id, and drop it when the tracker says `removed`.
 */
export interface TrackedContainer {
  readonly id: string;
  inspect: Docker.ContainerInspectInfo;
}

/** What the tracker tells its subscribers. */
export interface TrackerListener {
  /** A followed container stopped: its final inspect (exit code, OOM flag). */
  stopped?(inspect: Docker.ContainerInspectInfo): void;
  /** A container is no longer followed (stopped, removed, renamed out of the filter). */
  removed?(id: string): void;
  /** The kernel OOM-killed a process in a followed container (the Engine's `oom` event). */
  oom?(id: string): void;
}

/** The engine discovery talks to, and where it reports. */
export interface DiscoveryDependencies {
  docker: Docker;
  metrics: SelfMetrics;
  logger: Logger;
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
  private readonly listeners: TrackerListener[] = [];

  private readonly docker: Docker;
  private readonly metrics: SelfMetrics;
  private readonly logger: Logger;

  constructor(
    private readonly filter: ContainerFilter,
    { docker, metrics, logger }: DiscoveryDependencies,
  ) {
    this.docker = docker;
    this.metrics = metrics;
    this.logger = logger;
  }

  subscribe(listener: TrackerListener): void {
    this.listeners.push(listener);
  }

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
      // Replaced, never mutated: inputs may key what they derive on the inspect object.
      known.inspect = inspect;
    } else {
      this.containers.set(id, { id, inspect });
      this.logger.debug({ container: containerName(inspect), id }, 'following container');
    }
    return inspect;
  }

  /** A followed container died: report its final state, then stop following it. */
  async stopped(id: string): Promise<void> {
    if (!this.containers.has(id)) return;
    const inspect = await this.refresh(id);
    if (inspect && !inspect.State.Running) for (const listener of this.listeners) listener.stopped?.(inspect);
    this.forget(id);
  }

  /** An `oom` event: told to subscribers only for a followed container, whose removal follows. */
  oomKilled(id: string): void {
    if (!this.containers.has(id)) return;
    for (const listener of this.listeners) listener.oom?.(id);
  }

  forget(id: string): void {
    if (!this.containers.delete(id)) return;
    this.logger.debug({ id }, 'no longer following container');
    for (const listener of this.listeners) listener.removed?.(id);
  }
}

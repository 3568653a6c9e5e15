import type { TrackedContainer } from '../discovery/container-tracker.js';
import type { Accumulator } from '../model/accumulator.js';

/** Where per-container stats come from: the Engine's stats API, or the cgroup tree and /proc. */
export type StatsSourceName = 'api' | 'cgroupfs';

/** A source of per-container stats points; whichever path it reads, it emits the same points. */
export interface StatsSource {
  /** The path in use now. */
  readonly name: StatsSourceName;
  /** Samples the given containers into `acc`. Never throws for a single container. */
  gatherContainers(containers: readonly TrackedContainer[], acc: Accumulator): Promise<void>;
  /** Forgets what is kept for a container no longer followed. */
  evict(id: string): void;
  /** The Engine's `oom` event for a followed container: the API path counts these. */
  oomKilled(id: string): void;
  /** Releases kept files; waits for work in the background. */
  close(): Promise<void>;
}

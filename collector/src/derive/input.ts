import type Docker from 'dockerode';
import type { EngineStats } from './engine-stats.js';
import type { DeriveMemo } from './memo.js';

/** The engine a container runs on; becomes the engine_host / server_version tags. */
export interface EngineInfo {
  host: string;
  serverVersion: string;
}

/** Options that shape which points and tags are derived. */
export interface DeriveOptions {
  /** Container label keys written as tags besides the compose/swarm ones (cardinality opt-in). */
  labelAllowlist: readonly string[];
  /** Emit per-CPU, per-interface and per-device points besides the totals. */
  perDevice: boolean;
  /** What may be remembered between gathers; the caller that derives every gather owns one. */
  memo?: DeriveMemo | undefined;
}

/** Everything the pure derivations need for one container at one gather. */
export interface ContainerSampleInput {
  engine: EngineInfo;
  inspect: Docker.ContainerInspectInfo;
  /** The previous one-shot sample of this container, or undefined on the first gather. */
  previous: EngineStats | undefined;
  /** The Engine's stats JSON, or the same shape built from the cgroup tree by the fast path. */
  current: EngineStats;
  /** The sample's time, ns, when the source has it as a number already; else `current.read` is parsed. */
  time?: bigint | undefined;
  options: DeriveOptions;
}

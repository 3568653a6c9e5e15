import type Docker from 'dockerode';
import type { CollectorConfig } from '../config/config.js';
import type { EngineInfo } from '../derive/input.js';
import type { ContainerTracker } from '../discovery/container-tracker.js';
import type { StatsSource } from '../sources/stats-source.js';
import type { Logger } from '../telemetry/logger.js';

/**
 * What an input may use, given once at construction: the parsed configuration, the engine,
 * the followed containers (and their removal signal), and a logger for what is not an
 * error (choices, skips). Errors go to the accumulator.
 */
export interface InputContext {
  readonly config: CollectorConfig;
  readonly docker: Docker;
  readonly tracker: ContainerTracker;
  /** The engine's name and version, known after the first connect. */
  readonly engine: () => EngineInfo;
  /**
   * GET /info, asked at most once per gather: the inputs that read it in one gather share the
   * answer (each call costs the engine about 10 ms of CPU). Rejects as the call did.
   */
  readonly engineInfo: () => Promise<unknown>;
  /** The per-container stats source (API or cgroupfs, chosen at the first connect). */
  readonly stats: StatsSource;
  readonly logger: Logger;
}

import type { FieldValue, Point } from '../model/point.js';
import { MEASUREMENT, TAG } from '../schema/names.js';
import type { EngineInfo } from './input.js';
import { putInt } from './integer.js';

/** What the collector reads of GET /info (every key optional: engines and versions differ). */
export interface DockerInfo {
  Name?: string;
  ServerVersion?: string;
  DockerRootDir?: string;
  Containers?: number;
  ContainersRunning?: number;
  ContainersPaused?: number;
  ContainersStopped?: number;
  Images?: number;
  NCPU?: number;
  MemTotal?: number;
  NFd?: number;
  NGoroutines?: number;
  NEventsListener?: number;
}

/** /info keys -> `docker` fields (Telegraf's names). */
const ENGINE_FIELDS: readonly (readonly [keyof DockerInfo, string])[] = [
  ['Containers', 'n_containers'],
  ['ContainersRunning', 'n_containers_running'],
  ['ContainersPaused', 'n_containers_paused'],
  ['ContainersStopped', 'n_containers_stopped'],
  ['Images', 'n_images'],
  ['NCPU', 'n_cpus'],
  ['MemTotal', 'memory_total'],
  ['NFd', 'n_used_file_descriptors'],
  ['NGoroutines', 'n_goroutines'],
  ['NEventsListener', 'n_listener_events'],
];

/**
 * Telegraf's `docker` measurement from one /info answer, or undefined when the answer holds
 * none of its fields. Tagged like every engine point, with the engine the collector connected to.
 */
export function enginePoint(info: DockerInfo, engine: EngineInfo, time: bigint): Point | undefined {
  const fields: Record<string, FieldValue> = {};
  for (const [key, field] of ENGINE_FIELDS) {
    const value = info[key];
    if (typeof value === 'number') putInt(fields, field, value);
  }
  if (Object.keys(fields).length === 0) return undefined;
  return {
    measurement: MEASUREMENT.engine,
    tags: { [TAG.engineHost]: engine.host, [TAG.serverVersion]: engine.serverVersion },
    fields,
    time,
  };
}

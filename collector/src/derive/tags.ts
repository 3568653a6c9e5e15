import { TAG } from '../schema/names.js';
import { parseImageReference } from './image.js';
import type { EngineInfo } from './input.js';
import type { InspectData } from './inspect-data.js';
import type { DeriveMemo } from './memo.js';

/**
 * Labels that are always tags when present: they name the compose project/service and the
 * swarm service/task/node, which is how people group containers. Bounded cardinality.
 */
export const ORCHESTRATION_LABELS = [
  TAG.composeProject,
  TAG.composeService,
  'com.docker.swarm.service.name',
  'com.docker.swarm.task.name',
  'com.docker.swarm.node.id',
  'com.docker.swarm.service.id',
  'com.docker.swarm.task.id',
  'com.docker.stack.namespace',
] as const;

/**
 * The tags every container point carries. The container id is deliberately not among them
 * (it is the `container_id` field): one series per id would grow without bound.
 * Other labels become tags only when listed in `labelAllowlist`.
 */
export function containerTags(
  inspect: InspectData,
  engine: EngineInfo,
  labelAllowlist: readonly string[],
  memo?: DeriveMemo,
): Readonly<Record<string, string>> {
  if (memo === undefined) return Object.freeze(computeContainerTags(inspect, engine, labelAllowlist));
  // Inspect data is replaced, never mutated, when a container changes, so the tags can be
  // remembered per inspect object for as long as the engine and allowlist are the same.
  const key = `${engine.host}\u0000${engine.serverVersion}\u0000${labelAllowlist.join('\u0000')}`;
  const known = memo.containerTags.get(inspect);
  if (known?.key === key) return known.tags;
  const tags = Object.freeze(computeContainerTags(inspect, engine, labelAllowlist));
  memo.containerTags.set(inspect, { key, tags });
  return tags;
}

function computeContainerTags(
  inspect: InspectData,
  engine: EngineInfo,
  labelAllowlist: readonly string[],
): Record<string, string> {
  const image = parseImageReference(inspect.Config.Image);
  const tags: Record<string, string> = {
    [TAG.engineHost]: engine.host,
    [TAG.serverVersion]: engine.serverVersion,
    [TAG.containerName]: inspect.Name.replace(/^\//, ''),
    [TAG.containerImage]: image.name,
    [TAG.containerVersion]: image.version,
    [TAG.containerStatus]: inspect.State.Status,
  };
  const labels = inspect.Config.Labels ?? {};
  for (const key of [...ORCHESTRATION_LABELS, ...labelAllowlist]) {
    const value = labels[key];
    // Line protocol cannot carry an empty tag value.
    if (value !== undefined && value !== '' && !(key in tags)) tags[key] = value;
  }
  return tags;
}

type Tags = Readonly<Record<string, string>>;

/**
 * `tags` plus one more tag (cpu, network, device). With the caller's memo it is the same object
 * every gather, so the line protocol writer can reuse the escaped tag section it made for it
 * last time; without one it is a new object each call.
 */
export function withTag(tags: Tags, key: string, value: string, memo: DeriveMemo | undefined): Tags {
  return memo?.tagVariant(tags, key, value) ?? Object.freeze({ ...tags, [key]: value });
}

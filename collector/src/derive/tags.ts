import { TAG } from '../schema/names.js';
import { parseImageReference } from './image.js';
import type { EngineInfo } from './input.js';
import type { InspectData } from './inspect-data.js';

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
): Readonly<Record<string, string>> {
  // Inspect data is replaced, never mutated, when a container changes, so the tags can be
  // remembered per inspect object for as long as the engine and allowlist are the same.
  const key = `${engine.host}\u0000${engine.serverVersion}\u0000${labelAllowlist.join('\u0000')}`;
  const known = tagMemo.get(inspect);
  if (known?.key === key) return known.tags;
  const tags = Object.freeze(computeContainerTags(inspect, engine, labelAllowlist));
  tagMemo.set(inspect, { key, tags });
  return tags;
}

const tagMemo = new WeakMap<InspectData, { key: string; tags: Readonly<Record<string, string>> }>();

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

/** Variants of a tags object, by added key, then value. */
const variantMemo = new WeakMap<Tags, Map<string, Map<string, Tags>>>();

/**
 * `tags` plus one more tag (cpu, network, device), as the same object every gather, so the
 * line protocol writer can reuse the escaped tag section it made for it last time.
 */
export function withTag(tags: Tags, key: string, value: string): Tags {
  let byKey = variantMemo.get(tags);
  if (byKey === undefined) {
    byKey = new Map();
    variantMemo.set(tags, byKey);
  }
  let byValue = byKey.get(key);
  if (byValue === undefined) {
    byValue = new Map();
    byKey.set(key, byValue);
  }
  let variant = byValue.get(value);
  if (variant === undefined) {
    variant = Object.freeze({ ...tags, [key]: value });
    byValue.set(value, variant);
  }
  return variant;
}

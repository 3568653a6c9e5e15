import type { InspectData } from './inspect-data.js';

type Tags = Readonly<Record<string, string>>;

/** Timestamps remembered before the memo starts over, so it stays bounded. */
const TIMESTAMPS_LIMIT = 8_192;

/**
 * What the derivations may remember between gathers, owned by whoever calls them gather after
 * gather (a stats source), so it lives and dies with its owner. The derivations are the same
 * without one, only slower: they work out every tag set and timestamp again.
 */
export class DeriveMemo {
  /** A container's tags per inspect object (replaced, never mutated), with the key they were made under. */
  readonly containerTags = new WeakMap<InspectData, { key: string; tags: Tags }>();
  private readonly timestamps = new Map<string, bigint>();
  /**
   * Variants of a tags object, by added key, then value. Held weakly by the tags object itself:
   * they live exactly as long as it does (this memo's container tags, or a point).
   */
  private readonly tagVariants = new WeakMap<Tags, Map<string, Map<string, Tags>>>();

  /** `tags` plus one more tag, as the same frozen object every time it is asked for. */
  tagVariant(tags: Tags, key: string, value: string): Tags {
    let byKey = this.tagVariants.get(tags);
    if (byKey === undefined) {
      byKey = new Map();
      this.tagVariants.set(tags, byKey);
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

  /** The same strings come back every gather (StartedAt, FinishedAt): parse each once. */
  timestamp(text: string, parse: (text: string) => bigint): bigint {
    const known = this.timestamps.get(text);
    if (known !== undefined) return known;
    const ns = parse(text);
    if (this.timestamps.size >= TIMESTAMPS_LIMIT) this.timestamps.clear();
    this.timestamps.set(text, ns);
    return ns;
  }
}

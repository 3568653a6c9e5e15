/**
 * The identity of a series: measurement plus tag set, as InfluxDB sees it (tags sorted, empty
 * values left out, since line protocol drops them). Frozen tag objects (every container's, see
 * derive/tags.ts) are keyed once per object, not once per point.
 */
export class SeriesKeys {
  private readonly tagKeys = new WeakMap<Readonly<Record<string, string>>, string>();

  key(measurement: string, tags: Readonly<Record<string, string>>): string {
    const frozen = Object.isFrozen(tags);
    let tagKey = frozen ? this.tagKeys.get(tags) : undefined;
    if (tagKey === undefined) {
      tagKey = tagSetKey(tags);
      if (frozen) this.tagKeys.set(tags, tagKey);
    }
    return `${measurement}\u0001${tagKey}`;
  }
}

function tagSetKey(tags: Readonly<Record<string, string>>): string {
  let key = '';
  for (const name of Object.keys(tags).sort()) {
    const value = tags[name];
    if (value !== undefined && value !== '') key += `${name}\u0000${value}\u0000`;
  }
  return key;
}

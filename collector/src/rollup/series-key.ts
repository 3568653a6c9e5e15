/**
 * The identity of a series: measurement plus tag set, as InfluxDB sees it (tags sorted, empty
 * values left out, since line protocol drops them). For frozen tag objects (every container's,
 * see derive/tags.ts) the key string is made once per object and measurement and then reused:
 * the same string instance keeps its hash, so a Map lookup does not hash ~200 characters again.
 */
export class SeriesKeys {
  private readonly known = new WeakMap<Readonly<Record<string, string>>, Map<string, string>>();

  key(measurement: string, tags: Readonly<Record<string, string>>): string {
    if (!Object.isFrozen(tags)) return `${measurement}\u0001${tagSetKey(tags)}`;
    let byMeasurement = this.known.get(tags);
    if (byMeasurement === undefined) {
      byMeasurement = new Map();
      this.known.set(tags, byMeasurement);
    }
    let key = byMeasurement.get(measurement);
    if (key === undefined) {
      key = `${measurement}\u0001${tagSetKey(tags)}`;
      byMeasurement.set(measurement, key);
    }
    return key;
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

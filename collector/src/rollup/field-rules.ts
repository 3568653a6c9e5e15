import { type FieldKind, MEASUREMENTS } from '../schema/metrics.js';

/** The rollup field that counts the raw points of a window (fewer than usual: a partial window). */
export const SAMPLES_FIELD = 'samples';

/** A gauge's largest value in the window: `<field>_max`. */
export function maxField(field: string): string {
  return `${field}_max`;
}

/** Names (or name families) that say counter, for fields the catalogue does not list. */
const COUNTER_NAME = /(_bucket|_count|_sum|_total)$/;

/** measurement -> field -> kind, for the fields the catalogue lists by name (not `<family>`). */
const CATALOGUE_KINDS = new Map<string, Map<string, FieldKind>>(
  MEASUREMENTS.map((spec) => [
    spec.name,
    new Map(spec.fields.filter((f) => !f.name.includes('<')).map((f) => [f.name, f.kind])),
  ]),
);

/**
 * How a raw field is rolled up: the catalogue's kind when it lists the field; otherwise a
 * counter when its name says so (`*_bucket`, `*_count`, `*_sum`, `*_total`, Prometheus'
 * conventions), else a gauge. A non-numeric value is always kept as info (the last value),
 * whatever the kind says.
 */
export function rollupFieldKind(measurement: string, field: string): FieldKind {
  return CATALOGUE_KINDS.get(measurement)?.get(field) ?? (COUNTER_NAME.test(field) ? 'counter' : 'gauge');
}

/** rollupFieldKind for one measurement, remembered per field. */
export class FieldKinds {
  private readonly known = new Map<string, FieldKind>();

  constructor(readonly measurement: string) {}

  kind(field: string): FieldKind {
    let kind = this.known.get(field);
    if (kind === undefined) {
      kind = rollupFieldKind(this.measurement, field);
      this.known.set(field, kind);
    }
    return kind;
  }
}

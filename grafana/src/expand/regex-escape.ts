// Grafana escapes template values placed inside InfluxQL regex literals with exactly this set.
const REGEX_SPECIALS = /[[\\^$*+?.()|\]{}/]/g;

/** Puts a backslash before each of `[ \ ^ $ * + ? . ( ) | ] { } /`. */
export function escapeRegex(value: string): string {
  return value.replace(REGEX_SPECIALS, (char) => `\\${char}`);
}

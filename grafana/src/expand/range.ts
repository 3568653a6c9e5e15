// Stage one of Grafana's expansion (the browser) also fills the range's global variables:
// `${__from}` and `${__to}` are the range's ends in epoch ms, `${__from:date}` and
// `${__from:date:iso}` the end as ISO 8601 in UTC with milliseconds (moment's toISOString, which
// is JavaScript's), `${__from:date:seconds}` epoch seconds. `$__from` without braces is the
// same as `${__from}`.

const RANGE_REFERENCE = /\$\{(__from|__to)(?::([^}]+))?\}|\$(__from|__to)\b/g;

function formatRangeEnd(ms: number, format: string | undefined): string {
  switch (format) {
    case undefined:
      return String(ms);
    case 'date':
    case 'date:iso':
      return new Date(ms).toISOString();
    case 'date:seconds':
      return String(Math.floor(ms / 1000));
    default:
      throw new Error(`range variable format ":${format}" is not supported`);
  }
}

/** Replaces every reference to `__from` and `__to` with the range's ends, as Grafana formats them. */
export function expandRangeVariables(query: string, fromMs: number, toMs: number): string {
  return query.replace(
    RANGE_REFERENCE,
    (_, braced: string | undefined, format: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare;
      return formatRangeEnd(name === '__from' ? fromMs : toMs, format);
    },
  );
}

// The one InfluxQL client of the repository: the HTTP call Grafana's server makes for an
// InfluxQL query (POST /query with a form, httpMode POST), used by grafana's query checks,
// the tests and the benchmarks alike.

/** One series of an InfluxQL answer. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: Array<Array<string | number | boolean | null>>;
}

/** An InfluxDB and database to query or write. */
export interface InfluxTargetDb {
  /** Base URL, e.g. http://127.0.0.1:8086 (a trailing slash is fine). */
  influxUrl: string;
  db: string;
  /** InfluxDB 2.x/3.x token; sent as `Authorization: Token <token>` like Grafana's provisioned header. */
  token?: string;
}

/** Time format of the answer's `time` column. */
export type Epoch = 'ns' | 'us' | 'ms' | 's';

export interface QueryRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: URLSearchParams;
}

function baseUrl(target: InfluxTargetDb): string {
  return target.influxUrl.replace(/\/+$/, '');
}

function authorization(target: InfluxTargetDb): Record<string, string> {
  return target.token ? { authorization: `Token ${target.token}` } : {};
}

/** POST <url>/query with form fields db, epoch and q. */
export function buildQueryRequest(target: InfluxTargetDb, query: string, epoch: Epoch = 'ms'): QueryRequest {
  return {
    url: `${baseUrl(target)}/query`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...authorization(target) },
    body: new URLSearchParams({ db: target.db, epoch, q: query }),
  };
}

interface QueryResponse {
  results?: Array<{ statement_id?: number; series?: InfluxSeries[]; error?: string }>;
  error?: string;
}

/** Runs one InfluxQL statement; the first statement's series, or throws with InfluxDB's error and the query. */
export async function runInfluxQL(
  target: InfluxTargetDb,
  query: string,
  { epoch = 'ms' }: { epoch?: Epoch } = {},
): Promise<InfluxSeries[]> {
  const request = buildQueryRequest(target, query, epoch);
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
  });
  const text = await response.text();
  let json: QueryResponse;
  try {
    json = JSON.parse(text) as QueryResponse;
  } catch {
    throw new Error(`InfluxDB answered ${response.status} with non-JSON: ${text.slice(0, 200)}\n${query}`);
  }
  const first = json.results?.[0];
  const error = json.error ?? first?.error;
  if (!response.ok || error)
    throw new Error(`InfluxQL failed (${response.status}): ${error ?? text}\n${query}`);
  return first?.series ?? [];
}

/** Time precision of written lines. */
export type Precision = 'ns' | 'u' | 'ms' | 's';

/** Writes line protocol through the v1 /write endpoint (InfluxDB 1.x, and 2.x/3.x compat). */
export async function writeLines(
  target: InfluxTargetDb,
  lines: readonly string[],
  { precision = 'ns' }: { precision?: Precision } = {},
): Promise<void> {
  const query = new URLSearchParams({ db: target.db, precision });
  const response = await fetch(`${baseUrl(target)}/write?${query.toString()}`, {
    method: 'POST',
    headers: authorization(target),
    body: lines.join('\n'),
  });
  if (response.status !== 204) throw new Error(`write failed (${response.status}): ${await response.text()}`);
}

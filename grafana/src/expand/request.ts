// The HTTP call Grafana's server makes for an InfluxQL query, and its answer as series.

export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: Array<Array<string | number | boolean | null>>;
}

export interface QueryTarget {
  influxUrl: string;
  db: string;
  /** InfluxDB 2.x/3.x token; sent as `Authorization: Token <token>` like the provisioned header. */
  token?: string;
}

export interface QueryRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: URLSearchParams;
}

/** POST <url>/query with form fields db, epoch=ms and q (Grafana's httpMode POST). */
export function buildQueryRequest(target: QueryTarget, query: string): QueryRequest {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (target.token) headers.authorization = `Token ${target.token}`;
  return {
    url: `${target.influxUrl.replace(/\/+$/, '')}/query`,
    method: 'POST',
    headers,
    body: new URLSearchParams({ db: target.db, epoch: 'ms', q: query }),
  };
}

interface QueryResponse {
  results?: Array<{ statement_id?: number; series?: InfluxSeries[]; error?: string }>;
  error?: string;
}

/** Sends the request; returns the first statement's series or throws with InfluxDB's error and the query. */
export async function runInfluxQL(target: QueryTarget, query: string): Promise<InfluxSeries[]> {
  const request = buildQueryRequest(target, query);
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

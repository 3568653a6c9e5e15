// Every metric of the service on its own registry (never prom-client's global one), so two
// apps in one process (tests) do not collide.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface StoreGauges {
  keyCount: () => number;
  storageBytes: () => number;
}

/** Everything the gauges read at scrape time. */
export interface GaugeSources extends StoreGauges {
  /** Requests being served; counted in plain JS so a request costs no prom-client call for it. */
  requestsInFlight: () => number;
}

export interface KvMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  requestsInFlight: Gauge;
  operations: Counter<'op' | 'result'>;
  expiredKeys: Counter<'mode'>;
  authFailures: Counter<'reason'>;
}

export function createMetrics(sources: GaugeSources): KvMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const requestsInFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being served right now.',
    registers: [registry],
    collect() {
      this.set(sources.requestsInFlight());
    },
  });
  const operations = new Counter({
    name: 'kvstore_operations_total',
    help: 'Key-value operations by operation and result.',
    labelNames: ['op', 'result'] as const,
    registers: [registry],
  });
  const expiredKeys = new Counter({
    name: 'kvstore_expired_keys_total',
    help: 'Keys removed because their TTL ran out: lazy (on access) or active (expiry sweep).',
    labelNames: ['mode'] as const,
    registers: [registry],
  });
  for (const mode of ['lazy', 'active']) expiredKeys.inc({ mode }, 0);
  const authFailures = new Counter({
    name: 'kvstore_auth_failures_total',
    help: 'Rejected authentication or authorisation attempts by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'kvstore_keys',
    help: 'Keys stored, including expired keys the sweep has not removed yet.',
    registers: [registry],
    collect() {
      this.set(sources.keyCount());
    },
  });
  new Gauge({
    name: 'kvstore_storage_size_bytes',
    help: 'Bytes of the LMDB data file in use.',
    registers: [registry],
    collect() {
      this.set(sources.storageBytes());
    },
  });
  return { registry, requestDuration, requestsInFlight, operations, expiredKeys, authFailures };
}

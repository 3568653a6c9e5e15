import type { CommunicationObserver, SendOptions, Transport } from '@influxdata/influxdb-client';

export interface V1Target {
  db: string;
  rp: string | undefined;
}

const PRECISION_V1: Record<string, string> = { ns: 'n', us: 'u', ms: 'ms', s: 's' };

/**
 * Rewrites the client's `/api/v2/write?org&bucket&precision` into InfluxDB 1.x's
 * `/write?db&rp&precision`, so InfluxDB <= 1.7 (no v2 endpoint) gets the client's own
 * batching, gzip, retry and buffering unchanged. Everything else passes through.
 */
export class V1WriteTransport implements Transport {
  readonly chunkCombiner: Transport['chunkCombiner'];

  constructor(
    private readonly inner: Transport,
    private readonly target: V1Target,
  ) {
    this.chunkCombiner = inner.chunkCombiner;
  }

  rewrite(path: string): string {
    const url = new URL(path, 'http://placeholder');
    if (url.pathname !== '/api/v2/write') return path;
    const query = new URLSearchParams({ db: this.target.db });
    if (this.target.rp) query.set('rp', this.target.rp);
    const precision = url.searchParams.get('precision');
    if (precision) query.set('precision', PRECISION_V1[precision] ?? precision);
    return `/write?${query.toString()}`;
  }

  send(
    path: string,
    requestBody: string,
    options: SendOptions,
    callbacks?: Partial<CommunicationObserver<Uint8Array>>,
  ): void {
    this.inner.send(this.rewrite(path), requestBody, options, callbacks);
  }

  request(
    path: string,
    requestBody: unknown,
    options: SendOptions,
    responseStarted?: Parameters<Transport['request']>[3],
  ): Promise<unknown> {
    return this.inner.request(this.rewrite(path), requestBody, options, responseStarted);
  }

  iterate(path: string, requestBody: unknown, options: SendOptions): AsyncIterableIterator<Uint8Array> {
    return this.inner.iterate(this.rewrite(path), requestBody, options);
  }
}

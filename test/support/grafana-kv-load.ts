// Light, real load on a running kvstore over its HTTP API, for the dashboard proof: writes,
// reads, misses, deletes, conditional writes that fail, a bad token, and keys with short TTLs
// so that both the sweep (active) and reads of expired keys (lazy) remove keys.

/** What the load saw: responses by status, and requests that got no response at all. */
export interface KvLoadReport {
  requests: number;
  byStatus: Map<number, number>;
  /** Requests that failed without an HTTP answer (refused, reset): the service was down. */
  unanswered: string[];
}

export interface KvLoad {
  /** Stops after the current round and returns what the load saw. */
  stop(): Promise<KvLoadReport>;
}

export interface KvLoadOptions {
  baseUrl: string;
  token: string;
  /** Pause between rounds of about five requests (default 200 ms, so ~25 requests/s). */
  pauseMs?: number;
}

/** Seconds a TTL key lives: short, so that expirations happen within the test. */
const TTL_SECONDS = 1;
/** Rounds after a TTL key was written when the load reads it back (it is expired by then). */
const READ_EXPIRED_AFTER_ROUNDS = 8;
const HOT_KEYS = 40;

export function startKvLoad({ baseUrl, token, pauseMs = 200 }: KvLoadOptions): KvLoad {
  const report: KvLoadReport = { requests: 0, byStatus: new Map(), unanswered: [] };
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  let running = true;

  const send = async (method: string, key: string, init: RequestInit = {}): Promise<void> => {
    report.requests += 1;
    try {
      const response = await fetch(`${baseUrl}/api/kv/${encodeURIComponent(key)}`, {
        method,
        headers: auth,
        ...init,
      });
      await response.arrayBuffer();
      report.byStatus.set(response.status, (report.byStatus.get(response.status) ?? 0) + 1);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      report.unanswered.push(`${method} ${key}: ${(error as Error).message}${cause ? ` (${cause})` : ''}`);
    }
  };

  const loop = (async () => {
    for (let round = 0; running; round += 1) {
      const hot = `hot/${round % HOT_KEYS}`;
      await Promise.all([
        send('PUT', hot, { headers: json, body: JSON.stringify({ value: `value ${round}` }) }),
        send('GET', `hot/${(round * 7) % HOT_KEYS}`),
        send('PUT', `ttl/${round}`, {
          headers: json,
          body: JSON.stringify({ value: `expires ${round}`, ttl: TTL_SECONDS }),
        }),
      ]);
      // Reading a TTL key after its expiry: 404, and a lazy removal when the sweep was not first.
      if (round >= READ_EXPIRED_AFTER_ROUNDS) await send('GET', `ttl/${round - READ_EXPIRED_AFTER_ROUNDS}`);
      if (round % 5 === 0) await send('DELETE', `hot/${(round * 3) % HOT_KEYS}`);
      // A write whose If-Match names a version that never exists: 412.
      if (round % 10 === 0)
        await send('PUT', hot, { headers: { ...json, 'if-match': '"0"' }, body: '{"value":"x"}' });
      // A token the service never issued: 401.
      if (round % 10 === 5)
        await send('GET', hot, { headers: { authorization: 'Bearer not-a-token-of-this-service' } });
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}

// Light, real load on a running kvstore over its HTTP API, for the dashboard proof: writes,
// reads, misses, deletes, conditional writes that fail, a bad token, and keys with short TTLs
// so that both the sweep (active) and reads of expired keys (lazy) remove keys. A second load
// writes large values, for a kvstore whose disk is too small to hold them.

/** What the load saw: responses by status, and requests that got no response at all. */
export interface KvLoadReport {
  requests: number;
  byStatus: Map<number, number>;
  /** Requests that failed without an HTTP answer (refused, reset). */
  unanswered: string[];
}

export interface KvLoad {
  /** Stops after the current round and returns what the load saw. */
  stop(): Promise<KvLoadReport>;
}

export interface KvLoadOptions {
  baseUrl: string;
  token: string;
  /** Pause between rounds (default 200 ms; a mixed round is about five requests). */
  pauseMs?: number;
}

/** Seconds a TTL key lives: short, so that expirations happen within the test. */
const TTL_SECONDS = 1;
/** Rounds after a TTL key was written when the load reads it back (it is expired by then). */
const READ_EXPIRED_AFTER_ROUNDS = 8;
const HOT_KEYS = 40;

type Send = (method: string, key: string, init?: RequestInit) => Promise<void>;

/** Runs `round` until stopped, counting every answer by status. */
function runRounds(
  { baseUrl, token, pauseMs = 200 }: KvLoadOptions,
  round: (send: Send, json: Record<string, string>, n: number) => Promise<void>,
): KvLoad {
  const report: KvLoadReport = { requests: 0, byStatus: new Map(), unanswered: [] };
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  let running = true;

  const send: Send = async (method, key, init = {}) => {
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
    for (let n = 0; running; n += 1) {
      await round(send, json, n);
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

/** The everyday mix: about 20 requests/s with the default pause. */
export function startKvLoad(options: KvLoadOptions): KvLoad {
  return runRounds(options, async (send, json, round) => {
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
  });
}

/** Each round writes a new key holding `valueBytes` characters. */
export function startLargeWriteLoad(options: KvLoadOptions & { valueBytes: number }): KvLoad {
  const body = JSON.stringify({ value: 'x'.repeat(options.valueBytes) });
  return runRounds({ pauseMs: 500, ...options }, async (send, json, round) => {
    await send('PUT', `large/${round}`, { headers: json, body });
  });
}

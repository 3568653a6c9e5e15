// Key-value operations with versions, TTL and an expiry index. Every write is conditional on
// the version it was decided against (LMDB `ifVersion`), so a decision and its write are atomic
// even though the decision runs on the main thread and the commit on lmdb's writer thread.
import { HttpProblem } from '../http/problem.js';
import type { ExpiryKey, StoredEntry, Tables } from './database.js';
import { joinedWrite, observeCommitFailure } from './commit-failure.js';
import { expiresAtFor, isExpired, remainingTtl } from './validation.js';

export type Precondition = '*' | number[];

export interface WriteConditions {
  ifMatch?: Precondition | undefined;
  ifNoneMatch?: Precondition | undefined;
}

export interface EntryView {
  key: string;
  value: string;
  /** Seconds left, 0 = no expiry. */
  ttl: number;
  expiresAt: number;
  version: number;
}

export interface EntryMeta {
  key: string;
  ttl: number;
  expiresAt: number;
  version: number;
}

export interface ListPage {
  items: Array<EntryMeta & { value?: string }>;
  nextCursor: string | null;
}

export type ExpiryMode = 'lazy' | 'active';

export interface KvStoreOptions {
  now?: () => number;
  /** Called once per key actually removed because it expired. */
  onExpired?: (mode: ExpiryMode, count: number) => void;
}

interface CurrentEntry {
  entry: StoredEntry;
  version: number;
}

interface PendingWrite {
  state: CurrentEntry | undefined;
}

/** What a write decided to do with the current entry. */
type Decision<T> = { put: StoredEntry; result: (version: number) => T } | { remove: true; result: () => T };

const MAX_WRITE_ATTEMPTS = 100;
/** A list page looks at no more than this many entries beyond its limit (skipping expired ones). */
const LIST_SCAN_SLACK = 1000;

export class KvStore {
  readonly now: () => number;
  private readonly onExpired: (mode: ExpiryMode, count: number) => void;
  private sequence: number;
  /** Per key, the state its queued (uncommitted) writes will leave; see write(). */
  private readonly pending = new Map<string, PendingWrite>();

  constructor(
    private readonly tables: Tables,
    options: KvStoreOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onExpired = options.onExpired ?? (() => undefined);
    this.sequence = tables.meta.get('sequence') ?? 0;
  }

  /** The live entry, or undefined. An expired entry found here is removed in the background. */
  get(key: string): EntryView | undefined {
    const found = this.read(key);
    if (!found) return undefined;
    const now = this.now();
    if (isExpired(found.entry.e, now)) {
      // Best effort: if it fails (say, the store is closing) the sweep removes the key later.
      this.removeExpired(key, found, 'lazy').catch(() => undefined);
      return undefined;
    }
    return this.view(key, found, now);
  }

  async put(
    key: string,
    value: string,
    ttlSeconds: number,
    conditions: WriteConditions,
  ): Promise<{ created: boolean; meta: EntryMeta }> {
    return this.write(key, (live) => {
      checkConditions(live, conditions);
      const now = this.now();
      const entry: StoredEntry = { v: value, e: expiresAtFor(ttlSeconds, now) };
      return {
        put: entry,
        result: (version) => ({ created: live === undefined, meta: this.meta(key, entry, version, now) }),
      };
    });
  }

  /** Sets a new TTL (seconds > 0) or removes it (0). Missing key -> 404. */
  async touch(key: string, ttlSeconds: number, conditions: WriteConditions): Promise<EntryMeta> {
    return this.write(key, (live) => {
      if (!live) throw new HttpProblem(404, 'KEY_NOT_FOUND');
      checkConditions(live, conditions);
      const now = this.now();
      const entry: StoredEntry = { v: live.entry.v, e: expiresAtFor(ttlSeconds, now) };
      return { put: entry, result: (version) => this.meta(key, entry, version, now) };
    });
  }

  /** Removes a live key. Missing key -> 404. */
  async delete(key: string, conditions: WriteConditions): Promise<void> {
    await this.write(key, (live) => {
      if (!live) throw new HttpProblem(404, 'KEY_NOT_FOUND');
      checkConditions(live, conditions);
      return { remove: true, result: () => undefined };
    });
  }

  /**
   * One page of live keys in byte order, starting after `afterKey`. Reads at most
   * limit + 1 + LIST_SCAN_SLACK entries, never the whole table.
   */
  list(prefix: string, limit: number, afterKey: string | undefined, withValues: boolean): ListPage {
    const now = this.now();
    const start = afterKey !== undefined && afterKey > prefix ? afterKey : prefix;
    const items: ListPage['items'] = [];
    let scanned = 0;
    let lastScanned: string | undefined;
    for (const { key, value, version } of this.tables.kv.getRange({ start, versions: true })) {
      if (!key.startsWith(prefix)) return { items, nextCursor: null };
      if (key === afterKey) continue;
      scanned += 1;
      lastScanned = key;
      if (!value || version === undefined || isExpired(value.e, now)) {
        if (scanned > limit + LIST_SCAN_SLACK) break;
        continue;
      }
      if (items.length === limit) {
        // A further live key exists, so there is a next page.
        return { items, nextCursor: items[items.length - 1]?.key ?? null };
      }
      const meta = this.meta(key, value, version, now);
      items.push(withValues ? { ...meta, value: value.v } : meta);
      if (scanned > limit + LIST_SCAN_SLACK) break;
    }
    if (scanned > limit + LIST_SCAN_SLACK && lastScanned !== undefined) {
      // Too many expired entries in a row: hand back a short page and resume after them.
      return { items, nextCursor: lastScanned };
    }
    return { items, nextCursor: null };
  }

  /** Every live entry in key order, from one consistent snapshot. */
  *entries(): Generator<EntryView> {
    const now = this.now();
    for (const { key, value, version } of this.tables.kv.getRange({ versions: true, snapshot: true })) {
      if (!value || version === undefined || isExpired(value.e, now)) continue;
      yield this.view(key, { entry: value, version }, now);
    }
  }

  /** Writes many entries (already validated). Each is an unconditional put, as a PUT without headers. */
  async putMany(items: Array<{ key: string; value: string; ttl: number }>): Promise<number> {
    await Promise.all(items.map((item) => this.put(item.key, item.value, item.ttl, {})));
    return items.length;
  }

  /**
   * One step of the active expiry: removes up to `batch` due entries found through the expiry
   * index (sessions too). Returns how many index entries it consumed.
   */
  async sweepStep(batch: number, onSessionExpired?: (id: string) => void): Promise<number> {
    const now = this.now();
    const due = [...this.tables.expiry.getRange({ end: [now + 1] as unknown as ExpiryKey, limit: batch })];
    const pending: Array<Promise<unknown>> = [];
    for (const { key: indexKey } of due) {
      const [expiresAt, namespace, key] = indexKey;
      if (namespace === 's') {
        const session = this.tables.sessions.get(key);
        if (session && session.expiresAt === expiresAt) {
          pending.push(this.tables.sessions.remove(key));
          onSessionExpired?.(key);
        }
        pending.push(this.tables.expiry.remove(indexKey));
        continue;
      }
      const found = this.read(key);
      if (found && found.entry.e === expiresAt) pending.push(this.removeExpired(key, found, 'active'));
      else pending.push(this.tables.expiry.remove(indexKey)); // stale: the key was rewritten or removed
    }
    await Promise.all(pending);
    return due.length;
  }

  /** Number of stored keys, expired-but-not-yet-swept included. O(1): LMDB keeps the count. */
  keyCount(): number {
    return (this.tables.kv.getStats() as { entryCount: number }).entryCount;
  }

  /** Bytes of the data file in use: pages up to the last one written. */
  storageBytes(): number {
    const stats = this.tables.root.getStats() as { lastPageNumber?: number; pageSize?: number };
    return ((stats.lastPageNumber ?? 0) + 1) * (stats.pageSize ?? 4096);
  }

  private read(key: string): CurrentEntry | undefined {
    const found = this.tables.kv.getEntry(key);
    if (!found || found.value === undefined || found.version === undefined) return undefined;
    return { entry: found.value, version: found.version };
  }

  private view(key: string, found: CurrentEntry, now: number): EntryView {
    const { entry, version } = found;
    return { key, ttl: remainingTtl(entry.e, now), expiresAt: entry.e, version, value: entry.v };
  }

  private meta(key: string, entry: StoredEntry, version: number, now: number): EntryMeta {
    return { key, ttl: remainingTtl(entry.e, now), expiresAt: entry.e, version };
  }

  /** Removes an expired entry if it is still the same version; counts it once. */
  private async removeExpired(key: string, found: CurrentEntry, mode: ExpiryMode): Promise<void> {
    const { kv, expiry } = this.tables;
    // Writes inside a conditional write join its batch; the batch's promise is what is awaited.
    const removed = await kv.ifVersion(key, found.version, () => {
      joinedWrite(kv.remove(key));
      joinedWrite(expiry.remove([found.entry.e, 'k', key]));
    });
    if (removed) this.onExpired(mode, 1);
  }

  /**
   * Decides against the current entry and commits only if it is still the same version;
   * otherwise decides again on the fresh state. An expired entry counts as absent.
   *
   * "Current" is the state after the writes already queued for this key, not the last committed
   * one: writers to one hot key then chain their conditions (v1 -> v2 -> v3) inside one LMDB
   * batch instead of all racing for v1 and retrying once per commit. LMDB still checks every
   * condition at commit, so a chain built on a write that fails fails as a whole and retries.
   */
  private async write<T>(key: string, decide: (live: CurrentEntry | undefined) => Decision<T>): Promise<T> {
    const { kv, expiry, meta } = this.tables;
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const queued = this.pending.get(key);
      const current = queued ? queued.state : this.read(key);
      const live = current && !isExpired(current.entry.e, this.now()) ? current : undefined;
      const decision = decide(live);
      const version = 'put' in decision ? this.nextVersion() : 0;
      const mine: PendingWrite = { state: 'put' in decision ? { entry: decision.put, version } : undefined };
      this.pending.set(key, mine);
      let committed = false;
      try {
        // `null` asks LMDB for "no entry" (what ifNoExists uses).
        const expected = (current ? current.version : null) as number;
        committed = await kv.ifVersion(key, expected, () => {
          if (current && current.entry.e !== 0) joinedWrite(expiry.remove([current.entry.e, 'k', key]));
          if ('put' in decision) {
            joinedWrite(kv.put(key, decision.put, version));
            if (decision.put.e !== 0) joinedWrite(expiry.put([decision.put.e, 'k', key], 1));
            joinedWrite(meta.put('sequence', version));
          } else {
            joinedWrite(kv.remove(key));
          }
        });
      } catch (error) {
        // The request gets its 500 from this error; its underlying cause must not go unhandled.
        observeCommitFailure(error);
        throw error;
      } finally {
        // After a failure every queued state of this key derives from a broken chain: forget them.
        if (!committed || this.pending.get(key) === mine) this.pending.delete(key);
      }
      if (committed) {
        if (current && !live) this.onExpired('lazy', 1);
        return 'put' in decision ? decision.result(version) : decision.result();
      }
    }
    throw new HttpProblem(503, 'NOT_READY', 'too much contention on this key; retry');
  }

  private nextVersion(): number {
    this.sequence += 1;
    return this.sequence;
  }
}

function checkConditions(live: CurrentEntry | undefined, conditions: WriteConditions): void {
  const { ifMatch, ifNoneMatch } = conditions;
  if (ifMatch !== undefined) {
    const ok = live !== undefined && (ifMatch === '*' || ifMatch.includes(live.version));
    if (!ok) throw new HttpProblem(412, 'PRECONDITION_FAILED', 'If-Match does not match the current version');
  }
  if (ifNoneMatch !== undefined) {
    const failed = live !== undefined && (ifNoneMatch === '*' || ifNoneMatch.includes(live.version));
    if (failed)
      throw new HttpProblem(412, 'PRECONDITION_FAILED', 'If-None-Match matches the current version');
  }
}

export type { ExpiryKey };

// The one LMDB environment holding every table. LMDB is the design bbolt descends from: a
// copy-on-write B+tree in one memory-mapped file. lmdb-js batches the writes of an event turn
// into one transaction and resolves each write's promise once that transaction is flushed to
// disk, so "acknowledged" means "durable" without a fsync per request.
import { mkdirSync } from 'node:fs';
import { type Database, open, type RootDatabase } from 'lmdb';

/** A KV entry as stored: the value and its absolute expiry (epoch ms, 0 = never). */
export interface StoredEntry {
  v: string;
  e: number;
}

export interface UserRecord {
  passwordHash: string;
  role: Role;
  createdAt: number;
}

export interface SessionRecord {
  user: string;
  csrfToken: string;
  expiresAt: number;
}

export interface TokenRecord {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: number;
  createdBy: string;
}

/** admin: everything; editor: read and write keys; viewer: read keys. */
export type Role = 'admin' | 'editor' | 'viewer';
export type TokenScope = 'read' | 'write' | 'admin';

/** Expiry index key: [expiresAt ms, namespace, key]. Sorted by time, so due entries come first. */
export type ExpiryKey = [number, 'k' | 's', string];

export interface Tables {
  root: RootDatabase;
  /** key -> StoredEntry; the LMDB entry version is the key's version (its ETag). */
  kv: Database<StoredEntry, string>;
  expiry: Database<number, ExpiryKey>;
  meta: Database<number, string>;
  users: Database<UserRecord, string>;
  sessions: Database<SessionRecord, string>;
  /** sha256(token) in hex -> token record; the token itself is never stored. */
  tokens: Database<TokenRecord, string>;
}

export function openTables(dataDir: string): Tables {
  mkdirSync(dataDir, { recursive: true });
  // noSubdir: false always: lmdb-js otherwise guesses from the name, and takes a path with an
  // extension (/var/lib/kv.data, mktemp's /tmp/tmp.AbC123) for a database file, not a directory.
  const root = open({ path: dataDir, noSubdir: false, compression: false, maxDbs: 16 });
  return {
    root,
    kv: root.openDB<StoredEntry, string>({ name: 'kv', useVersions: true }),
    expiry: root.openDB<number, ExpiryKey>({ name: 'expiry' }),
    meta: root.openDB<number, string>({ name: 'meta' }),
    users: root.openDB<UserRecord, string>({ name: 'users' }),
    sessions: root.openDB<SessionRecord, string>({ name: 'sessions' }),
    tokens: root.openDB<TokenRecord, string>({ name: 'tokens' }),
  };
}

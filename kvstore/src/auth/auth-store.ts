// Users, sessions and API tokens, persisted in the same LMDB environment as the keys.
// Secrets (session ids, tokens) are stored only as SHA-256 digests.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role, SessionRecord, Tables, TokenRecord, TokenScope, UserRecord } from '../store/database.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.js';
import { joinedWrite } from '../store/commit-failure.js';

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

const TOKEN_CACHE_SIZE = 1000;

export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 12;

/** What an authenticated request may do, however it authenticated. */
export interface Principal {
  kind: 'token' | 'session' | 'admin-token';
  name: string;
  scope: TokenScope;
  /** Present for sessions: the CSRF token the console must echo on writes. */
  csrfToken?: string;
  sessionId?: string;
}

export function scopeOfRole(role: Role): TokenScope {
  return role === 'admin' ? 'admin' : role === 'editor' ? 'write' : 'read';
}

export class AuthStore {
  private readonly adminTokenDigest: Buffer | undefined;
  /** Valid tokens seen recently -> principal; cleared whenever a token is created or revoked. */
  private readonly tokenCache = new Map<string, Principal>();

  constructor(
    private readonly tables: Tables,
    private readonly options: {
      adminToken: string | undefined;
      sessionTtlSeconds: number;
      now: () => number;
    },
  ) {
    this.adminTokenDigest = options.adminToken
      ? createHash('sha256').update(options.adminToken).digest()
      : undefined;
  }

  /** Creates the user or resets its password and role: the environment is the source of truth. */
  async ensureUser(name: string, password: string, role: Role): Promise<void> {
    const existing = this.tables.users.get(name);
    const passwordHash = await hashPassword(password);
    await this.tables.users.put(name, {
      passwordHash,
      role,
      createdAt: existing?.createdAt ?? this.options.now(),
    });
  }

  /** Registers a new user; false when the name is taken. */
  async createUser(name: string, password: string, role: Role): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    const record: UserRecord = { passwordHash, role, createdAt: this.options.now() };
    return this.tables.users.ifNoExists(name, () => {
      // Inside a conditional write the put joins its batch; the batch's promise is awaited.
      joinedWrite(this.tables.users.put(name, record));
    });
  }

  async checkPassword(name: string, password: string): Promise<UserRecord | undefined> {
    const user = this.tables.users.get(name);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    return ok && user ? user : undefined;
  }

  async createSession(user: string): Promise<{ id: string; record: SessionRecord }> {
    const id = randomSecret();
    const record: SessionRecord = {
      user,
      csrfToken: randomSecret(),
      expiresAt: this.options.now() + this.options.sessionTtlSeconds * 1000,
    };
    const digest = sha256Hex(id);
    await Promise.all([
      this.tables.sessions.put(digest, record),
      this.tables.expiry.put([record.expiresAt, 's', digest], 1),
    ]);
    return { id, record };
  }

  /** The live session and its user, or undefined (expired, unknown, or user removed). */
  session(id: string): Principal | undefined {
    const digest = sha256Hex(id);
    const record = this.tables.sessions.get(digest);
    if (!record || record.expiresAt <= this.options.now()) return undefined;
    const user = this.tables.users.get(record.user);
    if (!user) return undefined;
    return {
      kind: 'session',
      name: record.user,
      scope: scopeOfRole(user.role),
      csrfToken: record.csrfToken,
      sessionId: id,
    };
  }

  async deleteSession(id: string): Promise<void> {
    const digest = sha256Hex(id);
    const record = this.tables.sessions.get(digest);
    if (!record) return;
    await Promise.all([
      this.tables.sessions.remove(digest),
      this.tables.expiry.remove([record.expiresAt, 's', digest]),
    ]);
  }

  /** The principal of a Bearer token, or undefined. Recent answers are cached (see tokenCache). */
  token(secret: string): Principal | undefined {
    const cached = this.tokenCache.get(secret);
    if (cached) return cached;
    const principal = this.lookupToken(secret);
    // Only hits are cached, so guessing cannot fill the cache; a full cache starts over.
    if (principal) {
      if (this.tokenCache.size >= TOKEN_CACHE_SIZE) this.tokenCache.clear();
      this.tokenCache.set(secret, principal);
    }
    return principal;
  }

  private lookupToken(secret: string): Principal | undefined {
    if (this.adminTokenDigest) {
      const digest = createHash('sha256').update(secret).digest();
      if (timingSafeEqual(digest, this.adminTokenDigest))
        return { kind: 'admin-token', name: 'admin-token', scope: 'admin' };
    }
    // Lookup by digest: comparing digests of random tokens leaks nothing useful through timing.
    const record = this.tables.tokens.get(sha256Hex(secret));
    return record ? { kind: 'token', name: record.name, scope: record.scope } : undefined;
  }

  async createToken(
    name: string,
    scope: TokenScope,
    createdBy: string,
  ): Promise<{ token: string; record: TokenRecord }> {
    const token = `kvt_${randomSecret()}`;
    const digest = sha256Hex(token);
    const record: TokenRecord = {
      id: digest.slice(0, 16),
      name,
      scope,
      createdAt: this.options.now(),
      createdBy,
    };
    await this.tables.tokens.put(digest, record);
    this.tokenCache.clear();
    return { token, record };
  }

  listTokens(): TokenRecord[] {
    // The token table is small (administrators create tokens by hand).
    return [...this.tables.tokens.getRange()].map(({ value }) => value);
  }

  async revokeToken(id: string): Promise<boolean> {
    for (const { key, value } of this.tables.tokens.getRange()) {
      if (value.id === id) {
        const removed = await this.tables.tokens.remove(key);
        this.tokenCache.clear();
        return removed;
      }
    }
    return false;
  }
}

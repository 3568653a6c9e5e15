// The key-value API under /api/kv, plus export and import for the console.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { AuthStore } from '../auth/auth-store.js';
import type { KvConfig } from '../config.js';
import type { EntryMeta, KvStore, WriteConditions } from '../store/kv-store.js';
import {
  decodeCursor,
  encodeCursor,
  formatEtag,
  MAX_KEY_BYTES,
  parseEtagList,
  validateKey,
  validateLimit,
  validateTtl,
  validateValue,
} from '../store/validation.js';
import { type AuthFailureCounter, authorize } from './auth-middleware.js';
import { HttpProblem } from './problem.js';

export type OperationCounter = (op: string, result: string) => void;

const KEY_ROUTE = '/api/kv/*key';

function keyOf(req: Request): string {
  const segments: unknown = req.params.key;
  const raw = Array.isArray(segments) ? segments.join('/') : segments;
  return validateKey(raw);
}

function conditionsOf(req: Request): WriteConditions {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  return {
    ifMatch: typeof ifMatch === 'string' ? parseEtagList(ifMatch) : undefined,
    ifNoneMatch: typeof ifNoneMatch === 'string' ? parseEtagList(ifNoneMatch) : undefined,
  };
}

/** res.json without Express's send() machinery (no ETag hashing, no freshness check): the hot path. */
function sendJson(res: Response, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function isoOrNull(expiresAt: number): string | null {
  return expiresAt === 0 ? null : new Date(expiresAt).toISOString();
}

function metaBody(meta: EntryMeta): Record<string, unknown> {
  return { key: meta.key, ttl: meta.ttl, expiresAt: isoOrNull(meta.expiresAt), version: meta.version };
}

function isJson(req: Request): boolean {
  return typeof req.is(['application/json', 'application/*+json']) === 'string';
}

/** The outcome label of an error for kvstore_operations_total. */
function resultOf(error: unknown): string {
  if (error instanceof HttpProblem) {
    if (error.status === 404) return 'not_found';
    if (error.status === 412) return 'precondition_failed';
    if (error.status < 500) return 'invalid';
  }
  return 'error';
}

export function registerKvRoutes(
  app: Express,
  deps: {
    config: KvConfig;
    store: KvStore;
    auth: AuthStore;
    countOperation: OperationCounter;
    countAuthFailure: AuthFailureCounter;
  },
): void {
  const { config, store, countOperation, countAuthFailure } = deps;
  const canRead = authorize(deps.auth, 'read', countAuthFailure);
  const canWrite = authorize(deps.auth, 'write', countAuthFailure);
  const jsonBody = express.json({
    limit: config.maxBodyBytes,
    type: ['application/json', 'application/*+json'],
  });
  const rawBody = express.raw({ limit: config.maxBodyBytes, type: () => true });
  const importBody = express.json({ limit: config.importMaxBytes, type: () => true });
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  /**
   * Runs a handler, counting its outcome, and turning thrown problems into responses. A
   * synchronous handler (GET) is counted at once: no promise and no microtask per request.
   */
  function tracked(op: string, handler: (req: Request, res: Response) => Promise<string> | string) {
    const failed = (error: unknown, next: NextFunction) => {
      countOperation(op, resultOf(error));
      next(error);
    };
    return (req: Request, res: Response, next: NextFunction) => {
      let outcome: Promise<string> | string;
      try {
        outcome = handler(req, res);
      } catch (error) {
        failed(error, next);
        return;
      }
      if (typeof outcome === 'string') countOperation(op, outcome);
      else
        outcome.then(
          (result) => countOperation(op, result),
          (error: unknown) => failed(error, next),
        );
    };
  }

  app.get(
    '/api/kv',
    canRead,
    tracked('list', (req, res) => {
      const { prefix = '', limit, cursor, values } = req.query;
      if (typeof prefix !== 'string' || Buffer.byteLength(prefix) > MAX_KEY_BYTES) {
        throw new HttpProblem(400, 'QUERY_INVALID', 'prefix must be one string of at most 512 bytes');
      }
      if (cursor !== undefined && typeof cursor !== 'string') throw new HttpProblem(400, 'CURSOR_INVALID');
      if (values !== undefined && values !== 'true' && values !== 'false') {
        throw new HttpProblem(400, 'QUERY_INVALID', 'values must be true or false');
      }
      const after = cursor ? decodeCursor(cursor) : undefined;
      const page = store.list(prefix, validateLimit(limit), after, values === 'true');
      res.json({
        items: page.items.map((item) =>
          item.value === undefined ? metaBody(item) : { ...metaBody(item), value: item.value },
        ),
        nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
      });
      return 'ok';
    }),
  );

  app.get(
    KEY_ROUTE,
    canRead,
    tracked('get', (req, res) => {
      const key = keyOf(req);
      const entry = store.get(key);
      if (!entry) throw new HttpProblem(404, 'KEY_NOT_FOUND');
      res.setHeader('ETag', formatEtag(entry.version));
      const ifNoneMatch = req.headers['if-none-match'];
      if (typeof ifNoneMatch === 'string') {
        const tags = parseEtagList(ifNoneMatch);
        if (tags === '*' || tags.includes(entry.version)) {
          res.status(304).end();
          return 'not_modified';
        }
      }
      sendJson(res, 200, {
        key: entry.key,
        ttl: entry.ttl,
        expiresAt: isoOrNull(entry.expiresAt),
        version: entry.version,
        value: entry.value,
      });
      return 'ok';
    }),
  );

  app.put(
    KEY_ROUTE,
    canWrite,
    (req, res, next) => (isJson(req) ? jsonBody(req, res, next) : rawBody(req, res, next)),
    tracked('put', async (req, res) => {
      const key = keyOf(req);
      let value: string;
      let ttl: number;
      if (isJson(req)) {
        const body: unknown = req.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body) || !('value' in body)) {
          throw new HttpProblem(400, 'BODY_INVALID', 'expected {"value": string, "ttl"?: seconds}');
        }
        const fields = body as { value: unknown; ttl?: unknown };
        value = validateValue(fields.value, config.maxValueBytes);
        ttl = validateTtl(fields.ttl ?? req.query.ttl);
      } else {
        const bytes: unknown = req.body;
        let text = '';
        if (Buffer.isBuffer(bytes)) {
          try {
            text = utf8.decode(bytes);
          } catch {
            throw new HttpProblem(400, 'VALUE_INVALID', 'a raw value must be UTF-8 text');
          }
        }
        value = validateValue(text, config.maxValueBytes);
        ttl = validateTtl(req.query.ttl);
      }
      const { created, meta } = await store.put(key, value, ttl, conditionsOf(req));
      res.setHeader('ETag', formatEtag(meta.version));
      sendJson(res, created ? 201 : 200, metaBody(meta));
      return created ? 'created' : 'updated';
    }),
  );

  app.patch(
    KEY_ROUTE,
    canWrite,
    jsonBody,
    tracked('patch', async (req, res) => {
      const key = keyOf(req);
      const body: unknown = req.body;
      let ttl: unknown = req.query.ttl;
      if (isJson(req)) {
        if (typeof body !== 'object' || body === null || Array.isArray(body) || !('ttl' in body)) {
          throw new HttpProblem(400, 'BODY_INVALID', 'expected {"ttl": seconds}; 0 or null removes the TTL');
        }
        ttl = (body as { ttl: unknown }).ttl ?? 0;
      } else if (ttl === undefined) {
        throw new HttpProblem(400, 'TTL_INVALID', 'give {"ttl": seconds} or ?ttl=');
      }
      const meta = await store.touch(key, validateTtl(ttl), conditionsOf(req));
      res.setHeader('ETag', formatEtag(meta.version));
      res.json(metaBody(meta));
      return 'ok';
    }),
  );

  app.delete(
    KEY_ROUTE,
    canWrite,
    tracked('delete', async (req, res) => {
      await store.delete(keyOf(req), conditionsOf(req));
      res.status(204).end();
      return 'ok';
    }),
  );

  app.get(
    '/api/export',
    canRead,
    tracked('export', async (_req, res) => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="kvstore-export.json"');
      res.write(
        `{"format":"kvstore-export","version":1,"exportedAt":${JSON.stringify(new Date().toISOString())},"items":[`,
      );
      let first = true;
      for (const entry of store.entries()) {
        const chunk = JSON.stringify({ key: entry.key, value: entry.value, ttl: entry.ttl });
        const ok = res.write(first ? chunk : `,${chunk}`);
        first = false;
        if (!ok) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end(']}');
      return 'ok';
    }),
  );

  app.post(
    '/api/import',
    canWrite,
    importBody,
    tracked('import', async (req, res) => {
      const body: unknown = req.body;
      const items: unknown =
        typeof body === 'object' && body !== null ? (body as { items?: unknown }).items : undefined;
      if (!Array.isArray(items))
        throw new HttpProblem(400, 'BODY_INVALID', 'expected {"items": [{"key", "value", "ttl"}]}');
      const valid: Array<{ key: string; value: string; ttl: number }> = [];
      const errors: Array<{ index: number; code: string; detail?: string }> = [];
      items.forEach((item: unknown, index) => {
        try {
          if (typeof item !== 'object' || item === null)
            throw new HttpProblem(400, 'BODY_INVALID', 'item is not an object');
          const fields = item as { key?: unknown; value?: unknown; ttl?: unknown };
          valid.push({
            key: validateKey(fields.key),
            value: validateValue(fields.value, config.maxValueBytes),
            ttl: validateTtl(fields.ttl),
          });
        } catch (error) {
          if (!(error instanceof HttpProblem)) throw error;
          if (errors.length < 20) errors.push({ index, code: error.code, detail: error.detail });
        }
      });
      // All or nothing at validation: a bad item rejects the whole document before any write.
      if (errors.length > 0) throw new HttpProblem(400, 'BODY_INVALID', 'some items are invalid', { errors });
      const imported = await store.putMany(valid);
      res.json({ imported });
      return 'ok';
    }),
  );
}

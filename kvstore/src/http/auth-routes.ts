// Console login, logout, session introspection, optional registration, and API tokens.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type AuthStore, MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from '../auth/auth-store.js';
import type { KvConfig } from '../config.js';
import type { TokenScope } from '../store/database.js';
import { type AuthFailureCounter, authenticate, requireScope } from './auth-middleware.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { HttpProblem } from './problem.js';

type Handler = (req: Request, res: Response) => Promise<void> | void;

function wrap(handler: Handler) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res);
    } catch (error) {
      next(error);
    }
  };
}

function credentials(body: unknown): { username: string; password: string } {
  if (typeof body !== 'object' || body === null) throw new HttpProblem(400, 'BODY_INVALID');
  const { username, password } = body as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || typeof password !== 'string' || password.length > 1024) {
    throw new HttpProblem(400, 'BODY_INVALID', 'expected {"username": string, "password": string}');
  }
  return { username, password };
}

export function registerAuthRoutes(
  app: Express,
  deps: { config: KvConfig; auth: AuthStore; countAuthFailure: AuthFailureCounter },
): void {
  const { config, auth, countAuthFailure } = deps;
  const json = express.json({ limit: 16_384, type: () => true });
  const authenticated = authenticate(auth, countAuthFailure);
  const isAdmin = requireScope('admin', countAuthFailure);

  const startSession = async (res: Response, username: string): Promise<void> => {
    const { id, record } = await auth.createSession(username);
    res.setHeader('Set-Cookie', sessionCookie(id, config.sessionTtlSeconds, config.cookieSecure));
    const user = auth.session(id);
    res.json({
      user: username,
      scope: user?.scope ?? 'read',
      csrfToken: record.csrfToken,
      expiresAt: new Date(record.expiresAt).toISOString(),
    });
  };

  app.post(
    '/api/auth/login',
    json,
    wrap(async (req, res) => {
      const { username, password } = credentials(req.body);
      const user = await auth.checkPassword(username, password);
      if (!user) {
        countAuthFailure('bad_password');
        throw new HttpProblem(
          401,
          'LOGIN_FAILED',
          undefined,
          {},
          { 'WWW-Authenticate': 'Bearer realm="kvstore"' },
        );
      }
      await startSession(res, username);
    }),
  );

  app.post(
    '/api/auth/register',
    json,
    wrap(async (req, res) => {
      if (config.registration !== 'open') throw new HttpProblem(403, 'REGISTRATION_CLOSED');
      const { username, password } = credentials(req.body);
      if (!USERNAME_PATTERN.test(username)) {
        throw new HttpProblem(400, 'BODY_INVALID', 'username: 1-64 of A-Z a-z 0-9 . _ -');
      }
      if (password.length < MIN_PASSWORD_LENGTH) {
        throw new HttpProblem(400, 'BODY_INVALID', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
      }
      if (!(await auth.createUser(username, password, 'editor'))) throw new HttpProblem(409, 'USER_EXISTS');
      res.status(201);
      await startSession(res, username);
    }),
  );

  app.get(
    '/api/auth/session',
    authenticated,
    wrap((req, res) => {
      const principal = req.principal;
      if (!principal) throw new HttpProblem(401, 'UNAUTHORIZED');
      res.json({
        user: principal.name,
        scope: principal.scope,
        kind: principal.kind,
        csrfToken: principal.csrfToken ?? null,
      });
    }),
  );

  app.post(
    '/api/auth/logout',
    authenticated,
    wrap(async (req, res) => {
      const id = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (id && req.principal?.kind === 'session') await auth.deleteSession(id);
      res.setHeader('Set-Cookie', clearedSessionCookie(config.cookieSecure));
      res.status(204).end();
    }),
  );

  app.get(
    '/api/auth/tokens',
    authenticated,
    isAdmin,
    wrap((_req, res) => {
      res.json({
        items: auth.listTokens().map((t) => ({ ...t, createdAt: new Date(t.createdAt).toISOString() })),
      });
    }),
  );

  app.post(
    '/api/auth/tokens',
    authenticated,
    isAdmin,
    json,
    wrap(async (req, res) => {
      const body = req.body as { name?: unknown; scope?: unknown } | undefined;
      const name = body?.name;
      const scope = body?.scope;
      if (typeof name !== 'string' || name.length === 0 || name.length > 128) {
        throw new HttpProblem(400, 'BODY_INVALID', 'name: 1-128 characters');
      }
      if (scope !== 'read' && scope !== 'write' && scope !== 'admin') {
        throw new HttpProblem(400, 'BODY_INVALID', 'scope: read, write or admin');
      }
      const { token, record } = await auth.createToken(
        name,
        scope as TokenScope,
        req.principal?.name ?? 'unknown',
      );
      // The token is shown once; only its digest is stored.
      res.status(201).json({ token, id: record.id, name: record.name, scope: record.scope });
    }),
  );

  app.delete(
    '/api/auth/tokens/:id',
    authenticated,
    isAdmin,
    wrap(async (req, res) => {
      const id = req.params.id;
      if (typeof id !== 'string' || !(await auth.revokeToken(id)))
        throw new HttpProblem(404, 'TOKEN_NOT_FOUND');
      res.status(204).end();
    }),
  );
}

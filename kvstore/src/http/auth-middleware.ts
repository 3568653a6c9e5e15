// Who is calling, and may they? Bearer tokens for programs, a session cookie plus a CSRF token
// for the console. An unauthenticated call gets 401 with WWW-Authenticate, never a redirect.
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthStore, Principal } from '../auth/auth-store.js';
import type { TokenScope } from '../store/database.js';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import { HttpProblem } from './problem.js';

export const CSRF_HEADER = 'x-csrf-token';
const CHALLENGE = 'Bearer realm="kvstore"';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SCOPE_RANK: Record<TokenScope, number> = { read: 1, write: 2, admin: 3 };

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export type AuthFailureCounter = (reason: string) => void;

function unauthorized(reason: string, countFailure: AuthFailureCounter, error?: string): HttpProblem {
  countFailure(reason);
  const challenge = error ? `${CHALLENGE}, error="${error}"` : CHALLENGE;
  return new HttpProblem(401, 'UNAUTHORIZED', undefined, {}, { 'WWW-Authenticate': challenge });
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The caller's principal from a Bearer token or the session cookie, or the problem to answer. */
function principalOf(
  req: Request,
  auth: AuthStore,
  countFailure: AuthFailureCounter,
): Principal | HttpProblem {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+([\x21-\x7e]{1,512})\s*$/i.exec(header);
    const principal = match?.[1] ? auth.token(match[1]) : undefined;
    return principal ?? unauthorized('invalid_token', countFailure, 'invalid_token');
  }
  const sessionId = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (!sessionId) return unauthorized('missing_credentials', countFailure);
  const principal = auth.session(sessionId);
  if (!principal) return unauthorized('invalid_session', countFailure);
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    const fetchSite = req.headers['sec-fetch-site'];
    if (
      typeof sent !== 'string' ||
      !principal.csrfToken ||
      !sameSecret(sent, principal.csrfToken) ||
      fetchSite === 'cross-site'
    ) {
      countFailure('csrf');
      return new HttpProblem(403, 'CSRF_FAILED');
    }
  }
  return principal;
}

function lacksScope(principal: Principal, needed: TokenScope, countFailure: AuthFailureCounter): boolean {
  if (SCOPE_RANK[principal.scope] >= SCOPE_RANK[needed]) return false;
  countFailure('forbidden');
  return true;
}

function forbidden(needed: TokenScope): HttpProblem {
  return new HttpProblem(403, 'FORBIDDEN', `this needs the ${needed} scope`);
}

/** Resolves req.principal from a Bearer token or the session cookie; 401 when neither is valid. */
export function authenticate(auth: AuthStore, countFailure: AuthFailureCounter): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const found = principalOf(req, auth, countFailure);
    if (found instanceof HttpProblem) return next(found);
    req.principal = found;
    return next();
  };
}

/**
 * authenticate and requireScope in one handler, for the key routes: every handler of a route
 * is one more router dispatch on the hot path.
 */
export function authorize(
  auth: AuthStore,
  needed: TokenScope,
  countFailure: AuthFailureCounter,
): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const found = principalOf(req, auth, countFailure);
    if (found instanceof HttpProblem) return next(found);
    if (lacksScope(found, needed, countFailure)) return next(forbidden(needed));
    req.principal = found;
    return next();
  };
}

/** 403 unless the principal's scope reaches `needed` (read < write < admin). */
export function requireScope(needed: TokenScope, countFailure: AuthFailureCounter): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const principal = req.principal;
    if (!principal) return next(unauthorized('missing_credentials', countFailure));
    if (lacksScope(principal, needed, countFailure)) return next(forbidden(needed));
    return next();
  };
}

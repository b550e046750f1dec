/**
 * Dashboard sessions: the `dmp_session` cookie resolved into an operator principal, and the CSRF
 * check every state change made with that cookie must pass.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { parse } from 'hono/utils/cookie';
import type { Store } from '../../db/client.ts';
import { findActiveSession, type NewSession } from '../../db/stores/operators.ts';
import type { SessionResolver } from '../http/auth.ts';
import type { Principal } from '../http/principal.ts';
import { ApiError } from '../http/errors.ts';
import type { AppEnv } from '../http/router.ts';

export const sessionCookie = 'dmp_session';
export const csrfHeader = 'X-CSRF-Token';
export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

/** Only this hash of a cookie value is stored, so a leaked table opens no session. */
export const hashSessionId = (id: string) => createHash('sha256').update(id).digest('hex');

/** A fresh session: the cookie value to hand out once, and the row to store. */
export function newSession(operatorId: string, now: number): { cookieValue: string; row: NewSession } {
  const cookieValue = randomBytes(32).toString('base64url');
  return {
    cookieValue,
    row: {
      idHash: hashSessionId(cookieValue), operatorId, csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now, expiresAt: now + sessionLifetimeMs,
    },
  };
}

/** The session cookie's value in a `Cookie` header, if any. */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader, sessionCookie)[sessionCookie] || undefined;
}

/**
 * Resolves `dmp_session` into the operator's principal: unknown, expired sessions and disabled
 * operators resolve to nobody. Role and status are read on every request, so a change by an
 * admin applies at once.
 * @example app.use('/v1/*', authenticate(store.db, new TokenCache(), sessionResolver(store)))
 */
export function sessionResolver(store: Store): SessionResolver {
  return async (cookieHeader, now) => {
    const value = readSessionCookie(cookieHeader);
    if (!value) return null;
    const session = await findActiveSession(store.db, hashSessionId(value), now);
    if (!session) return null;
    const { operator } = session;
    const principal: Principal = {
      kind: 'operator', id: operator.id, name: operator.username, role: operator.role, scopes: [], csrfToken: session.csrfToken,
    };
    return principal;
  };
}

const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD' || method === 'OPTIONS';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares through fixed-length digests, so neither length nor content leaks through timing. */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Refuses (403 `csrf`) a state change made with a session cookie unless it echoes the session's
 * token in `X-CSRF-Token`. A cookie is an ambient credential a browser attaches to cross-site
 * requests; a bearer token is not, so token calls are exempt. Mount it after `authenticate`.
 * @example app.use('/v1/*', csrfProtection())
 */
export function csrfProtection() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get('principal') as Principal | undefined;
    if (principal?.kind === 'operator' && !isSafeMethod(c.req.method)) {
      const given = c.req.header(csrfHeader);
      if (!given || !principal.csrfToken || !sameToken(given, principal.csrfToken)) {
        throw new ApiError(403, 'csrf', `a state change with a session needs its token in ${csrfHeader}`, `headers.${csrfHeader}`);
      }
    }
    await next();
  });
}

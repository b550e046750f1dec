/** Bearer-token authentication and scope checks. `admin` holds every scope. */
import { createMiddleware } from 'hono/factory';
import type { Executor } from '../../db/client.ts';
import { findTokenBySecret, type Scope, type TokenInfo } from '../../db/stores/tokens.ts';
import { ApiError } from './errors.ts';

const bearer = /^Bearer\s+(\S+)$/i;

/** Resolves the caller's token into `c.var.token`; refuses a missing or unknown one with 401. */
export function authenticate(db: Executor) {
  // Token lookups happen on every request, so known secrets are cached for a short while.
  const cache = new Map<string, { token: TokenInfo; until: number }>();
  return createMiddleware<{ Variables: { token: TokenInfo } }>(async (c, next) => {
    const match = bearer.exec(c.req.header('authorization') ?? '');
    if (!match) throw new ApiError(401, 'unauthorized', 'a bearer token is required', 'headers.Authorization');
    const secret = match[1];
    const now = Date.now();
    let cached = cache.get(secret);
    if (!cached || cached.until < now) {
      const token = await findTokenBySecret(db, secret);
      if (!token) throw new ApiError(401, 'unauthorized', 'unknown or revoked token', 'headers.Authorization');
      cached = { token, until: now + 5_000 };
      cache.set(secret, cached);
    }
    c.set('token', cached.token);
    await next();
  });
}

export function hasScope(token: TokenInfo, scope: Scope): boolean {
  return token.scopes.includes('admin') || token.scopes.includes(scope);
}

/** Refuses with 403 unless the authenticated token carries `scope`. */
export function requireScope(scope: Scope) {
  return createMiddleware<{ Variables: { token: TokenInfo } }>(async (c, next) => {
    if (!hasScope(c.get('token'), scope)) {
      throw new ApiError(403, 'forbidden', `this token lacks the "${scope}" scope`, 'headers.Authorization');
    }
    await next();
  });
}

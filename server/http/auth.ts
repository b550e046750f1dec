/**
 * Who is calling, and what they may do. Services authenticate with bearer tokens carrying scopes
 * (`decide`, `graph`, `admin`, and `dm.write` / `dm.read` for the X API v2 surface); operators of the dashboard with a session cookie and a role
 * (`viewer` < `editor` < `publisher` < `admin`). A token with the `admin` scope acts as an admin.
 */
import { createMiddleware } from 'hono/factory';
import type { Executor } from '../../db/client.ts';
import { findTokenBySecret, type Scope } from '../../db/stores/tokens.ts';
import { ApiError } from './errors.ts';
import type { TokenCache } from './token-cache.ts';

export type Role = 'viewer' | 'editor' | 'publisher' | 'admin';
export const roles: readonly Role[] = ['viewer', 'editor', 'publisher', 'admin'];

export interface Principal {
  kind: 'token' | 'operator';
  id: string;
  /** How the principal appears in audit entries: `token:<name>` or the operator's username. */
  name: string;
  scopes: Scope[];
  role: Role | null;
  /** A token's user (the X API v2 surface sends as them) and app; absent for operators and service tokens. */
  userId?: string | null;
  appId?: string | null;
  /** Set for cookie sessions: state changes must echo it in `X-CSRF-Token`. */
  csrfToken?: string;
}

/** Resolves a session cookie into an operator principal; installed by the operator-auth module. */
export type SessionResolver = (cookieHeader: string | undefined, now: number) => Promise<Principal | null>;

const bearer = /^Bearer\s+(\S+)$/i;

/** The only /v1 paths reachable without credentials: signing in is how an operator gets one. */
export const publicPaths: ReadonlySet<string> = new Set(['/v1/auth/login']);

/**
 * Resolves the caller into `c.var.principal`; refuses a missing or unknown credential with 401.
 * `tokens` keeps bearer-token lookups briefly (server/http/token-cache.ts).
 */
export function authenticate(db: Executor, tokens: TokenCache, sessions?: SessionResolver) {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    if (publicPaths.has(c.req.path)) return next();
    const header = c.req.header('authorization');
    if (header === undefined && sessions) {
      const principal = await sessions(c.req.header('cookie'), Date.now());
      if (principal) {
        c.set('principal', principal);
        return next();
      }
    }
    const match = bearer.exec(header ?? '');
    if (!match) throw new ApiError(401, 'unauthorized', 'a bearer token or a session is required', 'headers.Authorization');
    const secret = match[1];
    const now = Date.now();
    let principal = tokens.get(secret, now);
    if (!principal) {
      const token = await findTokenBySecret(db, secret);
      if (!token) throw new ApiError(401, 'unauthorized', 'unknown or revoked token', 'headers.Authorization');
      principal = {
        kind: 'token', id: token.id, name: `token:${token.name}`, scopes: token.scopes, role: token.scopes.includes('admin') ? 'admin' : null,
        userId: token.userId, appId: token.appId,
      };
      tokens.set(secret, principal, now);
    }
    c.set('principal', principal);
    await next();
  });
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

export function hasRole(principal: Principal, role: Role): boolean {
  return principal.role !== null && roles.indexOf(principal.role) >= roles.indexOf(role);
}

const forbidden = (what: string) => new ApiError(403, 'forbidden', what, 'headers.Authorization');

/** Refuses with 403 unless the caller's token carries `scope`. */
export function requireScope(scope: Scope) {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    if (!hasScope(c.get('principal'), scope)) throw forbidden(`this credential lacks the "${scope}" scope`);
    await next();
  });
}

/** Refuses with 403 unless the caller holds `role` or a higher one. */
export function requireRole(role: Role) {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    if (!hasRole(c.get('principal'), role)) throw forbidden(`this needs the "${role}" role`);
    await next();
  });
}

/** Either: a service token with `scope`, or an operator with `role` (e.g. the simulator's dry runs). */
export function requireScopeOrRole(scope: Scope, role: Role) {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    const p = c.get('principal');
    if (!hasScope(p, scope) && !hasRole(p, role)) throw forbidden(`this needs the "${scope}" scope or the "${role}" role`);
    await next();
  });
}

/**
 * Who is calling, and what they may do. Services authenticate with bearer tokens carrying scopes
 * (`decide`, `graph`, `admin`, and `dm.write` / `dm.read` for the X API v2 surface); operators of the dashboard with a session cookie and a role
 * (`viewer` < `editor` < `publisher` < `admin`). A token with the `admin` scope acts as an admin.
 */
import { createMiddleware } from 'hono/factory';
import type { Executor } from '../../db/executor.ts';
import { findTokenBySecret, type Scope } from '../../db/stores/tokens.ts';
import { ApiError } from './errors.ts';
import { accessOf, type Access } from './route-access.ts';
import type { TokenCache } from './token-cache.ts';
import { roles, type Principal, type Role } from './principal.ts';

/** Resolves a session cookie into an operator principal; installed by the operator-auth module. */
export type SessionResolver = (cookieHeader: string | undefined, now: number) => Promise<Principal | null>;

const bearer = /^Bearer\s+(\S+)$/i;

/** The secret of an `Authorization: Bearer …` header, or null. */
export const bearerSecret = (header: string | undefined): string | null => bearer.exec(header ?? '')?.[1] ?? null;

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message, 'headers.Authorization');

/**
 * Resolves the caller into `c.var.principal`; refuses a missing or unknown credential with 401,
 * except on the routes the route table makes public. `tokens` keeps bearer-token lookups briefly
 * (server/http/token-cache.ts).
 */
export function authenticate(db: Executor, tokens: TokenCache, sessions?: SessionResolver) {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    if (accessOf(c) === 'public') return next();
    const header = c.req.header('authorization');
    if (header === undefined && sessions) {
      const principal = await sessions(c.req.header('cookie'), Date.now());
      if (principal) {
        c.set('principal', principal);
        return next();
      }
    }
    const secret = bearerSecret(header);
    if (secret === null) throw unauthorized(sessions ? 'a bearer token or a session is required' : 'a bearer token is required');
    const now = Date.now();
    let principal = tokens.get(secret, now);
    if (!principal) {
      const token = await findTokenBySecret(db, secret);
      if (!token) throw unauthorized('unknown or revoked token');
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

function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

function hasRole(principal: Principal, role: Role): boolean {
  return principal.role !== null && roles.indexOf(principal.role) >= roles.indexOf(role);
}

const forbidden = (what: string) => new ApiError(403, 'forbidden', what, 'headers.Authorization');

export type Requirement = Exclude<Access, 'public' | 'signed-in'>;

/** Whether `principal` meets a route's role-or-scope line of the route table. */
export function allows(access: Requirement, principal: Principal): boolean {
  return (access.role !== undefined && hasRole(principal, access.role)) || (access.scope !== undefined && hasScope(principal, access.scope));
}

function refusal(access: Requirement): string {
  if (access.role && access.scope) return `this needs the "${access.scope}" scope or the "${access.role}" role`;
  return access.role ? `this needs the "${access.role}" role` : `this credential lacks the "${access.scope}" scope`;
}

/**
 * The access check of every route: applies the route's line of server/http/route-access.ts to the
 * caller that `authenticate` resolved (401 without one, 403 when the line refuses it).
 * @example app.use('*', authorize())  // after authenticate and csrfProtection
 */
export function authorize() {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    const access = accessOf(c);
    if (access === null || access === 'public') return next();
    const principal = c.get('principal') as Principal | undefined;
    if (!principal) throw unauthorized('a bearer token or a session is required');
    if (access !== 'signed-in' && !allows(access, principal)) throw forbidden(refusal(access));
    await next();
  });
}

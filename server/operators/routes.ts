/**
 * Operator accounts and the dashboard's sign-in (`/auth/*`), and the admin's management of
 * operators and bearer tokens. Every change to an operator or a token is audited.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { setCookie } from 'hono/cookie';
import { appendAudit } from '../../db/stores/audit.ts';
import {
  countOtherEnabledAdmins, deleteExpiredSessions, deleteSession, deleteSessionsOf, findOperatorCredentials, getOperator, getToken,
  insertOperator, insertSession, listOperators, listTokens, revokeToken, updateOperator,
  type Operator, type OperatorChange, type TokenRecord,
} from '../../db/stores/operators.ts';
import { insertToken, newSecret, scopes as scopeNames } from '../../db/stores/tokens.ts';
import { AccountId } from '../decisions/request.ts';
import { XUserId } from '../xapi/ids.ts';
import type { AppDeps } from '../deps.ts';
import { roles } from '../http/principal.ts';
import { ApiError } from '../http/errors.ts';
import type { TokenCache } from '../http/token-cache.ts';
import { bearerSecurity, errorResponses, newRouter } from '../http/router.ts';
import { json, body, errorOf, iso } from '../http/responses.ts';

type Router = ReturnType<typeof newRouter>;
import { LoginThrottle } from './login-throttle.ts';
import { decoyHash, generatePassword, hashPassword, maxPasswordLength, minPasswordLength, verifyPassword } from './passwords.ts';
import { hashSessionId, newSession, readSessionCookie, sessionCookie, sessionLifetimeMs } from './sessions.ts';

const Role = z.enum(roles).openapi({ description: 'viewer (read) < editor (drafts) < publisher (publish, rollback, experiments) < admin (operators, tokens)' });
const Scope = z.enum(scopeNames);
const Time = z.string().openapi({ format: 'date-time' });

const Username = z.string()
  .min(1, 'a username has at least 1 character')
  .max(64, 'a username has at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9_.@-]*$/, 'a username is lowercase a-z 0-9 and _ . @ -, starting with a letter or digit')
  .openapi({ example: 'alice' });
const NewPassword = z.string()
  .min(minPasswordLength, `a password has at least ${minPasswordLength} characters`)
  .max(maxPasswordLength, `a password has at most ${maxPasswordLength} characters`);

const OperatorSummary = z.object({ id: z.string(), username: z.string(), role: Role }).openapi('OperatorSummary');
const OperatorSchema = OperatorSummary.extend({ disabled: z.boolean(), createdAt: Time, disabledAt: Time.nullable() }).openapi('Operator');
const TokenSchema = z.object({
  id: z.string(), name: z.string(), scopes: z.array(Scope),
  userId: z.string().nullable().openapi({ description: 'The user the token acts for on the X API v2 surface; null for a service or app-only token' }),
  appId: z.string().nullable().openapi({ description: 'The app the token belongs to; null for a service token' }),
  createdAt: Time, revokedAt: Time.nullable(),
}).openapi('Token');

const summaryJson = (o: Operator) => ({ id: o.id, username: o.username, role: o.role });
const operatorJson = (o: Operator) => ({ ...summaryJson(o), disabled: o.disabledAt !== null, createdAt: iso(o.createdAt)!, disabledAt: iso(o.disabledAt) });
const tokenJson = (t: TokenRecord) => ({
  id: t.id, name: t.name, scopes: t.scopes, userId: t.userId, appId: t.appId, createdAt: iso(t.createdAt)!, revokedAt: iso(t.revokedAt),
});

const dmScopes: ReadonlySet<string> = new Set(['dm.write', 'dm.read']);

/** A token for the X API v2 surface belongs to an app, and a user token to a user of that app. */
const NewToken = z.object({
  name: z.string().min(1, 'a name has at least 1 character').max(64, 'a name has at most 64 characters').openapi({ example: 'messaging-backend' }),
  scopes: z.array(Scope).min(1, 'a token needs at least one scope').max(scopeNames.length)
    .refine((s) => new Set(s).size === s.length, { message: 'a scope is listed twice' }),
  userId: XUserId.optional().openapi({ description: 'The user the token acts for (X API v2 user context); needs appId' }),
  appId: AccountId.optional().openapi({ description: 'The app the token belongs to; without userId the token is app-only', example: 'app7' }),
}).strict().superRefine((t, ctx) => {
  if (t.userId !== undefined && t.appId === undefined) ctx.addIssue({ code: 'custom', path: ['appId'], message: 'a user token belongs to an app: give appId' });
  if (t.appId === undefined && t.scopes.some((s) => dmScopes.has(s))) {
    ctx.addIssue({ code: 'custom', path: ['appId'], message: 'the dm.write and dm.read scopes are for app tokens: give appId (and userId for a user token)' });
  }
}).openapi('NewToken');

const IdParam = z.object({ id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }) });

const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'unknown username or wrong password', 'body');
const notFound = (what: string) => new ApiError(404, 'not_found', `no ${what} with this id`, 'params.id');

/** A request that reached the service over TLS, directly or through a proxy that says so. */
function overHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return new URL(c.req.url).protocol === 'https:' || forwarded === 'https';
}

/** Sets (or, with `maxAgeSeconds` 0, clears) the session cookie: HttpOnly, SameSite=Strict, Secure over https. */
function writeSessionCookie(c: Context, value: string, maxAgeSeconds: number) {
  setCookie(c, sessionCookie, value, { httpOnly: true, sameSite: 'Strict', path: '/', maxAge: maxAgeSeconds, secure: overHttps(c) });
}

/**
 * The peer's address. Behind a proxy every client shares the proxy's address, so the per-address
 * limit then counts them together (a forwarded-for header is not trusted: anyone can send one).
 */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (app.request in-process)
  }
}

function mountAuth(router: Router, deps: AppDeps) {
  const { store } = deps;
  const tags = ['auth'];
  const throttle = new LoginThrottle();

  router.openapi(createRoute({
    method: 'post', path: '/auth/login', tags, security: [],
    summary: 'Sign in an operator',
    description: 'Sets the `dmp_session` cookie (HttpOnly, SameSite=Strict, 12 h) and returns the CSRF token that every state change made with the cookie must carry in `X-CSRF-Token`.',
    request: { body: body(z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(maxPasswordLength) }).strict().openapi('Login')) },
    responses: {
      200: json(z.object({ operator: OperatorSummary, csrfToken: z.string() }).openapi('Session'), 'Signed in'),
      400: errorOf('Malformed request'),
      401: errorOf('Unknown username, wrong password or disabled operator (one answer for all three)'),
      429: errorOf('Too many failed sign-ins for this username from this address (5 in 15 minutes) or from this address (20); `Retry-After` says when to try again'),
    },
  }), async (c) => {
    const { username, password } = c.req.valid('json');
    const address = clientAddress(c);
    const wait = throttle.retryAfterSeconds(username, address, Date.now());
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw new ApiError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${wait} s`, null, { retryAfterSeconds: wait });
    }
    throttle.attempted(username, address, Date.now());
    const operator = await findOperatorCredentials(store.db, username);
    // An unknown username costs the same scrypt work as a wrong password: timing tells nothing.
    const matches = await verifyPassword(password, operator?.passwordHash ?? await decoyHash());
    if (!operator || !matches || operator.disabledAt !== null) throw invalidCredentials();
    // Session times follow the server clock, as the resolver does, never a simulated one.
    const now = Date.now();
    throttle.succeeded(username, address, now);
    const session = newSession(operator.id, now);
    const previous = readSessionCookie(c.req.header('cookie'));
    await store.writer.write(async (tx) => {
      if (previous) await deleteSession(tx, hashSessionId(previous));
      await deleteExpiredSessions(tx, now);
      await insertSession(tx, session.row);
    });
    writeSessionCookie(c, session.cookieValue, sessionLifetimeMs / 1000);
    return c.json({ operator: summaryJson(operator), csrfToken: session.row.csrfToken }, 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/auth/logout', tags, security: bearerSecurity,
    summary: 'Sign out',
    description: 'Ends the session of the `dmp_session` cookie and clears the cookie. With a bearer token it does nothing.',
    responses: { 200: json(z.object({ ok: z.literal(true) }), 'Signed out'), ...errorResponses },
  }), async (c) => {
    const value = readSessionCookie(c.req.header('cookie'));
    if (c.get('principal').kind === 'operator' && value) await store.writer.write((tx) => deleteSession(tx, hashSessionId(value)));
    writeSessionCookie(c, '', 0);
    return c.json({ ok: true as const }, 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/auth/me', tags, security: bearerSecurity,
    summary: 'Who is calling',
    description: "The caller's identity, role and scopes; for a session also its CSRF token (so a reloaded dashboard can recover it).",
    responses: {
      200: json(z.object({
        kind: z.enum(['token', 'operator']), name: z.string(), role: Role.nullable(), scopes: z.array(Scope),
        operator: OperatorSummary.nullable(), csrfToken: z.string().nullable(),
      }).openapi('Me'), 'The caller'),
      ...errorResponses,
    },
  }), async (c) => {
    const p = c.get('principal');
    const operator = p.kind === 'operator' && p.role ? { id: p.id, username: p.name, role: p.role } : null;
    return c.json({ kind: p.kind, name: p.name, role: p.role, scopes: p.scopes, operator, csrfToken: p.csrfToken ?? null }, 200);
  });
}

function mountOperatorAdmin(router: Router, deps: AppDeps) {
  const { store } = deps;
  const tags = ['operators'];

  router.openapi(createRoute({
    method: 'get', path: '/operators', tags, security: bearerSecurity,
    summary: 'List operators',
    responses: { 200: json(z.object({ operators: z.array(OperatorSchema) }), 'Every operator'), ...errorResponses },
  }), async (c) => c.json({ operators: (await listOperators(store.db)).map(operatorJson) }, 200));

  router.openapi(createRoute({
    method: 'post', path: '/operators', tags, security: bearerSecurity,
    summary: 'Create an operator',
    request: { body: body(z.object({ username: Username, password: NewPassword, role: Role }).strict().openapi('NewOperator')) },
    responses: { 201: json(OperatorSchema, 'The operator'), ...errorResponses, 409: errorOf('The username is taken') },
  }), async (c) => {
    const { username, password, role } = c.req.valid('json');
    const actor = c.get('principal').name;
    const now = c.get('now');
    const passwordHash = await hashPassword(password);
    const created = await store.writer.write(async (tx) => {
      const operator = await insertOperator(tx, { username, passwordHash, role, now });
      if (operator) await appendAudit(tx, { at: now, actor, action: 'operator.create', subject: `operator:${operator.id}`, diff: { username, role } });
      return operator;
    });
    if (!created) throw new ApiError(409, 'username_taken', `an operator named "${username}" exists`, 'body.username');
    return c.json(operatorJson(created), 201);
  });

  router.openapi(createRoute({
    method: 'patch', path: '/operators/{id}', tags, security: bearerSecurity,
    summary: 'Change an operator',
    description: 'Changes the role, disables (or re-enables) the operator, or sets a new password. Disabling or a new password ends the operator\'s other sessions. The last enabled admin cannot be demoted or disabled.',
    request: {
      params: IdParam,
      body: body(z.object({ role: Role.optional(), disabled: z.boolean().optional(), password: NewPassword.optional() }).strict()
        .refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, { message: 'give at least one of role, disabled, password' })
        .openapi('OperatorChange')),
    },
    responses: {
      200: json(OperatorSchema, 'The operator, changed'), ...errorResponses,
      404: errorOf('No operator with this id'), 409: errorOf('The change would leave no enabled admin'),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const request = c.req.valid('json');
    const principal = c.get('principal');
    const now = c.get('now');
    const passwordHash = request.password === undefined ? undefined : await hashPassword(request.password);
    const ownSession = principal.kind === 'operator' && principal.id === id ? readSessionCookie(c.req.header('cookie')) : undefined;
    const updated = await store.writer.write(async (tx) => {
      const before = await getOperator(tx, id);
      if (!before) throw notFound('operator');
      const change: OperatorChange = {};
      const diff: Record<string, unknown> = {};
      if (request.role !== undefined && request.role !== before.role) {
        change.role = request.role;
        diff.role = { from: before.role, to: request.role };
      }
      if (request.disabled !== undefined && request.disabled !== (before.disabledAt !== null)) {
        change.disabledAt = request.disabled ? now : null;
        diff.disabled = { from: !request.disabled, to: request.disabled };
      }
      if (passwordHash !== undefined) {
        change.passwordHash = passwordHash;
        diff.password = 'changed';
      }
      const losesAdmin = before.role === 'admin' && before.disabledAt === null && ((change.role ?? 'admin') !== 'admin' || change.disabledAt);
      if (losesAdmin && (await countOtherEnabledAdmins(tx, id)) === 0) {
        throw new ApiError(409, 'last_admin', 'this is the last enabled admin: make another admin first', 'body');
      }
      if (!Object.keys(diff).length) return before;
      const after = await updateOperator(tx, id, change);
      if (change.disabledAt || change.passwordHash) await deleteSessionsOf(tx, id, ownSession && hashSessionId(ownSession));
      await appendAudit(tx, { at: now, actor: principal.name, action: 'operator.update', subject: `operator:${id}`, diff: { username: before.username, ...diff } });
      return after!;
    });
    return c.json(operatorJson(updated), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/operators/{id}/password-reset', tags, security: bearerSecurity,
    summary: 'Reset an operator\'s password',
    description: 'Sets a new random password, returned in this answer only, and ends the operator\'s sessions (the admin\'s own stays when they reset their own). Audited.',
    request: { params: IdParam },
    responses: {
      200: json(z.object({ operator: OperatorSchema, password: z.string() }).openapi('PasswordReset'), 'The operator and the new password, shown once'),
      ...errorResponses, 404: errorOf('No operator with this id'),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    const now = c.get('now');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    const ownSession = principal.kind === 'operator' && principal.id === id ? readSessionCookie(c.req.header('cookie')) : undefined;
    const operator = await store.writer.write(async (tx) => {
      const before = await getOperator(tx, id);
      if (!before) throw notFound('operator');
      const after = await updateOperator(tx, id, { passwordHash });
      await deleteSessionsOf(tx, id, ownSession && hashSessionId(ownSession));
      await appendAudit(tx, { at: now, actor: principal.name, action: 'operator.password_reset', subject: `operator:${id}`, diff: { username: before.username } });
      return after!;
    });
    return c.json({ operator: operatorJson(operator), password }, 200);
  });
}

function mountTokenAdmin(router: Router, deps: AppDeps, tokens: TokenCache) {
  const { store } = deps;
  const tags = ['tokens'];

  router.openapi(createRoute({
    method: 'get', path: '/tokens', tags, security: bearerSecurity,
    summary: 'List bearer tokens', description: 'Names, scopes and status; secrets are never shown again after creation.',
    responses: { 200: json(z.object({ tokens: z.array(TokenSchema) }), 'Every token, revoked ones included'), ...errorResponses },
  }), async (c) => c.json({ tokens: (await listTokens(store.db)).map(tokenJson) }, 200));

  router.openapi(createRoute({
    method: 'post', path: '/tokens', tags, security: bearerSecurity,
    summary: 'Create a bearer token',
    description: 'The secret is in this answer only; only a hash of it is stored. A token with `appId` and `userId` acts for that user through that app on the X API v2 endpoints (`/2/…`, scopes `dm.write`, `dm.read`); one with `appId` alone is app-only, which those endpoints refuse as X does.',
    request: { body: body(NewToken) },
    responses: { 201: json(z.object({ token: TokenSchema, secret: z.string() }).openapi('CreatedToken'), 'The token and its secret, shown once'), ...errorResponses },
  }), async (c) => {
    const { name, scopes, userId = null, appId = null } = c.req.valid('json');
    const actor = c.get('principal').name;
    const now = c.get('now');
    const secret = newSecret();
    const token = await store.writer.write(async (tx) => {
      const { id } = await insertToken(tx, { name, secret, scopes, userId, appId, now });
      await appendAudit(tx, { at: now, actor, action: 'token.create', subject: `token:${id}`, diff: { name, scopes, userId, appId } });
      return { id, name, scopes, userId, appId, createdAt: now, revokedAt: null };
    });
    return c.json({ token: tokenJson(token), secret }, 201);
  });

  router.openapi(createRoute({
    method: 'delete', path: '/tokens/{id}', tags, security: bearerSecurity,
    summary: 'Revoke a bearer token', description: 'Idempotent. The token stops working on this instance at once, on other instances within 5 seconds (their lookups are cached that long).',
    request: { params: IdParam },
    responses: { 200: json(TokenSchema, 'The token, revoked'), ...errorResponses, 404: errorOf('No token with this id') },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const actor = c.get('principal').name;
    const now = c.get('now');
    const token = await store.writer.write(async (tx) => {
      const revoked = await revokeToken(tx, id, now);
      if (revoked) {
        await appendAudit(tx, { at: now, actor, action: 'token.revoke', subject: `token:${id}`, diff: { name: revoked.name, scopes: revoked.scopes } });
        return revoked;
      }
      return getToken(tx, id);
    });
    if (!token) throw notFound('token');
    tokens.forget(id);
    return c.json(tokenJson(token), 200);
  });

}

/**
 * The operator domain, mounted under /v1: `/auth/login` is public, `/auth/*` serves any caller,
 * `/operators` and `/tokens` need the admin role.
 * `tokens`: the authentication's kept token lookups, so a revoke takes effect here at once.
 * @example app.route('/v1', operatorRoutes(deps, tokens))  // POST /v1/auth/login
 */
export function operatorRoutes(deps: AppDeps, tokens: TokenCache) {
  const router = newRouter();
  mountAuth(router, deps);
  mountOperatorAdmin(router, deps);
  mountTokenAdmin(router, deps, tokens);
  return router;
}

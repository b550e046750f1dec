/**
 * The route table test: walks every route the real app mounts (and every operation its OpenAPI
 * document describes) and proves that no state-changing route is reachable without the right
 * role or scope. It walks whatever is mounted, so a new route is checked the day it lands; a
 * route meant for a viewer or a service token must be named in an allowlist below, with a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireRole } from '../../server/http/auth.ts';
import { TokenCache } from '../../server/http/token-cache.ts';
import { handleError } from '../../server/http/errors.ts';
import { newRouter } from '../../server/http/router.ts';
import { csrfProtection, sessionResolver } from '../../server/operators/sessions.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, createToken, signIn, withSession } from './helpers.ts';

/** Reachable by any caller with a credential (or, for login, none): signing in and out changes no shared state. */
const anyCaller = new Set(['POST /v1/auth/login', 'POST /v1/auth/logout']);

/** State changes a viewer may make, each with why. Everything else must answer a viewer 403. */
const viewerMay: Record<string, string> = {
  'POST /v1/sends/check': "the simulator's dry run: decides, records nothing",
  'POST /v1/policies/:policy/versions/:version/validate': 'checks a version or a proposed edit, saves nothing',
  'POST /v1/policies/:policy/versions/:version/test': "runs a version's policy tests, saves nothing",
};

/** State changes a `decide`-only token may make: the messaging backend's two calls. */
const decideMay: Record<string, string> = {
  'POST /v1/sends': 'decide and record, the hot path',
  'POST /v1/sends/check': 'decide only',
};

/** State changes a `graph`-only token may make: the state the rules read (DESIGN §4), nothing of the lifecycle. */
const graphMay: Record<string, string> = {
  'PUT /v1/accounts/:id': 'account fields',
  'PUT /v1/accounts/:id/following/:otherId': 'follow', 'DELETE /v1/accounts/:id/following/:otherId': 'unfollow',
  'PUT /v1/accounts/:id/blocks/:otherId': 'block', 'DELETE /v1/accounts/:id/blocks/:otherId': 'unblock',
  'PUT /v1/accounts/:id/reports/:otherId': 'report',
  'PUT /v1/accounts/:id/accepted/:otherId': 'accept a message request',
  'PUT /v1/accounts/:id/welcome-shown/:businessId': 'welcome message shown',
  'PUT /v1/accounts/:id/app-grants/:appId': 'grant an app', 'DELETE /v1/accounts/:id/app-grants/:appId': 'revoke an app grant',
  'POST /v1/import': 'bulk load of accounts and edges',
};

const stateChanging = ['POST', 'PUT', 'PATCH', 'DELETE'];

interface Route { method: string; path: string }
const keyOf = (r: Route) => `${r.method} ${r.path}`;

/** The app's route table, one entry per method and path; `app.use` middleware (wildcards) left out. */
function mountedRoutes(routes: ReadonlyArray<{ method: string; path: string }>): Route[] {
  const found = new Map<string, Route>();
  for (const r of routes) {
    if (!r.path.startsWith('/v1/') || r.path.includes('*')) continue;
    const method = r.method.toUpperCase();
    // A handler for ALL methods is a state-changing route under every state-changing method.
    for (const m of method === 'ALL' ? stateChanging : [method]) found.set(`${m} ${r.path}`, { method: m, path: r.path });
  }
  return [...found.values()];
}

/** The operations of an OpenAPI document, their `{param}` paths written as the router's `:param`. */
function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): Array<Route & { security: unknown }> {
  return Object.entries(doc.paths).flatMap(([path, operations]) => Object.entries(operations)
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, op]) => ({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, ':$1'), security: (op as { security?: unknown }).security })));
}

/** A concrete URL for a route pattern: each parameter gets a distinct, valid-looking dummy value. */
function concrete(path: string): string {
  let n = 0;
  return path.replace(/:\w+(\{[^}]*\})?/g, () => String(++n));
}

type Send = (method: string, path: string, headers: Record<string, string>) => Promise<{ status: number; body: any }>;

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** Routes this caller may reach; every other state-changing route must answer 403 with `code`. */
  may: Record<string, string>;
  code?: string;
}

/**
 * Every way a state-changing route is reachable that it should not be, as readable lines;
 * an empty list is the proof.
 */
async function violations(routes: Route[], send: Send, callers: Caller[]): Promise<string[]> {
  const found: string[] = [];
  for (const route of routes) {
    const key = keyOf(route);
    if (anyCaller.has(key)) continue;
    const url = concrete(route.path);
    const anonymous = await send(route.method, url, {});
    if (anonymous.status !== 401) found.push(`${key}: without credentials got ${anonymous.status}, expected 401`);
    if (!stateChanging.includes(route.method)) continue;
    for (const caller of callers) {
      const res = await send(route.method, url, caller.headers);
      if (key in caller.may) {
        if (res.status === 401 || res.status === 403) found.push(`${key}: ${caller.name} got ${res.status} but is allowlisted (${caller.may[key]}): ${JSON.stringify(res.body)}`);
      } else if (res.status !== 403 || (caller.code && res.body?.error?.code !== caller.code)) {
        found.push(`${key}: ${caller.name} got ${res.status} ${JSON.stringify(res.body?.error ?? res.body)}, expected 403${caller.code ? ` ${caller.code}` : ''}`);
      }
    }
  }
  return found;
}

const json = { 'content-type': 'application/json' };

describe('the route table: no state-changing route without its role or scope', () => {
  let s: TestService;
  let callers: Caller[];
  let routes: Route[];
  let documented: Array<Route & { security: unknown }>;

  const send: Send = async (method, path, headers) => {
    const res = await fetch(s.url + path, { method, headers: { ...json, ...headers }, body: method === 'GET' ? undefined : '{}' });
    const text = await res.text();
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* keep the text */ }
    return { status: res.status, body };
  };

  beforeAll(async () => {
    s = await startTestService();
    await createOperator(s, 'vera', 'viewer');
    await createOperator(s, 'adam', 'admin');
    const viewer = await signIn(s, 'vera');
    const admin = await signIn(s, 'adam');
    const decide = await createToken(s, 'decide-only', ['decide']);
    const graph = await createToken(s, 'graph-only', ['graph']);
    callers = [
      { name: 'a viewer session (with its CSRF token)', headers: withSession(viewer), may: viewerMay },
      { name: 'a decide-only token', headers: { authorization: `Bearer ${decide.secret}` }, may: decideMay },
      { name: 'a graph-only token', headers: { authorization: `Bearer ${graph.secret}` }, may: graphMay },
      // Even an admin's cookie changes nothing without the session's CSRF token.
      { name: 'an admin session without its CSRF token', headers: withSession(admin, false), may: {}, code: 'csrf' },
    ];
    documented = documentedRoutes((await s.call('GET', '/openapi.json')).body);
    // The /2/ routes (the X API surface) take user tokens only, with X's errors: test/xapi/ walks them.
    const v1Documented = documented.filter((r) => r.path.startsWith('/v1/'));
    const byKey = new Map([...mountedRoutes(s.service.app.routes), ...v1Documented].map((r) => [keyOf(r), { method: r.method, path: r.path }]));
    routes = [...byKey.values()];
  });
  afterAll(async () => { await s.close(); });

  it('the walk sees the routes of every domain', () => {
    const keys = routes.map(keyOf);
    for (const known of ['POST /v1/sends', 'POST /v1/sends/check', 'PUT /v1/accounts/:id', 'POST /v1/import', 'POST /v1/tokens', 'DELETE /v1/tokens/:id', 'PATCH /v1/operators/:id', 'GET /v1/auth/me']) {
      expect(keys).toContain(known);
    }
  });

  it('every allowlisted route exists, so that no allowlist outlives its route', () => {
    const keys = new Set(routes.map(keyOf));
    const stale = [...anyCaller, ...Object.keys(viewerMay), ...Object.keys(decideMay), ...Object.keys(graphMay)].filter((k) => !keys.has(k));
    expect(stale).toEqual([]);
  });

  it('no /v1 route answers without credentials, and no state change answers a caller without the role or scope', async () => {
    expect(await violations(routes, send, callers)).toEqual([]);
  });

  it('every state-changing route is in the OpenAPI document and declares its security', () => {
    const documentedKeys = new Set(documented.map(keyOf));
    const undocumented = routes.filter((r) => stateChanging.includes(r.method) && !documentedKeys.has(keyOf(r))).map(keyOf);
    expect(undocumented).toEqual([]);
    const insecure = documented
      .filter((r) => stateChanging.includes(r.method) && keyOf(r) !== 'POST /v1/auth/login')
      .filter((r) => !Array.isArray(r.security) || r.security.length === 0).map(keyOf);
    expect(insecure).toEqual([]);
  });

  it('the walk catches a route mounted without a role check (the test of the test)', async () => {
    const { store } = s.service;
    const canary = newRouter();
    canary.onError(handleError);
    canary.use('/v1/*', authenticate(store.db, new TokenCache(), sessionResolver(store)));
    canary.use('/v1/*', csrfProtection());
    canary.post('/v1/guarded', requireRole('publisher'), (c) => c.json({ ok: true }));
    canary.post('/v1/unguarded', (c) => c.json({ ok: true }));
    const canarySend: Send = async (method, path, headers) => {
      const res = await canary.request(path, { method, headers: { ...json, ...headers }, body: '{}' });
      return { status: res.status, body: await res.json() };
    };
    const found = await violations(mountedRoutes(canary.routes), canarySend, callers);
    expect(found.filter((v) => v.startsWith('POST /v1/guarded'))).toEqual([]);
    expect(found.filter((v) => v.startsWith('POST /v1/unguarded'))).toHaveLength(3);
  });
});

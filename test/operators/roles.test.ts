/**
 * The route table's proof. Every route the app mounts has its line in server/http/route-access.ts,
 * and every caller — anonymous, a session of each role, an admin session without its CSRF token,
 * a token of each scope — gets what that line says: a real answer to a valid request where it is
 * allowed (so one role below the minimum gets 403 and the minimum role succeeds), 403 where not,
 * 401 without credentials. The table itself is pinned by route-access.snapshot.txt, so that
 * changing who may do what is a visible diff (`npx vitest run test/operators/roles.test.ts -u`).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorize } from '../../server/http/auth.ts';
import { handleError } from '../../server/http/errors.ts';
import { routeAccess, type Access } from '../../server/http/route-access.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, createToken, signIn, withSession, type Session } from './helpers.ts';

type Role = 'viewer' | 'editor' | 'publisher' | 'admin';
type Scope = 'decide' | 'graph' | 'admin';

/** The README's order of roles, written here apart from server/http/auth.ts: this is the test's oracle. */
const roleRank: Record<Role, number> = { viewer: 0, editor: 1, publisher: 2, admin: 3 };
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Caller {
  name: string;
  /** The operator's role, or a token's (an admin token acts as an admin); null: none. */
  role: Role | null;
  scopes: readonly string[];
  headers: Record<string, string>;
  /** A session whose state changes lack X-CSRF-Token: every one is refused with 403 `csrf`. */
  withoutCsrf?: boolean;
  /** The operator behind a session, to sign in again where a request ends its session. */
  operator?: string;
}

/** What a caller should get from a route: its allowed answer, or the refusal. */
function expectedFor(access: Access, caller: Caller | null, method: string): 'allowed' | { status: number; code: string } {
  if (access === 'public') return 'allowed';
  if (caller === null) return { status: 401, code: 'unauthorized' };
  if (caller.withoutCsrf && !safeMethods.has(method)) return { status: 403, code: 'csrf' };
  if (access === 'signed-in') return 'allowed';
  const byRole = access.role !== undefined && caller.role !== null && roleRank[caller.role] >= roleRank[access.role];
  const byScope = access.scope !== undefined && (caller.scopes.includes(access.scope) || caller.scopes.includes('admin'));
  return byRole || byScope ? 'allowed' : { status: 403, code: 'forbidden' };
}

/** One request to a route and the answer an allowed caller gets. */
interface Probe {
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  status: number;
  /** For an allowed answer that is an error: the handler's own code, proof that the access check passed. */
  code?: string;
}

/** What the probes need from the world: ids made once before the walk. */
interface World {
  decisionId: string;
  experimentId: string;
  backtestId: string;
  asset: string;
}

let s: TestService;
let world: World;
let serial = 0;
const fresh = (prefix: string) => `${prefix}-${++serial}`;
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

/** A call with the bootstrap admin token that must succeed: the set-up a probe needs. */
async function setUp(method: string, path: string, body: unknown, status: number) {
  const res = await s.call(method, path, { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}
const newDraft = async () => (await setUp('POST', '/v1/policies/dm/versions', { from: 'x-2023' }, 201)).version as string;
async function stopRunningExperiments() {
  for (const e of (await setUp('GET', '/v1/experiments', undefined, 200)) as Array<{ id: string; status: string }>) {
    if (e.status === 'running') await setUp('POST', `/v1/experiments/${e.id}/stop`, {}, 200);
  }
}
const experiment = () => ({ name: fresh('exp'), arms: [{ name: 'a', version: 'x-2023', weight: 1 }] });

/**
 * A valid request per route, made afresh for each caller (so that a change one caller made never
 * changes another's answer). Where a valid request cannot be repeated, a handler-level refusal
 * (its own error code) proves the access check let the caller through. A route without a probe
 * here gets `{}` with placeholder parameters, and must answer every allowed caller as it answers
 * an admin token (and never 401 or 403).
 */
const probes: Record<string, (caller: Caller | null) => Probe | Promise<Probe>> = {
  'POST /v1/sends': () => ({ path: '/v1/sends', body: { senderId: fresh('snd'), recipientIds: ['rcp'], text: 'hi' }, status: 200 }),
  'POST /v1/sends/check': () => ({ path: '/v1/sends/check', body: { senderId: 'snd', recipientIds: ['rcp'], text: 'hi' }, status: 200 }),
  'POST /v1/simulations': () => ({ path: '/v1/simulations', body: { version: 'x-2023', send: { senderId: 'snd', recipientIds: ['rcp'], text: 'hi' } }, status: 200 }),
  'GET /v1/accounts/{id}': () => ({ path: '/v1/accounts/acc-a', status: 200 }),
  'PUT /v1/accounts/{id}': () => ({ path: '/v1/accounts/acc-a', body: { inbox: 'everyone' }, status: 200 }),
  'PUT /v1/accounts/{id}/following/{otherId}': () => ({ path: '/v1/accounts/acc-a/following/acc-b', status: 200 }),
  'DELETE /v1/accounts/{id}/following/{otherId}': () => ({ path: '/v1/accounts/acc-a/following/acc-b', status: 200 }),
  'PUT /v1/accounts/{id}/blocks/{otherId}': () => ({ path: '/v1/accounts/acc-a/blocks/acc-b', status: 200 }),
  'DELETE /v1/accounts/{id}/blocks/{otherId}': () => ({ path: '/v1/accounts/acc-a/blocks/acc-b', status: 200 }),
  'PUT /v1/accounts/{id}/reports/{otherId}': () => ({ path: '/v1/accounts/acc-a/reports/acc-b', status: 200 }),
  'PUT /v1/accounts/{id}/accepted/{otherId}': () => ({ path: '/v1/accounts/acc-a/accepted/acc-b', status: 200 }),
  'PUT /v1/accounts/{id}/welcome-shown/{businessId}': () => ({ path: '/v1/accounts/acc-a/welcome-shown/biz', status: 200 }),
  'PUT /v1/accounts/{id}/app-grants/{appId}': () => ({ path: '/v1/accounts/acc-a/app-grants/app', status: 200 }),
  'DELETE /v1/accounts/{id}/app-grants/{appId}': () => ({ path: '/v1/accounts/acc-a/app-grants/app', status: 200 }),
  'POST /v1/import': () => ({
    path: '/v1/import', rawBody: `{"type":"account","id":"${fresh('imp')}"}\n`, headers: { 'content-type': 'application/x-ndjson' }, status: 200,
  }),
  'POST /v1/auth/login': () => ({ path: '/v1/auth/login', body: { username: 'lena', password: 'correct horse battery staple' }, status: 200 }),
  // Signing out ends the session it is made with: a session caller signs out a second session of its own.
  'POST /v1/auth/logout': async (caller) => ({
    path: '/v1/auth/logout', status: 200,
    headers: caller?.operator ? withSession(await signIn(s, caller.operator), !caller.withoutCsrf) : undefined,
  }),
  'GET /v1/auth/me': () => ({ path: '/v1/auth/me', status: 200 }),
  'GET /v1/auth/session': () => ({ path: '/v1/auth/session', status: 200 }),
  'GET /v1/operators': () => ({ path: '/v1/operators', status: 200 }),
  'POST /v1/operators': () => ({ path: '/v1/operators', body: { username: fresh('op'), password: 'correct horse battery staple', role: 'viewer' }, status: 201 }),
  'PATCH /v1/operators/{id}': async () => {
    const { id } = await setUp('POST', '/v1/operators', { username: fresh('patched'), password: 'correct horse battery staple', role: 'viewer' }, 201);
    return { path: `/v1/operators/${id}`, body: { role: 'editor' }, status: 200 };
  },
  'POST /v1/operators/{id}/password-reset': async () => {
    const { id } = await setUp('POST', '/v1/operators', { username: fresh('forgetful'), password: 'correct horse battery staple', role: 'viewer' }, 201);
    return { path: `/v1/operators/${id}/password-reset`, status: 200 };
  },
  'GET /v1/tokens': () => ({ path: '/v1/tokens', status: 200 }),
  'POST /v1/tokens': () => ({ path: '/v1/tokens', body: { name: fresh('tok'), scopes: ['decide'] }, status: 201 }),
  'DELETE /v1/tokens/{id}': async () => {
    const { token } = await setUp('POST', '/v1/tokens', { name: fresh('revoked'), scopes: ['graph'] }, 201);
    return { path: `/v1/tokens/${token.id}`, status: 200 };
  },
  'GET /v1/policies/{policy}/versions': () => ({ path: '/v1/policies/dm/versions', status: 200 }),
  'GET /v1/policies/{policy}/versions/{version}': () => ({ path: '/v1/policies/dm/versions/x-2023', status: 200 }),
  'POST /v1/policies/{policy}/versions': () => ({ path: '/v1/policies/dm/versions', body: { from: 'x-2023' }, status: 201 }),
  'PATCH /v1/policies/{policy}/versions/{version}': async () => ({
    path: `/v1/policies/dm/versions/${await newDraft()}`, body: { description: 'edited' }, status: 200,
  }),
  'DELETE /v1/policies/{policy}/versions/{version}': async () => ({
    path: `/v1/policies/dm/versions/${await newDraft()}`, body: { reason: 'roles walk' }, status: 200,
  }),
  'GET /v1/policies/{policy}/settings': () => ({ path: '/v1/policies/dm/settings', status: 200 }),
  // Approval stays off, so the publish probes go on publishing.
  'PUT /v1/policies/{policy}/settings': () => ({ path: '/v1/policies/dm/settings', body: { requireApproval: false, reason: 'roles walk' }, status: 200 }),
  'POST /v1/policies/{policy}/versions/{version}/validate': () => ({ path: '/v1/policies/dm/versions/x-2023/validate', status: 200 }),
  'POST /v1/policies/{policy}/versions/{version}/test': () => ({ path: '/v1/policies/dm/versions/x-2023/test', status: 200 }),
  'GET /v1/policies/{policy}/diff': () => ({ path: '/v1/policies/dm/diff?to=x-2023', status: 200 }),
  // Drafts are written by the bootstrap token, so every caller here is a second person.
  'POST /v1/policies/{policy}/versions/{version}/approve': async () => ({ path: `/v1/policies/dm/versions/${await newDraft()}/approve`, status: 200 }),
  'POST /v1/policies/{policy}/versions/{version}/publish': async () => ({ path: `/v1/policies/dm/versions/${await newDraft()}/publish`, status: 200 }),
  'POST /v1/policies/{policy}/rollback': async () => {
    await setUp('POST', `/v1/policies/dm/versions/${await newDraft()}/publish`, {}, 200);
    return { path: '/v1/policies/dm/rollback', body: { version: 'x-2023' }, status: 200 };
  },
  'GET /v1/audit': () => ({ path: '/v1/audit', status: 200 }),
  'GET /v1/audit/facets': () => ({ path: '/v1/audit/facets', status: 200 }),
  'GET /v1/decisions': () => ({ path: '/v1/decisions', status: 200 }),
  'GET /v1/decisions/{id}': () => ({ path: `/v1/decisions/${world.decisionId}`, status: 200 }),
  'GET /v1/decisions/{id}/explain': () => ({ path: `/v1/decisions/${world.decisionId}/explain`, status: 200 }),
  'POST /v1/decisions/prune': () => ({ path: '/v1/decisions/prune', body: { olderThanDays: 3650, reason: 'roles walk' }, status: 200 }),
  'GET /v1/figures': () => ({ path: '/v1/figures', status: 200 }),
  'POST /v1/backtests': () => ({ path: '/v1/backtests', body: { kind: 'replay', version: 'x-2023' }, status: 202 }),
  'POST /v1/policies/{policy}/versions/{version}/blast-radius': () => ({ path: '/v1/policies/dm/versions/x-2023/blast-radius', status: 202 }),
  'GET /v1/backtests': () => ({ path: '/v1/backtests', status: 200 }),
  'GET /v1/backtests/{id}': () => ({ path: `/v1/backtests/${world.backtestId}`, status: 200 }),
  // Whether a fresh job is still cancellable is a race with its runner: an unknown job's 404 is the handler's.
  'POST /v1/backtests/{id}/cancel': () => ({ path: '/v1/backtests/no-such-job/cancel', status: 404, code: 'not_found' }),
  'GET /v1/experiments': () => ({ path: '/v1/experiments', status: 200 }),
  'POST /v1/experiments': async () => {
    await stopRunningExperiments();
    return { path: '/v1/experiments', body: experiment(), status: 201 };
  },
  'GET /v1/experiments/{id}': () => ({ path: `/v1/experiments/${world.experimentId}`, status: 200 }),
  'POST /v1/experiments/{id}/stop': async () => {
    await stopRunningExperiments();
    const { id } = await setUp('POST', '/v1/experiments', experiment(), 201);
    return { path: `/v1/experiments/${id}/stop`, body: {}, status: 200 };
  },
  'GET /v1/experiments/{id}/figures': () => ({ path: `/v1/experiments/${world.experimentId}/figures`, status: 200 }),
  'GET /v1/accounts/{id}/counters': () => ({ path: '/v1/accounts/acc-a/counters', status: 200 }),
  'POST /v1/accounts/{id}/counters/reset': () => ({ path: '/v1/accounts/acc-a/counters/reset', body: { reason: 'roles walk' }, status: 200 }),
  'POST /v1/accounts/{id}/exemptions': () => ({
    path: '/v1/accounts/acc-a/exemptions', body: { rule: 'daily-cap', expiresAt: inADay(), reason: 'roles walk' }, status: 201,
  }),
  'DELETE /v1/accounts/{id}/exemptions/{exemptionId}': async () => {
    const { id } = await setUp('POST', '/v1/accounts/acc-a/exemptions', { rule: 'daily-cap', expiresAt: inADay(), reason: 'roles walk' }, 201);
    return { path: `/v1/accounts/acc-a/exemptions/${id}`, status: 200 };
  },
  'GET /': () => ({ path: '/', status: 200 }),
  'GET /dashboard': () => ({ path: '/dashboard', status: 200 }),
  'GET /assets/*': () => ({ path: `/assets/${world.asset}`, status: 200 }),
  'GET /openapi.json': () => ({ path: '/openapi.json', status: 200 }),
  'GET /docs': () => ({ path: '/docs', status: 200 }),
  'GET /docs/assets/initializer.js': () => ({ path: '/docs/assets/initializer.js', status: 200 }),
  'GET /docs/assets/{name}': () => ({ path: '/docs/assets/swagger-ui.css', status: 200 }),
  'GET /metrics': () => ({ path: '/metrics', status: 200 }),
  'GET /healthz': () => ({ path: '/healthz', status: 200 }),
};

/** A placeholder for each path parameter, for routes without a probe. */
const placeholderPath = (path: string) => path.replace(/\{\w+\}/g, 'placeholder').replace('*', 'placeholder');

async function send(method: string, probe: Probe, headers: Record<string, string>) {
  const body = probe.rawBody ?? (probe.body === undefined ? undefined : JSON.stringify(probe.body));
  const res = await fetch(s.url + probe.path, {
    method, body, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers, ...probe.headers },
  });
  const text = await res.text();
  let parsed: any = text;
  try { parsed = JSON.parse(text); } catch { /* an HTML page or an asset */ }
  return { status: res.status, body: parsed };
}

/** `METHOD /path` with `{param}`s, as the table writes it, from the router's `:param`. */
const tableKey = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:(\w+)/g, '{$1}')}`;

let callers: Caller[];

beforeAll(async () => {
  s = await startTestService();
  const sessions: Record<Role, Session> = {} as Record<Role, Session>;
  const operators: Record<Role, string> = { viewer: 'vera', editor: 'eddie', publisher: 'pia', admin: 'adam' };
  for (const [role, username] of Object.entries(operators) as Array<[Role, string]>) {
    await createOperator(s, username, role);
    sessions[role] = await signIn(s, username);
  }
  await createOperator(s, 'lena', 'viewer');
  const token = async (scope: Scope) => ({ authorization: `Bearer ${(await createToken(s, `only-${scope}`, [scope])).secret}` });
  callers = [
    ...(Object.keys(operators) as Role[]).map((role) => ({
      name: `a ${role} session`, role, scopes: [], headers: withSession(sessions[role]), operator: operators[role],
    })),
    { name: 'an admin session without its CSRF token', role: 'admin', scopes: [], headers: withSession(sessions.admin, false), withoutCsrf: true, operator: 'adam' },
    { name: 'a decide token', role: null, scopes: ['decide'], headers: await token('decide') },
    { name: 'a graph token', role: null, scopes: ['graph'], headers: await token('graph') },
    { name: 'an admin token', role: 'admin', scopes: ['admin'], headers: await token('admin') },
  ];

  await setUp('POST', '/v1/sends', { senderId: 'snd', recipientIds: ['rcp'], text: 'hi' }, 200);
  const decisionId = (await setUp('GET', '/v1/decisions?limit=1', undefined, 200)).items[0].id;
  const experimentId = (await setUp('POST', '/v1/experiments', experiment(), 201)).id;
  const backtestId = (await setUp('POST', '/v1/backtests', { kind: 'replay', version: 'x-2023' }, 202)).id;
  const asset = readdirSync(fileURLToPath(new URL('../../dist/dashboard/assets', import.meta.url))).find((f) => f.endsWith('.js'))!;
  world = { decisionId, experimentId, backtestId, asset };
});
afterAll(async () => { await s?.close(); });

describe('the route table', () => {
  it('has a line for every route the app mounts and the OpenAPI document describes, and none for a route that is gone', async () => {
    const mounted = new Set(s.service.app.routes.filter((r) => r.method !== 'ALL').map((r) => tableKey(r.method, r.path)));
    const doc = (await s.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => tableKey(method, path)));
    const missing = [...new Set([...mounted, ...documented])].filter((key) => !(key in routeAccess));
    expect(missing, 'these routes are mounted but missing from the route table: add a line for each to server/http/route-access.ts').toEqual([]);
    const gone = Object.keys(routeAccess).filter((key) => !mounted.has(key));
    expect(gone, 'these lines of server/http/route-access.ts name no mounted route: remove them').toEqual([]);
  });

  it('is pinned: who may call what changes only with a reviewed snapshot', async () => {
    const describe = (access: Access) => typeof access === 'string' ? access
      : [access.role && `role ${access.role}+`, access.scope && `token scope ${access.scope}`].filter(Boolean).join(' or ');
    const lines = Object.entries(routeAccess).map(([key, access]) => `${key.padEnd(62)} ${describe(access)}`).sort();
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./route-access.snapshot.txt');
  });

  it('refuses (500, naming the table) a route mounted without a line, rather than opening it', async () => {
    const app = new Hono();
    app.onError(handleError);
    app.use('*', authorize());
    app.get('/v1/unlisted', (c) => c.json({ opened: true }));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const res = await app.request('/v1/unlisted');
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: 'internal', message: 'internal error', path: null } });
      expect(String(logged.mock.calls[0][1])).toBe('Error: GET /v1/unlisted is mounted but missing from the route table: add its line to server/http/route-access.ts');
    } finally {
      logged.mockRestore();
    }
  });
});

describe('every route answers each caller as its line says', () => {
  // The /2/ routes (the X API surface) take user tokens only and answer X's problems: test/xapi/ walks them.
  for (const [key, access] of Object.entries(routeAccess).filter(([k]) => !k.split(' ')[1].startsWith('/2/'))) {
    const method = key.split(' ')[0];
    const name = typeof access === 'string' ? access : [access.role && `${access.role} and above`, access.scope && `${access.scope} tokens`].filter(Boolean).join(', ');
    it(`${key} (${name})`, async () => {
      const probeOf = probes[key] ?? (() => ({ path: placeholderPath(key.split(' ')[1]), body: method === 'GET' ? undefined : {}, status: 0 }));
      let reference: { status: number; code?: string } | null = null;
      const wrong: string[] = [];
      // Credentials play no part on a public route (and signing in with a cookie would end that session).
      for (const caller of access === 'public' ? [null] : [null, ...callers]) {
        const probe = await probeOf(caller);
        const res = await send(method, probe, caller?.headers ?? {});
        const got = `${res.status} ${res.body?.error?.code ?? ''}`.trim();
        const expected = expectedFor(access, caller, method);
        const who = caller?.name ?? 'no credentials';
        if (expected !== 'allowed') {
          if (res.status !== expected.status || res.body?.error?.code !== expected.code) wrong.push(`${who}: got ${got}, expected ${expected.status} ${expected.code}`);
          continue;
        }
        if (probes[key] === undefined) reference ??= { status: res.status, code: res.body?.error?.code };
        const want = probes[key] === undefined ? reference! : probe;
        if (res.status === 401 || res.status === 403 || res.status !== want.status || res.body?.error?.code !== want.code) {
          wrong.push(`${who}: got ${got} ${JSON.stringify(res.body?.error?.message ?? '')}, expected ${want.status} ${want.code ?? ''}`.trim());
        }
      }
      expect(wrong).toEqual([]);
    });
  }
});

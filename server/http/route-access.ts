/**
 * Who may call each route: the one table the access check (server/http/authorize.ts) reads and
 * test/operators/roles.test.ts proves, one line per route. A mounted route missing here answers 500.
 */
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Scope } from '../../db/stores/tokens.ts';
import type { Role } from './principal.ts';

/**
 * `public`: no credential needed. `signed-in`: any valid credential. Otherwise an operator whose
 * role is `role` or higher, or a token carrying `scope` (an `admin` token passes both checks).
 */
export type Access = 'public' | 'signed-in' | { role: Role; scope?: Scope } | { role?: Role; scope: Scope };

/** `METHOD /path`, parameters written as in the OpenAPI document (`{id}`), as the app mounts them. */
export const routeAccess: Readonly<Record<string, Access>> = {
  // decisions (DESIGN §4): the messaging backend; the simulator's dry runs also for operators
  'POST /v1/sends': { scope: 'decide' },
  'POST /v1/sends/check': { scope: 'decide', role: 'viewer' },
  'POST /v1/simulations': { role: 'viewer' },

  // the graph the rules read
  'GET /v1/accounts/{id}': { scope: 'graph', role: 'viewer' },
  'PUT /v1/accounts/{id}': { scope: 'graph' },
  'PUT /v1/accounts/{id}/following/{otherId}': { scope: 'graph' },
  'DELETE /v1/accounts/{id}/following/{otherId}': { scope: 'graph' },
  'PUT /v1/accounts/{id}/blocks/{otherId}': { scope: 'graph' },
  'DELETE /v1/accounts/{id}/blocks/{otherId}': { scope: 'graph' },
  'PUT /v1/accounts/{id}/reports/{otherId}': { scope: 'graph' },
  'PUT /v1/accounts/{id}/accepted/{otherId}': { scope: 'graph' },
  'PUT /v1/accounts/{id}/welcome-shown/{businessId}': { scope: 'graph' },
  'PUT /v1/accounts/{id}/app-grants/{appId}': { scope: 'graph' },
  'DELETE /v1/accounts/{id}/app-grants/{appId}': { scope: 'graph' },
  'POST /v1/import': { scope: 'graph' },

  // sign-in, and operators and tokens
  'POST /v1/auth/login': 'public',
  'GET /v1/auth/session': 'public',
  'POST /v1/auth/logout': 'signed-in',
  'GET /v1/auth/me': 'signed-in',
  'GET /v1/operators': { role: 'admin' },
  'POST /v1/operators': { role: 'admin' },
  'PATCH /v1/operators/{id}': { role: 'admin' },
  'POST /v1/operators/{id}/password-reset': { role: 'admin' },
  'GET /v1/tokens': { role: 'admin' },
  'POST /v1/tokens': { role: 'admin' },
  'DELETE /v1/tokens/{id}': { role: 'admin' },

  // policy versions
  'GET /v1/policies/{policy}/versions': { role: 'viewer' },
  'GET /v1/policies/{policy}/versions/{version}': { role: 'viewer' },
  'POST /v1/policies/{policy}/versions': { role: 'editor' },
  'PATCH /v1/policies/{policy}/versions/{version}': { role: 'editor' },
  'DELETE /v1/policies/{policy}/versions/{version}': { role: 'editor' },
  'POST /v1/policies/{policy}/versions/{version}/validate': { role: 'viewer' },
  'POST /v1/policies/{policy}/versions/{version}/test': { role: 'viewer' },
  'GET /v1/policies/{policy}/diff': { role: 'viewer' },
  'POST /v1/policies/{policy}/versions/{version}/approve': { role: 'publisher' },
  'POST /v1/policies/{policy}/versions/{version}/publish': { role: 'publisher' },
  'POST /v1/policies/{policy}/rollback': { role: 'publisher' },
  'GET /v1/policies/{policy}/settings': { role: 'viewer' },
  'PUT /v1/policies/{policy}/settings': { role: 'admin' },

  // audit, decision log, figures
  'GET /v1/audit': { role: 'viewer' },
  'GET /v1/audit/facets': { role: 'viewer' },
  'GET /v1/decisions': { role: 'viewer' },
  'GET /v1/decisions/{id}': { role: 'viewer' },
  'GET /v1/decisions/{id}/explain': { role: 'viewer' },
  'POST /v1/decisions/prune': { role: 'admin' },
  'GET /v1/figures': { role: 'viewer' },

  // backtests
  'POST /v1/backtests': { role: 'publisher' },
  'POST /v1/policies/{policy}/versions/{version}/blast-radius': { role: 'publisher' },
  'GET /v1/backtests': { role: 'viewer' },
  'GET /v1/backtests/{id}': { role: 'viewer' },
  'POST /v1/backtests/{id}/cancel': { role: 'publisher' },

  // experiments
  'GET /v1/experiments': { role: 'viewer' },
  'POST /v1/experiments': { role: 'publisher' },
  'GET /v1/experiments/{id}': { role: 'viewer' },
  'POST /v1/experiments/{id}/stop': { role: 'publisher' },
  'GET /v1/experiments/{id}/figures': { role: 'viewer' },

  // account controls
  'GET /v1/accounts/{id}/counters': { role: 'viewer' },
  'POST /v1/accounts/{id}/counters/reset': { role: 'publisher' },
  'POST /v1/accounts/{id}/exemptions': { role: 'publisher' },
  'DELETE /v1/accounts/{id}/exemptions/{exemptionId}': { role: 'publisher' },

  // the X API v2 surface: user tokens of an app (the routes also refuse app-only and service tokens)
  'POST /2/dm_conversations/with/{participant_id}/messages': { scope: 'dm.write' },
  'POST /2/dm_conversations': { scope: 'dm.write' },
  'POST /2/dm_conversations/{dm_conversation_id}/messages': { scope: 'dm.write' },
  'GET /2/dm_events': { scope: 'dm.read' },
  'GET /2/dm_conversations/with/{participant_id}/dm_events': { scope: 'dm.read' },
  'GET /2/dm_conversations/{dm_conversation_id}/dm_events': { scope: 'dm.read' },

  // Prometheus's scrape
  'GET /metrics': { scope: 'metrics' },

  // the dashboard (it signs in through the API), the API's description and its browsable docs, health
  'GET /': 'public',
  'GET /dashboard': 'public',
  'GET /assets/*': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/assets/initializer.js': 'public',
  'GET /docs/assets/{name}': 'public',
  'GET /healthz': 'public',
};

/** The table keyed as the router writes a route (`GET /v1/accounts/:id`), so that a lookup is one read. */
const byRouterKey = new Map(Object.entries(routeAccess).map(([key, access]) => [key.replace(/\{(\w+)\}/g, ':$1'), access]));

/**
 * The line of the route that answers this request, or null when no route matched (a 404 follows).
 * The answering route is the last matched handler bound to a method (middleware is bound to ALL).
 * A mounted route with no line throws: it is a server fault, and opening it to any caller would be worse.
 */
export function accessOf(c: Context): Access | null {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const { method, path } = routes[i];
    if (method === 'ALL') continue;
    const access = byRouterKey.get(`${method} ${path}`);
    if (access === undefined) throw new Error(`${method} ${path} is mounted but missing from the route table: add its line to server/http/route-access.ts`);
    return access;
  }
  return null;
}

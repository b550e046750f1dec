/** Builds the Hono app from the domain routers: the only place routes are mounted. */
import type { AppDeps } from './deps.ts';
import { clock } from './http/clock.ts';
import { authenticate, authorize } from './http/auth.ts';
import { TokenCache } from './http/token-cache.ts';
import { errorBody, handleError } from './http/errors.ts';
import { bodySizeLimit } from './http/body-size.ts';
import { newRouter } from './http/router.ts';
import { securityHeaders } from './http/security-headers.ts';
import { graphRoutes } from './graph/routes.ts';
import { importRoutes } from './graph/import-route.ts';
import { decisionRoutes } from './decisions/routes.ts';
import { sendFastPath } from './decisions/send-fast-path.ts';
import { operatorRoutes } from './operators/routes.ts';
import { csrfProtection, sessionResolver } from './operators/sessions.ts';
import { sessionProbeRoutes } from './operators/session-probe.ts';
import { versionRoutes } from './lifecycle/versions/routes.ts';
import { auditRoutes } from './lifecycle/audit/routes.ts';
import { decisionLogRoutes } from './lifecycle/decision-log/routes.ts';
import { backtestRoutes } from './lifecycle/backtests/routes.ts';
import { experimentRoutes } from './lifecycle/experiments/routes.ts';
import { accountControlRoutes } from './lifecycle/account-controls/routes.ts';
import { simulatorRoutes } from './lifecycle/simulator/routes.ts';
import { dashboardRoutes } from './dashboard.ts';
import { docsRoutes } from './docs.ts';
import { xapiRoutes } from './xapi/routes.ts';
import { httpMetrics, metricsRoutes } from './metrics/routes.ts';
import { handleXApiError, isXApiPath, xapiNotFound } from './xapi/problems.ts';

/** JSON bodies beyond this are refused with 413; policy documents and the streamed import may be larger. */
export const maxJsonBodyBytes = 64 * 1024;
/** A policy document may be 256 KiB (documentLimits); an edit carrying one, with its tests, gets room for both. */
export const maxPolicyBodyBytes = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = newRouter();
  app.onError((err, c) => (isXApiPath(c.req.path) ? handleXApiError(err, c) : handleError(err, c)));
  app.notFound((c) => (isXApiPath(c.req.path) ? xapiNotFound(c) : c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404)));

  const tokens = new TokenCache();
  // The decision path's usual requests are answered ahead of the chain below (they fall through to it otherwise).
  const fastPathDeps = { decisions: deps.decisions, tokens, metrics: deps.metrics, maxBodyBytes: maxJsonBodyBytes };
  app.post('/v1/sends', sendFastPath('/v1/sends', fastPathDeps));
  app.post('/v1/sends/check', sendFastPath('/v1/sends/check', fastPathDeps));
  app.use('*', securityHeaders());
  app.use('*', httpMetrics(deps.metrics));
  app.use('/v1/*', clock({ clientClock: deps.config.clientClock }));
  const authenticated = authenticate(deps.store.db, tokens, sessionResolver(deps.store));
  app.use('/v1/*', authenticated);
  app.use('/v1/*', csrfProtection());
  app.use('/metrics', authenticated);
  // The X API v2 surface: bearer tokens only (no dashboard sessions), errors as X's problems.
  app.use('/2/*', clock({ clientClock: deps.config.clientClock }));
  app.use('/2/*', authenticate(deps.store.db, tokens));
  // Every route, /v1 or not, is let through only as its line of server/http/route-access.ts says.
  app.use('*', authorize());
  app.use('/v1/*', bodySizeLimit((path) => (path === '/v1/import' ? null : path.startsWith('/v1/policies/') ? maxPolicyBodyBytes : maxJsonBodyBytes)));
  app.use('/2/*', bodySizeLimit(() => maxJsonBodyBytes));

  app.route('/2', xapiRoutes(deps));

  app.route('/v1', decisionRoutes(deps));
  app.route('/v1', graphRoutes(deps));
  app.route('/v1', importRoutes(deps));
  app.route('/v1', operatorRoutes(deps, tokens));
  app.route('/v1', sessionProbeRoutes(deps));
  app.route('/v1', versionRoutes(deps));
  app.route('/v1', auditRoutes(deps));
  app.route('/v1', decisionLogRoutes(deps));
  app.route('/v1', backtestRoutes(deps));
  app.route('/v1', experimentRoutes(deps));
  app.route('/v1', accountControlRoutes(deps));
  app.route('/v1', simulatorRoutes(deps));
  app.route('/', dashboardRoutes());
  app.route('/', metricsRoutes(deps.metrics));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey', in: 'cookie', name: 'dmp_session', description: 'Dashboard session from POST /v1/auth/login; state changes also need the X-CSRF-Token header',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'dm-policy', version: '1', description: 'Decides whether a direct message may be sent, by versioned JSON rules.' },
  });
  app.route('/', docsRoutes());
  app.get('/healthz', (c) => c.json({ ok: true }));
  return app;
}

export type App = ReturnType<typeof createApp>;

/** Builds the Hono app from the domain routers: the only place routes are mounted. */
import { bodyLimit } from 'hono/body-limit';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppDeps } from './deps.ts';
import { clock } from './http/clock.ts';
import { authenticate, authorize } from './http/auth.ts';
import { TokenCache } from './http/token-cache.ts';
import { ApiError, errorBody, handleError } from './http/errors.ts';
import { newRouter } from './http/router.ts';
import { docsPath, securityHeaders } from './http/security-headers.ts';
import { graphRoutes } from './graph/routes.ts';
import { importRoutes } from './graph/import-route.ts';
import { decisionRoutes } from './decisions/routes.ts';
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


/** JSON bodies beyond this are refused with 413; policy documents and the streamed import may be larger. */
export const maxJsonBodyBytes = 64 * 1024;
/** A policy document may be 256 KiB (documentLimits); an edit carrying one, with its tests, gets room for both. */
export const maxPolicyBodyBytes = 1024 * 1024;

export function createApp(deps: AppDeps) {
  const app = newRouter();
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  app.use('*', securityHeaders());
  app.use('/v1/*', clock({ clientClock: deps.config.clientClock }));
  const tokens = new TokenCache();
  app.use('/v1/*', authenticate(deps.store.db, tokens, sessionResolver(deps.store)));
  app.use('/v1/*', csrfProtection());
  // Every route, /v1 or not, is let through only as its line of server/http/route-access.ts says.
  app.use('*', authorize());
  app.use('/v1/*', async (c, next) => {
    if (c.req.path === '/v1/import' || c.req.method === 'GET') return next();
    const maxSize = c.req.path.startsWith('/v1/policies/') ? maxPolicyBodyBytes : maxJsonBodyBytes;
    const tooLarge = () => { throw new ApiError(413, 'payload_too_large', `request bodies here are limited to ${maxSize} bytes`, 'body'); };
    // A declared length is checked from the header alone: hono's bodyLimit would first build the
    // request's web stream, which costs more than deciding a send. Chunked bodies are counted.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return Number(length) > maxSize ? tooLarge() : next();
    return bodyLimit({ maxSize, onError: tooLarge })(c, next);
  });

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

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey', in: 'cookie', name: 'dmp_session', description: 'Dashboard session from POST /v1/auth/login; state changes also need the X-CSRF-Token header',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'dm-policy', version: '1', description: 'Decides whether a direct message may be sent, by versioned JSON rules.' },
  });
  app.get(docsPath, Scalar((c) => ({ url: '/openapi.json', pageTitle: 'dm-policy API', nonce: c.get('secureHeadersNonce') })));
  app.get('/healthz', (c) => c.json({ ok: true }));
  return app;
}

export type App = ReturnType<typeof createApp>;

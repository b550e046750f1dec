/**
 * `GET /metrics` (Prometheus text format, for a bearer token with the `metrics` or `admin` scope) and
 * the middleware counting every HTTP request by its matched route.
 */
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Executor } from '../../db/client.ts';
import { authenticate, requireScope } from '../http/auth.ts';
import type { TokenCache } from '../http/token-cache.ts';
import { newRouter } from '../http/router.ts';
import type { Metrics } from './metrics.ts';

/**
 * Counts each request once answered, by the pattern of the endpoint that served it (`unmatched` when
 * only middleware matched, as for a 404): raw paths would put every account id into a label.
 */
export function httpMetrics(metrics: Metrics) {
  return createMiddleware(async (c, next) => {
    await next();
    const endpoint = matchedRoutes(c).filter((r) => r.method !== 'ALL').pop();
    metrics.observeRequest(c.req.method, endpoint?.path ?? 'unmatched', c.res.status);
  });
}

/** @example app.route('/', metricsRoutes(metrics, db, tokens))  // GET /metrics */
export function metricsRoutes(metrics: Metrics, db: Executor, tokens: TokenCache) {
  const router = newRouter();
  router.get('/metrics', authenticate(db, tokens), requireScope('metrics'), async (c) =>
    c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  return router;
}

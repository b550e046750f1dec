/**
 * `GET /metrics` (Prometheus text format; who may scrape it is its line of server/http/route-access.ts)
 * and the middleware counting every HTTP request by its matched route.
 */
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
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

/** @example app.route('/', metricsRoutes(metrics))  // GET /metrics */
export function metricsRoutes(metrics: Metrics) {
  const router = newRouter();
  router.get('/metrics', async (c) => c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType }));
  return router;
}

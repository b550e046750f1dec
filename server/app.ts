/** Builds the Hono app from the domain routers: the only place routes are mounted. */
import { bodyLimit } from 'hono/body-limit';
import { Scalar } from '@scalar/hono-api-reference';
import type { Store } from '../db/client.ts';
import type { Config } from './config.ts';
import { clock } from './http/clock.ts';
import { authenticate } from './http/auth.ts';
import { ApiError, errorBody, handleError } from './http/errors.ts';
import { newRouter } from './http/router.ts';
import type { PolicyRegistry } from './policy/registry.ts';
import { graphRoutes } from './graph/routes.ts';
import { importRoutes } from './graph/import-route.ts';
import { decisionRoutes } from './decisions/routes.ts';

export interface AppDeps {
  store: Store;
  config: Pick<Config, 'clientClock'>;
  policies: PolicyRegistry;
}

/** JSON bodies beyond this are refused with 413; only the streamed import may be larger. */
export const maxJsonBodyBytes = 64 * 1024;

export function createApp(deps: AppDeps) {
  const app = newRouter();
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));

  app.use('/v1/*', clock({ clientClock: deps.config.clientClock }));
  app.use('/v1/*', authenticate(deps.store.db));
  app.use('/v1/*', async (c, next) => {
    if (c.req.path === '/v1/import') return next();
    return bodyLimit({
      maxSize: maxJsonBodyBytes,
      onError: () => { throw new ApiError(413, 'payload_too_large', `request bodies are limited to ${maxJsonBodyBytes} bytes`, 'body'); },
    })(c, next);
  });

  app.route('/v1', decisionRoutes(deps));
  app.route('/v1', graphRoutes(deps));
  app.route('/v1', importRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'dm-policy', version: '1', description: 'Decides whether a direct message may be sent, by versioned JSON rules.' },
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'dm-policy API' }));
  app.get('/healthz', (c) => c.json({ ok: true }));
  return app;
}

export type App = ReturnType<typeof createApp>;

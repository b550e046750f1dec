/** POST /v1/sends (decide and record) and POST /v1/sends/check (decide only). */
import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { bearerSecurity, errorResponses, ErrorSchema, newRouter, storageBusyResponse } from '../http/router.ts';
import { DecisionResponse, SendRequest } from './request.ts';

const sendRoute = (path: string, summary: string, description: string, records: boolean) => createRoute({
  method: 'post', path, summary, description, tags: ['decisions'], security: bearerSecurity,
  request: { body: { required: true, content: { 'application/json': { schema: SendRequest } } } },
  responses: {
    200: { description: 'The decision — every outcome, deny and limit included, is a 200', content: { 'application/json': { schema: DecisionResponse } } },
    ...errorResponses,
    409: { description: 'The idempotency key was used for a different request', content: { 'application/json': { schema: ErrorSchema } } },
    413: { description: 'Body larger than 64 KiB', content: { 'application/json': { schema: ErrorSchema } } },
    ...(records ? storageBusyResponse : {}),
  },
});

export function decisionRoutes(deps: AppDeps) {
  const { decisions } = deps;
  const router = newRouter();
  router.openapi(
    sendRoute('/sends', 'Decide and record a send', 'Decides by the active policy version and, when the send is delivered, records it (it counts) before answering. A retry with the same idempotencyKey within a day returns the first answer; after a day the key is a new send.', true),
    async (c) => c.json(await decisions.enforce(c.req.valid('json'), c.get('now')), 200),
  );
  router.openapi(
    sendRoute('/sends/check', 'Decide only (dry run)', 'Decides without recording anything. `facts` may override stored facts for a what-if simulation; `trace: true` returns every rule, condition and fact value.', false),
    async (c) => c.json(await decisions.check(c.req.valid('json'), c.get('now')), 200),
  );
  return router;
}

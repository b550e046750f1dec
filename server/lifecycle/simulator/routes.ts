/** POST /v1/simulations: the simulator's dry run by a chosen policy version (DESIGN §6, "pick the version"). */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../deps.ts';
import { DecisionResponse, SendRequest } from '../../decisions/request.ts';
import { ApiError } from '../../http/errors.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';
import { body, errorOf, json } from '../../http/responses.ts';

const Simulation = z.object({
  version: z.string().min(1).max(128).openapi({ description: 'Any stored version of the policy: the active one, a draft, a retired one', example: 'x-2023' }),
  send: SendRequest,
}).strict().openapi('Simulation');

/** @example app.route('/v1', simulatorRoutes(deps))  // POST /v1/simulations { version, send } */
export function simulatorRoutes(deps: AppDeps) {
  const { decisions, policies } = deps;
  const router = newRouter();
  router.openapi(createRoute({
    method: 'post', path: '/simulations', tags: ['decisions'], security: bearerSecurity,
    summary: 'Decide a send by a chosen version (dry run)',
    description: 'What POST /v1/sends/check answers, decided by `version` instead of the active one (and outside any experiment). Records nothing; `send.facts` override stored facts; `send.trace: true` returns every rule, condition and fact value.',
    request: { body: body(Simulation) },
    responses: { 200: json(DecisionResponse, 'The decision'), ...errorResponses, 404: errorOf('No such version') },
  }), async (c) => {
    const { version, send } = c.req.valid('json');
    const policy = await policies.version(version);
    if (!policy) throw new ApiError(404, 'unknown_version', `policy dm has no version "${version}"`, 'body.version');
    return c.json(await decisions.check(send, c.get('now'), policy), 200);
  });
  return router;
}

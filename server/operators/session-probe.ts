/**
 * GET /v1/auth/session: whether this browser holds a live dashboard session, answered 200 either way,
 * so that a signed-out first visit to the dashboard is a plain answer rather than a failed request.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.ts';
import { roles } from '../http/principal.ts';
import { newRouter } from '../http/router.ts';
import { json } from '../http/responses.ts';
import { sessionResolver } from './sessions.ts';

const SessionProbe = z.object({
  signedIn: z.boolean(),
  operator: z.object({ id: z.string(), username: z.string(), role: z.enum(roles) }).nullable(),
  csrfToken: z.string().nullable().openapi({ description: 'The session\'s token for `X-CSRF-Token`, so a reloaded dashboard can recover it' }),
}).openapi('SessionProbe');

/**
 * Public: reads only the `dmp_session` cookie (bearer tokens are not sessions), and says nothing
 * about an absent, expired or revoked one beyond `signedIn: false`.
 * @example app.route('/v1', sessionProbeRoutes(deps))  // GET /v1/auth/session → { signedIn: false, … }
 */
export function sessionProbeRoutes(deps: AppDeps) {
  const router = newRouter();
  const resolve = sessionResolver(deps.store);
  router.openapi(createRoute({
    method: 'get', path: '/auth/session', tags: ['auth'], security: [],
    summary: 'Probe the dashboard session',
    description: 'The signed-in operator and the CSRF token of the session cookie, or `signedIn: false`; never a 401.',
    responses: { 200: json(SessionProbe, 'The session, or none') },
  }), async (c) => {
    const principal = await resolve(c.req.header('cookie'), Date.now());
    if (!principal?.role) return c.json({ signedIn: false, operator: null, csrfToken: null }, 200);
    return c.json({
      signedIn: true, operator: { id: principal.id, username: principal.name, role: principal.role }, csrfToken: principal.csrfToken ?? null,
    }, 200);
  });
  return router;
}

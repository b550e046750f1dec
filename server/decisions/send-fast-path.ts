/**
 * POST /v1/sends as the messaging backend calls it — a bearer token the token cache holds, a JSON
 * body within the limit, the server's clock — answered by the app's first handler, ahead of the
 * middleware chain every other route goes through; likewise POST /v1/sends/check, which a backend
 * calls before it offers a send at all (whether a profile shows a message button). That chain
 * (security headers, metrics, clock, authentication, CSRF, route access, body size, then the OpenAPI
 * validator's asynchronous parse) cost a decision 15–25 % of its CPU (bench/RESULTS.md, session 6),
 * and a dry run over it cost ~30 % more than over this handler (session 15). This handler does what
 * the chain would do for such a request, with the same pieces: the route table's line for the
 * route, the token cache, the same schema parsed synchronously, the same error answers, headers and
 * metrics. Any other request — a session cookie, a token not cached yet, X-Simulated-Now, another
 * media type, a body the schema refuses — goes on to the chain unchanged, which answers it as it
 * answers every route (the body read here stays readable there).
 */
import type { Context, Next } from 'hono';
import { allows, bearerSecret, type Requirement } from '../http/auth.ts';
import { handleError } from '../http/errors.ts';
import { routeAccess } from '../http/route-access.ts';
import { jsonAnswerHeaders, setSecurityHeaders } from '../http/security-headers.ts';
import { simulatedNowHeader } from '../http/clock.ts';
import type { TokenCache } from '../http/token-cache.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { SendRequest } from './request.ts';
import type { DecisionService } from './service.ts';

/**
 * The routes answered here, and what each asks of the decision service. A dry run is decided as soon
 * as its body is read, so each answer went out alone, in the callback that read its request: on a
 * busy service every write woke the client's sleeping reader, and that wake-up is paid inside the
 * write (a dry run's `writev` cost 37 µs of CPU against 16 for an enforced send's, whose answers go
 * out together when their batch commits; bench/RESULTS.md, session 18). So a dry run's answer waits
 * for the end of the event loop's turn (`setImmediate`), and the answers decided in one turn are
 * written one after another.
 */
const decisionsOf = {
  '/v1/sends': (decisions: DecisionService, request: SendRequest, now: number) => decisions.enforce(request, now),
  '/v1/sends/check': async (decisions: DecisionService, request: SendRequest, now: number) => {
    const answer = await decisions.check(request, now);
    await new Promise((resolve) => setImmediate(resolve));
    return answer;
  },
};
export type FastPath = keyof typeof decisionsOf;

export interface SendFastPathDeps {
  decisions: DecisionService;
  tokens: TokenCache;
  metrics: Metrics;
  /** The body limit of /v1 JSON routes, in bytes. */
  maxBodyBytes: number;
}

/** @example app.post('/v1/sends', sendFastPath('/v1/sends', { decisions, tokens, metrics, maxBodyBytes }))  // before any app.use */
export function sendFastPath(path: FastPath, deps: SendFastPathDeps) {
  const access = routeAccess[`POST ${path}`] as Requirement;
  const decision = decisionsOf[path];
  return async (c: Context, next: Next): Promise<Response | void> => {
    const now = Date.now();
    const secret = bearerSecret(c.req.header('authorization'));
    const principal = secret === null ? null : deps.tokens.get(secret, now);
    const length = Number(c.req.header('content-length'));
    if (principal === null || !allows(access, principal) || c.req.header(simulatedNowHeader) !== undefined
      || !(length <= deps.maxBodyBytes) || c.req.header('transfer-encoding') !== undefined
      || !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) return next();
    let request: SendRequest;
    try {
      const parsed = SendRequest.safeParse(JSON.parse(await c.req.text()));
      if (!parsed.success) return next();
      request = parsed.data;
    } catch {
      return next();
    }
    let response: Response;
    try {
      const answer = await decision(deps.decisions, request, now);
      // The headers as one object rather than set one by one on Node's message (setSecurityHeaders):
      // that stored each of them apart, ~3 KiB of garbage an answer (bench/RESULTS.md, session 9).
      response = new Response(JSON.stringify(answer), { status: 200, headers: jsonAnswerHeaders });
    } catch (error) {
      setSecurityHeaders(c);
      response = handleError(error as Error, c);
    }
    deps.metrics.observeRequest('POST', path, response.status);
    return response;
  };
}

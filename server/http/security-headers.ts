/**
 * Security headers on every answer: a strict Content-Security-Policy, no framing (clickjacking), no
 * MIME sniffing, no referrer — the set hono's secureHeaders sends, with this policy. /docs lives
 * under the same policy: Swagger UI runs from the service's own files (server/docs.ts), with no
 * inline script and nothing from elsewhere.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';

/** Everything from this origin, nothing inline, never framed; `data:` images for the favicon and Swagger UI's icons. */
const contentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const securityHeaderValues: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const entries = Object.entries(securityHeaderValues);

/**
 * A JSON answer's headers, the security headers among them, as one plain object for a handler that
 * makes its Response itself (server/decisions/send-fast-path.ts): @hono/node-server hands such an
 * object to Node's writeHead whole, with nothing stored header by header on the outgoing message.
 */
export const jsonAnswerHeaders: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json', ...securityHeaderValues });

/**
 * Served by @hono/node-server, the headers go on Node's outgoing message before the route runs, and
 * Node merges them into whatever the route answers. Set on hono's Response after it, as hono's
 * secureHeaders does, they turned every answer's plain header object into a Headers instance: ~7 µs
 * of CPU a request in a profile of the decision path (bench/RESULTS.md). Without a Node message
 * (app.request), they go on the context, which hands them to the Response.
 * @example app.use('*', securityHeaders())
 */
export function securityHeaders() {
  return createMiddleware(async (c, next) => {
    setSecurityHeaders(c);
    await next();
  });
}

/** Sets the headers for this request's answer (see securityHeaders); for a handler that answers before the middleware runs. */
export function setSecurityHeaders(c: Context): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) for (const [name, value] of entries) outgoing.setHeader(name, value);
  else for (const [name, value] of entries) c.header(name, value);
}

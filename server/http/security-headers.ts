/**
 * Security headers on every answer (hono's secureHeaders): a strict Content-Security-Policy, no
 * framing (clickjacking), no MIME sniffing, no referrer. /docs lives under the same policy: Swagger UI
 * runs from the service's own files (server/docs.ts), with no inline script and nothing from elsewhere.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** The CSP option of secureHeaders (hono exports the middleware's options type only inside it). */
type ContentSecurityPolicyOptions = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>;

/** Everything from this origin, nothing inline, never framed. */
const strict: ContentSecurityPolicyOptions = {
  defaultSrc: ["'self'"],
  // index.html's favicon is `data:,` (no request for /favicon.ico); Swagger UI's stylesheet draws its icons as data: images.
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** @example app.use('*', securityHeaders()) */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({ xFrameOptions: 'DENY', referrerPolicy: 'no-referrer', contentSecurityPolicy: strict });
}

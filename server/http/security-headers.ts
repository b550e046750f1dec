/**
 * Security headers on every answer (hono's secureHeaders): a strict Content-Security-Policy, no
 * framing (clickjacking), no MIME sniffing, no referrer. Only `/docs` gets what its page needs.
 */
import type { MiddlewareHandler } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

/** The CSP option of secureHeaders (hono exports the middleware's options type only inside it). */
type ContentSecurityPolicyOptions = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>;

/** Where the docs page lives; its CSP is the only one that reaches beyond this origin. */
export const docsPath = '/docs';

/** The dashboard's (and the API's): everything from this origin, nothing inline, never framed. */
const strict: ContentSecurityPolicyOptions = {
  defaultSrc: ["'self'"],
  // index.html's favicon is `data:,` (no request for /favicon.ico).
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * /docs renders Scalar from its CDN: the page's two scripts carry this request's nonce (Scalar then
 * loads its single-file bundle, which makes no further script requests), its styles are injected
 * at run time, its fonts come from Scalar's font host.
 */
const docs: ContentSecurityPolicyOptions = {
  ...strict,
  scriptSrc: ["'self'", NONCE],
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'https://fonts.scalar.com'],
};

const common = { xFrameOptions: 'DENY', referrerPolicy: 'no-referrer' } as const;

/**
 * The headers middleware; on /docs it also sets `c.var.secureHeadersNonce` for the page's scripts.
 * @example app.use('*', securityHeaders())
 */
export function securityHeaders(): MiddlewareHandler {
  const everywhere = secureHeaders({ ...common, contentSecurityPolicy: strict });
  const onDocs = secureHeaders({ ...common, contentSecurityPolicy: docs });
  return (c, next) => (c.req.path === docsPath ? onDocs(c, next) : everywhere(c, next));
}

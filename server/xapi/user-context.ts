/**
 * The X API v2 DM endpoints act for a user: the bearer token must stand for a user of an app
 * (OAuth 2.0 user context, in X's terms). An app-only token — or a service token — is refused as X
 * refuses it, with 403 Unsupported Authentication. The endpoint's scope (dm.write, dm.read) is its
 * line of server/http/route-access.ts, checked before this.
 */
import { createMiddleware } from 'hono/factory';
import type { Principal } from '../http/principal.ts';
import { problemTypes, XApiProblem } from './problems.ts';

/** Who a /2/ request acts for. */
export interface UserContext {
  userId: string;
  appId: string;
}

const unsupportedAuthentication = () => new XApiProblem(403, 'Unsupported Authentication',
  'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 User Context].',
  problemTypes.unsupportedAuthentication);

/** The user and app a principal acts for; throws 403 Unsupported Authentication for an app-only or service token. */
export function userContextOf(p: Principal): UserContext {
  if (p.kind !== 'token' || !p.userId || !p.appId) throw unsupportedAuthentication();
  return { userId: p.userId, appId: p.appId };
}

/** Refuses a token that stands for no user with 403 Unsupported Authentication. */
export function requireUserContext() {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    userContextOf(c.get('principal'));
    await next();
  });
}

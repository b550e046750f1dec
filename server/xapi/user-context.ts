/**
 * The X API v2 DM endpoints act for a user: the bearer token must stand for a user of an app
 * (OAuth 2.0 user context, in X's terms). An app-only token — or a service token — is refused as X
 * refuses it, with 403 Unsupported Authentication; a user token without the endpoint's scope with 403.
 */
import { createMiddleware } from 'hono/factory';
import type { Scope } from '../../db/stores/tokens.ts';
import { hasScope, type Principal } from '../http/auth.ts';
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

/** Refuses a token that stands for no user (403 Unsupported Authentication) or lacks `scope` (403). */
export function requireUserContext(scope: Extract<Scope, 'dm.write' | 'dm.read'>) {
  return createMiddleware<{ Variables: { principal: Principal } }>(async (c, next) => {
    const p = c.get('principal');
    userContextOf(p);
    if (!hasScope(p, scope)) {
      throw new XApiProblem(403, 'Forbidden', `this token lacks the "${scope}" scope`, problemTypes.blank, { parameter: 'headers.Authorization' });
    }
    await next();
  });
}

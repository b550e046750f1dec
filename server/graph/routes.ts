/** The state the rules read (DESIGN §4): PUT/GET accounts and PUT/DELETE the edges between them. */
import { createRoute, z } from '@hono/zod-openapi';
import { getAccount, type Edge } from '../../db/stores/graph.ts';
import type { EdgeChange } from './graph-events.ts';
import { changeAccount, changeEdge } from './graph-writes.ts';
import type { AppDeps } from '../deps.ts';
import { bearerSecurity, errorResponses, newRouter } from '../http/router.ts';

const idPattern = /^[A-Za-z0-9_.:-]+$/;

/** Every id the graph knows — accounts, businesses, apps: 1 to 128 characters of `A-Z a-z 0-9 _ . : -`. */
export const GraphId = z.string()
  .min(1, 'an id has at least 1 character')
  .max(128, 'an id has at most 128 characters')
  .regex(idPattern, 'an id may contain only A-Z a-z 0-9 _ . : -')
  .openapi({ example: 'u1' });

const inboxes = ['everyone', 'following', 'verified'] as const;

/** The settable fields of an account; unknown fields are refused so that a typo never passes silently. */
export const AccountFields = z.object({
  verified: z.boolean().optional(),
  phoneVerified: z.boolean().optional(),
  protected: z.boolean().optional(),
  suspended: z.boolean().optional(),
  inbox: z.enum(inboxes).optional().openapi({ description: 'Who may message this account directly (R4); protected accounts follow it too' }),
}).strict().openapi('AccountFields', { description: 'Any of the fields; the ones left out keep their value' });

export const Account = z.object({
  id: GraphId,
  verified: z.boolean(),
  phoneVerified: z.boolean(),
  protected: z.boolean(),
  suspended: z.boolean(),
  inbox: z.enum(inboxes),
}).openapi('Account');

const AccountParams = z.object({ id: GraphId.openapi({ param: { name: 'id', in: 'path' } }) });

/** How one kind of edge appears in the API; `from` is always the account `{id}`. */
interface EdgeKind {
  /** The path segment after `/accounts/{id}/`. */
  segment: string;
  /** The name of the path parameter for the other end. */
  other: 'otherId' | 'businessId' | 'appId';
  /** Refusal message for an edge from an account to itself; absent when the other end is no account. */
  selfRefusal?: string;
  summary: string;
  description: string;
  put: EdgeChange;
  remove?: { summary: string; change: EdgeChange };
  /** The JSON answered for the edge: `present` is false after a DELETE. */
  schema: z.ZodObject;
  json: (edge: Edge, present: boolean, now: number) => Record<string, unknown>;
}

const edgeKinds: EdgeKind[] = [
  {
    segment: 'following', other: 'otherId', selfRefusal: 'an account cannot follow itself',
    summary: 'Follow', description: '`id` follows `otherId` (R3: the follow gate asks whether the recipient follows the sender).',
    put: 'follow', remove: { summary: 'Unfollow', change: 'unfollow' },
    schema: z.object({ follower: GraphId, followee: GraphId, following: z.boolean() }).openapi('Following'),
    json: (e, present) => ({ follower: e.from, followee: e.to, following: present }),
  },
  {
    segment: 'blocks', other: 'otherId', selfRefusal: 'an account cannot block itself',
    summary: 'Block', description: '`id` blocks `otherId` (R1: a block in either direction denies).',
    put: 'block', remove: { summary: 'Unblock', change: 'unblock' },
    schema: z.object({ blocker: GraphId, blocked: GraphId, blocking: z.boolean() }).openapi('Block'),
    json: (e, present) => ({ blocker: e.from, blocked: e.to, blocking: present }),
  },
  {
    segment: 'reports', other: 'otherId', selfRefusal: 'an account cannot report itself',
    summary: 'Report', description: '`id` reports `otherId` (R7). Reporting again moves the report to now.',
    put: 'report',
    schema: z.object({ reporter: GraphId, reported: GraphId, reportedAt: z.string().openapi({ format: 'date-time' }) }).openapi('Report'),
    json: (e, _present, now) => ({ reporter: e.from, reported: e.to, reportedAt: new Date(now).toISOString() }),
  },
  {
    segment: 'accepted', other: 'otherId', selfRefusal: 'an account cannot accept its own message request',
    summary: 'Accept a message request', description: "`id` accepts `otherId`'s message request (R6); it then counts as a prior conversation (R5).",
    put: 'accept',
    schema: z.object({ recipient: GraphId, sender: GraphId, accepted: z.boolean() }).openapi('AcceptedRequest'),
    json: (e, present) => ({ recipient: e.from, sender: e.to, accepted: present }),
  },
  {
    segment: 'welcome-shown', other: 'businessId', selfRefusal: 'an account cannot be shown its own welcome message',
    summary: 'Record a welcome message shown', description: "`id` was shown business `businessId`'s welcome message. Recorded, but it grants no permission (R8).",
    put: 'welcomeShown',
    schema: z.object({ account: GraphId, business: GraphId, welcomeShown: z.boolean() }).openapi('WelcomeShown'),
    json: (e, present) => ({ account: e.from, business: e.to, welcomeShown: present }),
  },
  {
    segment: 'app-grants', other: 'appId',
    summary: 'Grant an app DM permission', description: '`id` lets app `appId` send direct messages on its behalf (R13).',
    put: 'grantApp', remove: { summary: 'Revoke an app grant', change: 'revokeApp' },
    schema: z.object({ account: GraphId, app: GraphId, granted: z.boolean() }).openapi('AppGrant'),
    json: (e, present) => ({ account: e.from, app: e.to, granted: present }),
  },
];

function edgeParams(kind: EdgeKind) {
  const params = z.object({
    id: GraphId.openapi({ param: { name: 'id', in: 'path' } }),
    [kind.other]: GraphId.openapi({ param: { name: kind.other, in: 'path' } }),
  });
  const selfRefusal = kind.selfRefusal;
  if (!selfRefusal) return params;
  return params.refine((p) => p.id !== p[kind.other], { path: [kind.other], message: selfRefusal });
}

const tags = ['graph'];

/**
 * The graph routes, mounted under /v1 by the app; every one needs the `graph` scope.
 * @example app.route('/v1', graphRoutes(deps))  // PUT /v1/accounts/u1/following/u2
 */
export function graphRoutes(deps: AppDeps) {
  const { store, state } = deps;
  const router = newRouter();

  router.openapi(createRoute({
    method: 'put', path: '/accounts/{id}', tags, security: bearerSecurity,
    summary: 'Create or update an account',
    description: 'Sets any of the fields; the others keep their value (or the defaults, for a new account).',
    request: { params: AccountParams, body: { required: true, content: { 'application/json': { schema: AccountFields } } } },
    responses: { 200: { description: 'The account, whole', content: { 'application/json': { schema: Account } } }, ...errorResponses },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const fields = c.req.valid('json');
    const now = c.get('now');
    return c.json(await store.writer.write((tx) => changeAccount(tx, state, id, fields, now)), 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/accounts/{id}', tags, security: bearerSecurity,
    summary: 'Read an account',
    description: 'An account that was never PUT exists with the defaults: not verified, not protected, not suspended, inbox `following`.',
    request: { params: AccountParams },
    responses: { 200: { description: 'The account', content: { 'application/json': { schema: Account } } }, ...errorResponses },
  }), async (c) => c.json(await getAccount(store.db, c.req.valid('param').id), 200));

  for (const kind of edgeKinds) {
    const path = `/accounts/{id}/${kind.segment}/{${kind.other}}`;
    const params = edgeParams(kind);
    const responses = { 200: { description: 'The edge', content: { 'application/json': { schema: kind.schema } } }, ...errorResponses };
    const edgeOf = (p: Record<string, string>): Edge => ({ from: p.id, to: p[kind.other] });

    router.openapi(createRoute({
      method: 'put', path, tags, security: bearerSecurity,
      summary: kind.summary, description: `${kind.description} Idempotent.`,
      request: { params }, responses,
    }), async (c) => {
      const edge = edgeOf(c.req.valid('param') as Record<string, string>);
      const now = c.get('now');
      await store.writer.write((tx) => changeEdge(tx, state, kind.put, edge, now));
      return c.json(kind.json(edge, true, now), 200);
    });

    const remove = kind.remove;
    if (!remove) continue;
    router.openapi(createRoute({
      method: 'delete', path, tags, security: bearerSecurity,
      summary: remove.summary, description: 'Idempotent: removing an edge that does not exist succeeds.',
      request: { params }, responses,
    }), async (c) => {
      const edge = edgeOf(c.req.valid('param') as Record<string, string>);
      const now = c.get('now');
      await store.writer.write((tx) => changeEdge(tx, state, remove.change, edge, now));
      return c.json(kind.json(edge, false, now), 200);
    });
  }

  return router;
}

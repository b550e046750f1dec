/** GET /v1/audit: the append-only log of every change, newest first, by policy, actor, action, version and time. */
import { createRoute, z } from '@hono/zod-openapi';
import { auditFacets, queryAudit } from '../../../db/stores/audit.ts';
import type { AppDeps } from '../../deps.ts';
import { ApiError } from '../../http/errors.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';
import { json } from '../../http/responses.ts';
import { decodeAuditCursor, encodeAuditCursor } from '../decision-log/cursor.ts';

const IsoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-03-02T10:00:00Z' });

const AuditQuery = z.object({
  policy: z.string().min(1).max(64).optional().openapi({ param: { name: 'policy', in: 'query' }, example: 'dm' }),
  actor: z.string().min(1).max(200).optional().openapi({ param: { name: 'actor', in: 'query' }, example: 'token:bootstrap' }),
  action: z.string().min(1).max(64).optional().openapi({ param: { name: 'action', in: 'query' }, example: 'version.publish' }),
  version: z.string().min(1).max(128).optional().openapi({
    param: { name: 'version', in: 'query' }, description: 'Entries about this policy version: its draft created and edited, approved, published, rolled back to.',
  }),
  from: IsoTime.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Entries at or after this time.' }),
  to: IsoTime.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Entries at or before this time.' }),
  cursor: z.string().min(1).max(512).optional().openapi({ param: { name: 'cursor', in: 'query' }, description: 'The `nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ param: { name: 'limit', in: 'query' } }),
}).refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to), { path: ['to'], message: 'must not be before from' });

const AuditEntry = z.object({
  id: z.string(),
  at: z.string().openapi({ format: 'date-time' }),
  actor: z.string().openapi({ description: 'The operator, or `token:<name>` for a service token.' }),
  action: z.string().openapi({ example: 'version.publish' }),
  policy: z.string().nullable(),
  subject: z.string().nullable().openapi({ description: 'What changed: a version, an experiment, a token…' }),
  diff: z.unknown().openapi({ description: 'What changed, structured (for versions: the diff of GET /policies/{policy}/diff).' }),
  reason: z.string().nullable(),
  names: z.record(z.string(), z.string()).openapi({
    description: 'The ids of this entry (its subject, an exemption in its diff) with the names operators know them by: an operator\'s username, a token\'s or an experiment\'s name.',
    example: { 'operator:8c1e…': 'alice' },
  }),
}).openapi('AuditEntry');

const AuditPage = z.object({
  entries: z.array(AuditEntry),
  nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last one' }),
}).openapi('AuditPage');

const AuditFacets = z.object({ actors: z.array(z.string()), actions: z.array(z.string()) }).openapi('AuditFacets');

/** @example app.route('/v1', auditRoutes(deps))  // GET /v1/audit?policy=dm&actor=alice&from=2026-03-01T00:00:00Z */
export function auditRoutes(deps: AppDeps) {
  const router = newRouter();
  router.openapi(createRoute({
    method: 'get', path: '/audit', tags: ['audit'], security: bearerSecurity,
    summary: 'Query the audit log',
    description: 'Every change — draft created or edited (with the diff), approval, publish, rollback, and the other domains\' changes — newest first, in pages. Times are ISO-8601.',
    request: { query: AuditQuery },
    responses: { 200: json(AuditPage, 'The entries, newest first'), ...errorResponses },
  }), async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor === undefined ? undefined : decodeAuditCursor(q.cursor);
    if (after === null) throw new ApiError(400, 'invalid_request', 'not a cursor this service issued', 'query.cursor');
    // One more than asked tells whether another page follows.
    const rows = await queryAudit(deps.store.db, {
      policy: q.policy, actor: q.actor, action: q.action, version: q.version, after, limit: q.limit + 1,
      from: q.from === undefined ? undefined : Date.parse(q.from),
      to: q.to === undefined ? undefined : Date.parse(q.to),
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit ? encodeAuditCursor({ at: last.at, id: last.id }) : null;
    return c.json({ entries: page.map((e) => ({ ...e, at: new Date(e.at).toISOString() })), nextCursor }, 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/audit/facets', tags: ['audit'], security: bearerSecurity,
    summary: 'Who and what the audit log holds',
    description: 'The distinct actors and actions of the log, for a filter to offer.',
    responses: { 200: json(AuditFacets, 'Actors and actions, sorted'), ...errorResponses },
  }), async (c) => c.json(await auditFacets(deps.store.db), 200));
  return router;
}

/** GET /v1/audit: the append-only log of every change, newest first, by policy, actor and time. */
import { createRoute, z } from '@hono/zod-openapi';
import { queryAudit } from '../../../db/stores/audit.ts';
import type { AppDeps } from '../../deps.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';

const IsoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-03-02T10:00:00Z' });

const AuditQuery = z.object({
  policy: z.string().min(1).max(64).optional().openapi({ param: { name: 'policy', in: 'query' }, example: 'dm' }),
  actor: z.string().min(1).max(200).optional().openapi({ param: { name: 'actor', in: 'query' }, example: 'token:bootstrap' }),
  from: IsoTime.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Entries at or after this time.' }),
  to: IsoTime.optional().openapi({ param: { name: 'to', in: 'query' }, description: 'Entries at or before this time.' }),
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
}).openapi('AuditEntry');

const AuditPage = z.object({ entries: z.array(AuditEntry) }).openapi('AuditPage');

/** @example app.route('/v1', auditRoutes(deps))  // GET /v1/audit?policy=dm&actor=alice&from=2026-03-01T00:00:00Z */
export function auditRoutes(deps: AppDeps) {
  const router = newRouter();
  router.openapi(createRoute({
    method: 'get', path: '/audit', tags: ['audit'], security: bearerSecurity,
    summary: 'Query the audit log',
    description: 'Every change — draft created or edited (with the diff), approval, publish, rollback, and the other domains\' changes — newest first. Times are ISO-8601.',
    request: { query: AuditQuery },
    responses: { 200: { description: 'The entries, newest first', content: { 'application/json': { schema: AuditPage } } }, ...errorResponses },
  }), async (c) => {
    const q = c.req.valid('query');
    const entries = await queryAudit(deps.store.db, {
      policy: q.policy, actor: q.actor, limit: q.limit,
      from: q.from === undefined ? undefined : Date.parse(q.from),
      to: q.to === undefined ? undefined : Date.parse(q.to),
    });
    return c.json({ entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) }, 200);
  });
  return router;
}

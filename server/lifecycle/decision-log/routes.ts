/**
 * The decision log for operators (DESIGN §2, "every decision is explainable"): search by account and
 * time, one entry with its facts, its re-explanation with the trace, pruning by age, and live figures.
 */
import { createRoute } from '@hono/zod-openapi';
import { appendAudit } from '../../../db/stores/audit.ts';
import { findDecision, indexFreshness, pruneDecisions, searchDecisions, type DecisionLogEntry, type DecisionLogSummary } from '../../../db/stores/decision-log.ts';
import { findVersion } from '../../../db/stores/policies.ts';
import type { AppDeps } from '../../deps.ts';
import type { Outcome, Params } from '../../policy/document.ts';
import { decodeLoggedFacts } from '../../decisions/logged-facts.ts';
import type { Channel, SendKind } from '../../decisions/request.ts';
import { ApiError } from '../../http/errors.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';
import { json, errorOf, iso } from '../../http/responses.ts';
import { dayMs, minuteMs } from '../../limits/windows.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { explainDecision } from './explain.ts';
import { readFigures } from './figures.ts';
import {
  DecisionEntry, DecisionIdParams, DecisionPage, DecisionSearch, Explanation, Figures, FiguresQuery, PruneRequest, PruneResult,
} from './schemas.ts';

const tags = ['decision log'];

const parseTime = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

function summaryJson(e: DecisionLogSummary) {
  return {
    id: e.id, at: iso(e.at), sender: e.senderId, recipients: e.recipientIds, kind: e.kind as SendKind, channel: e.channel as Channel,
    decision: e.decision as Outcome, reason: e.reason, rule: e.rule, policy: e.policy, version: e.version,
    experimentId: e.experimentId, arm: e.arm, textLength: e.textLength, textFingerprint: e.textFingerprint, sendId: e.sendId,
  };
}

/** `params`: those of the entry's version, which the log doesn't keep (undefined when the version is gone). */
function entryJson(e: DecisionLogEntry, params: Params | undefined) {
  return {
    ...summaryJson(e), fingerprints: e.fingerprints,
    request: (e.request ?? {}) as Record<string, unknown>,
    facts: decodeLoggedFacts(e.facts, params),
  };
}

const notFound = (id: string) => new ApiError(404, 'not_found', `no decision ${id} in the log`, 'params.id');

export function decisionLogRoutes(deps: AppDeps) {
  const { store, policies } = deps;
  const router = newRouter();

  router.openapi(createRoute({
    method: 'get', path: '/decisions', tags, security: bearerSecurity,
    summary: 'Search the decision log',
    description: 'Enforced decisions, newest first, filtered by account (as sender, recipient or either), period, outcome, reason, deciding rule, kind, channel, version and arm. Pages are resumed with `cursor`; each entry appears exactly once across pages.',
    request: { query: DecisionSearch },
    responses: { 200: json(DecisionPage, 'One page of entries'), ...errorResponses },
  }), async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (after === null) throw new ApiError(400, 'invalid_request', 'not a cursor this service issued', 'query.cursor');
    const from = parseTime(q.from);
    const to = parseTime(q.to);
    if (from !== undefined && to !== undefined && from >= to) throw new ApiError(400, 'invalid_request', '`to` must be later than `from`', 'query.to');
    // One more than asked tells whether another page follows without a second query.
    const rows = await searchDecisions(store.db, {
      account: q.account, sender: q.sender, recipient: q.recipient, from, to, decision: q.decision, reason: q.reason,
      rule: q.rule, kind: q.kind, channel: q.channel, version: q.version, arm: q.arm, after, limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > q.limit ? encodeCursor({ at: last.at, seq: last.seq }) : null;
    return c.json({ items: page.map(summaryJson), nextCursor, index: await indexFreshness(store.db, 'accounts') }, 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/decisions/{id}', tags, security: bearerSecurity,
    summary: 'One logged decision',
    description: 'The entry with the request it answered (without the text, which is never stored) and the facts each subject was decided on.',
    request: { params: DecisionIdParams },
    responses: { 200: json(DecisionEntry, 'The entry'), ...errorResponses, 404: errorOf('No such entry') },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const entry = await findDecision(store.db, id);
    if (!entry) throw notFound(id);
    const version = await policies.version(entry.version);
    return c.json(entryJson(entry, version?.params), 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/decisions/{id}/explain', tags, security: bearerSecurity,
    summary: 'Re-explain a logged decision',
    description: 'Evaluates the logged facts of each subject again with the version that decided, with the trace: every rule, every condition, the fact values seen, matched or not. `reproduced` says whether the result equals the logged decision; it always does for a published version, a draft may have changed since.',
    request: { params: DecisionIdParams },
    responses: {
      200: json(Explanation, 'The trace per subject'), ...errorResponses,
      404: errorOf('No such entry'), 409: errorOf('The version that decided is no longer stored'),
    },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const entry = await findDecision(store.db, id);
    if (!entry) throw notFound(id);
    const [policy, stored] = await Promise.all([policies.version(entry.version), findVersion(store.db, entry.policy, entry.version)]);
    if (!policy || !stored) throw new ApiError(409, 'version_unavailable', `version ${entry.version} of ${entry.policy} is no longer stored`, 'params.id');
    const explanation = await explainDecision(entry, policy);
    return c.json({ ...explanation, versionStatus: stored.status }, 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/decisions/prune', tags, security: bearerSecurity,
    summary: 'Prune old decisions',
    description: 'Deletes, in one transaction, the entries logged more than `olderThanDays` days ago, the shadow decisions beside them and the per-minute tallies wholly before that time. Audited as `decision_log.prune`.',
    request: { body: { required: true, content: { 'application/json': { schema: PruneRequest } } } },
    responses: { 200: json(PruneResult, 'What was deleted'), ...errorResponses },
  }), async (c) => {
    const { olderThanDays, reason } = c.req.valid('json');
    const now = c.get('now');
    const actor = c.get('principal').name;
    const before = now - olderThanDays * dayMs;
    // Only indexed entries are pruned (the rebuild's pair history must not lose one): let the indexer catch up first.
    await store.indexer.caughtUp();
    const pruned = await store.writer.write(async (tx) => {
      const result = await pruneDecisions(tx, before, minuteMs);
      await appendAudit(tx, {
        at: now, actor, action: 'decision_log.prune', subject: 'decision_log', reason,
        diff: { olderThanDays, before: iso(before), deleted: result.decisions, minutesDeleted: result.minutes, shadowDecisionsDeleted: result.shadowDecisions },
      });
      return result;
    });
    return c.json({ before: iso(before), deleted: pruned.decisions, minutesDeleted: pruned.minutes, shadowDecisionsDeleted: pruned.shadowDecisions }, 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/figures', tags, security: bearerSecurity,
    summary: 'Live figures',
    description: 'Enforced decisions per minute, hour or day by outcome (every bucket present, zero-filled), the top reasons and the totals, read from per-minute tallies: cheap at any log size. At most 2000 buckets.',
    request: { query: FiguresQuery },
    responses: { 200: json(Figures, 'The figures of the period'), ...errorResponses },
  }), async (c) => {
    const q = c.req.valid('query');
    const figures = await readFigures(store.db, {
      from: parseTime(q.from), to: parseTime(q.to), bucket: q.bucket, version: q.version, arm: q.arm, top: q.top,
    }, c.get('now'));
    return c.json({ ...figures, index: await indexFreshness(store.db, 'minutes') }, 200);
  });

  return router;
}

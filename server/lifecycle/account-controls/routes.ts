/** Operators inspect and reset an account's counters and exempt it from rules — every change audited. */
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { insertCounterReset, insertExemption, listExemptions, revokeExemption } from '../../../db/stores/account-controls.ts';
import { appendAudit } from '../../../db/stores/audit.ts';
import { searchDecisions } from '../../../db/stores/decision-log.ts';
import type { AppDeps } from '../../deps.ts';
import { dailyWindow } from '../../limits/daily-cap.ts';
import type { DecisionWorld } from '../../state/world.ts';
import { AccountId } from '../../decisions/request.ts';
import { ApiError } from '../../http/errors.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';
import { errorOf, json } from '../../http/responses.ts';
import { dayMs } from '../../limits/windows.ts';
import { policyName } from '../../policy/registry.ts';

const tags = ['account controls'];
const Params = z.object({ id: AccountId.openapi({ param: { name: 'id', in: 'path' } }) });
const ExemptionParams = Params.extend({ exemptionId: z.string().min(1).max(64).openapi({ param: { name: 'exemptionId', in: 'path' } }) });
const Reason = z.string().min(1).max(1000);

const ExemptionSchema = z.object({
  id: z.string(), accountId: z.string(), rule: z.string(), expiresAt: z.number(), reason: z.string(),
  createdBy: z.string(), createdAt: z.number(), revokedAt: z.number().nullable(),
}).openapi('Exemption');

const CountersSchema = z.object({
  accountId: z.string(),
  daily: z.object({ window: z.string(), used: z.number(), limit: z.number().nullable() }),
  api: z.object({ user15m: z.number(), user24h: z.number() }),
  cooldownUntil: z.string().nullable(),
  exemptions: z.array(ExemptionSchema),
  seen: z.object({
    stored: z.boolean().openapi({ description: 'The account was PUT or imported; otherwise it exists only implicitly, with the defaults' }),
    lastDecisionAt: z.string().nullable().openapi({ description: 'The latest logged decision with the account as sender or recipient; null when there is none' }),
  }).openapi({ description: 'Whether the service ever saw the account: an id never stored nor decided on has counters of zero that mean nothing' }),
}).openapi('AccountCounters');

const NewExemption = z.object({
  rule: z.string().min(1).max(64).openapi({ description: 'A rule name of the active version, e.g. daily-cap' }),
  expiresAt: z.iso.datetime({ offset: true }).openapi({ description: 'When the exemption ends (ISO-8601), in the future' }),
  reason: Reason,
}).strict().openapi('NewExemption');

export function accountControlRoutes(deps: AppDeps) {
  const { store, policies, state } = deps;
  const router = newRouter();
  const security = bearerSecurity;

  router.openapi(createRoute({
    method: 'get', path: '/accounts/{id}/counters', tags, security,
    summary: "An account's counters", description: 'What the limits count for this sender now, by the active version, and its exemptions.',
    request: { params: Params }, responses: { 200: json(CountersSchema, 'Counters'), ...errorResponses },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const now = c.get('now');
    const params = policies.active().params;
    await state.catchUp();
    const { world } = state;
    const account = world.accounts.find(id);
    const api = world.apiWindows.usage(account, null, now);
    // The newest entry naming the account: a seek on the log by account (and the few rows not indexed yet), never a scan.
    const [latest] = await searchDecisions(store.db, { account: id, limit: 1 });
    return c.json({
      accountId: id,
      daily: { window: dailyWindow(params), used: world.dailyCap.used(account, params, now), limit: typeof params.dailyLimit === 'number' ? params.dailyLimit : null },
      api: { user15m: api.apiUser15m, user24h: api.apiUser24h },
      cooldownUntil: world.duplicateSpam.inCooldown(account, now) ? new Date(world.duplicateSpam.cooldownUntil(account)!).toISOString() : null,
      exemptions: await listExemptions(store.db, id, now),
      seen: { stored: world.graph.exists(id), lastDecisionAt: latest ? new Date(latest.at).toISOString() : null },
    }, 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/accounts/{id}/counters/reset', tags, security,
    summary: "Reset an account's counters",
    description: 'Sends of the last 24 h stop counting toward the daily cap (they stay delivered); API requests, duplicate fingerprints and the cooldown are cleared. Audited.',
    request: { params: Params, body: { required: true, content: { 'application/json': { schema: z.object({ reason: Reason }).strict() } } } },
    responses: { 200: json(z.object({ sendsUncounted: z.number(), apiRequestsCleared: z.number(), fingerprintsCleared: z.number(), cooldownCleared: z.boolean() }), 'What was reset'), ...errorResponses },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const now = c.get('now');
    const actor = c.get('principal').name;
    const reset = await store.writer.write(async (tx) => {
      const { world } = state;
      const result = countersSince(world, id, now - dayMs, now);
      const seq = world.nextSeq();
      await insertCounterReset(tx, { seq, accountId: id, at: now });
      await appendAudit(tx, { at: now, actor, action: 'counters.reset', policy: policyName, subject: id, diff: result, reason });
      await state.record(tx, { kind: 'countersReset', account: id }, now, seq);
      return result;
    });
    return c.json(reset, 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/accounts/{id}/exemptions', tags, security,
    summary: 'Exempt an account from a rule', description: 'The rule may still match for this sender but never decides, until the exemption expires or is revoked. Audited.',
    request: { params: Params, body: { required: true, content: { 'application/json': { schema: NewExemption } } } },
    responses: { 201: json(ExemptionSchema, 'Granted'), ...errorResponses },
  }), async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const now = c.get('now');
    const expiresAt = Date.parse(body.expiresAt);
    if (expiresAt <= now) throw new ApiError(400, 'invalid_request', 'expiresAt must be in the future', 'body.expiresAt');
    if (!policies.active().document.rules.some((r) => r.name === body.rule)) {
      throw new ApiError(400, 'unknown_rule', `the active version has no rule "${body.rule}"`, 'body.rule');
    }
    const exemption = { id: randomUUID(), accountId: id, rule: body.rule, expiresAt, reason: body.reason, createdBy: c.get('principal').name, createdAt: now, revokedAt: null };
    await store.writer.write(async (tx) => {
      await insertExemption(tx, exemption);
      await appendAudit(tx, { at: now, actor: exemption.createdBy, action: 'exemption.grant', policy: policyName, subject: id, diff: { rule: body.rule, expiresAt: body.expiresAt }, reason: body.reason });
      await state.record(tx, { kind: 'exemption', account: id, exemption: { id: exemption.id, rule: exemption.rule, expiresAt } }, now, state.world.nextSeq());
    });
    return c.json(exemption, 201);
  });

  router.openapi(createRoute({
    method: 'delete', path: '/accounts/{id}/exemptions/{exemptionId}', tags, security,
    summary: 'Revoke an exemption', request: { params: ExemptionParams },
    responses: { 200: json(z.object({ revoked: z.literal(true) }), 'Revoked'), ...errorResponses, 404: errorOf('No such active exemption') },
  }), async (c) => {
    const { id, exemptionId } = c.req.valid('param');
    const now = c.get('now');
    const actor = c.get('principal').name;
    await store.writer.write(async (tx) => {
      if (!(await revokeExemption(tx, id, exemptionId, now))) throw new ApiError(404, 'unknown_exemption', `no active exemption ${exemptionId} for ${id}`, 'params.exemptionId');
      await appendAudit(tx, { at: now, actor, action: 'exemption.revoke', policy: policyName, subject: id, diff: { exemptionId } });
      await state.record(tx, { kind: 'exemptionRevoked', account: id, id: exemptionId }, now, state.world.nextSeq());
    });
    return c.json({ revoked: true as const }, 200);
  });

  return router;
}

/** What a reset takes away: the account's counted sends, API requests and fingerprint uses since `since`, and a running cooldown. */
function countersSince(world: DecisionWorld, accountId: string, since: number, now: number) {
  const account = world.accounts.find(accountId);
  const from = (times: number[]) => times.filter((at) => at >= since).length;
  return {
    sendsUncounted: from(world.dailyCap.snapshot(account)),
    apiRequestsCleared: from(world.apiWindows.snapshot(account)),
    fingerprintsCleared: world.duplicateSpam.snapshot(account).filter(([, , at]) => at >= since).length,
    cooldownCleared: world.duplicateSpam.inCooldown(account, now),
  };
}

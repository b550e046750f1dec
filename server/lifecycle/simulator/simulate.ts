/**
 * The simulator's what-if: a send decided, on the stored state, by the version an operator picks —
 * a draft beside the active one — recording nothing. It answers what /v1/sends/check answers.
 */
import { randomUUID } from 'node:crypto';
import type { Executor } from '../../../db/client.ts';
import { decide } from '../../decisions/decide.ts';
import { loadDecisionState } from '../../decisions/facts.ts';
import { countsTowardDailyCap } from '../../decisions/record.ts';
import type { DecisionResponse, SendRequest } from '../../decisions/request.ts';
import { databaseState } from '../../decisions/state-source.ts';
import { dailyQuota } from '../../limits/daily-cap.ts';
import { retryAfterSeconds } from '../../limits/retry-after.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';

/**
 * Decides `request` by `policy` as DecisionService.check does by the active version (outside any
 * experiment: the operator chose the version), inline facts winning over the store.
 * @example await simulateSend(store.db, request, await policies.version('x-2023-draft-1'), Date.now())
 */
export async function simulateSend(db: Executor, request: SendRequest, policy: LoadedPolicy, now: number): Promise<DecisionResponse> {
  const newConversationId = request.kind === 'group_create' ? `g:${randomUUID()}` : null;
  const state = await loadDecisionState(db, databaseState, request, policy.params, now, newConversationId);
  const decision = await decide(request, state, policy, { trace: request.trace, inlineFacts: request.facts });
  const limits = decision.outcome === 'limit' ? decision.subjects.filter((s) => s.outcome === 'limit').flatMap((s) => s.limits) : [];
  const retryAfter = limits.length ? await retryAfterSeconds(db, limits, state.sender, request.appId ?? null, policy.params, now) : null;
  const daily = dailyQuota(state.sender, policy.params, now, countsTowardDailyCap(request, decision));
  return {
    decision: decision.outcome,
    reason: decision.event.params.reason,
    rule: decision.rule,
    policy: { name: policy.name, version: policy.version, arm: null },
    retryAfterSeconds: retryAfter,
    quota: daily ? { daily } : {},
    recipients: decision.subjects.filter((s) => s.subject !== null)
      .map((s) => ({ id: s.subject!, decision: s.outcome, reason: s.event.params.reason, rule: s.rule })),
    conversationId: null,
    sendId: null,
    trace: request.trace ? decision.subjects.map((s) => ({ recipientId: s.subject, facts: s.facts, rules: s.trace ?? [] })) : null,
  };
}

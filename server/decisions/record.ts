/**
 * What an enforced decision leaves behind: the rule families' recording rules turn it into a
 * RecordedDecision (what the in-memory state folds) and one decision-log row (what the state is
 * rebuilt from) — the same facts, so the two can't disagree.
 */
import type { DecisionLogRow } from '../../db/stores/decision-log.ts';
import { countsAsApiRequest } from '../limits/api-windows.ts';
import { countsTowardDailyCap } from '../limits/daily-cap.ts';
import { cooldownAfterAttempt, tripsCooldown } from '../limits/duplicate-spam.ts';
import { isAdmitted, type Decision } from '../policy/decision.ts';
import type { Params } from '../policy/document.ts';
import type { LoadedPolicy } from '../policy/registry.ts';
import type { RecordedDecision } from '../state/world.ts';
import { targetOf, type DecisionState } from './decision-state.ts';
import { timeOrderedId } from './ids.ts';
import { encodeLoggedFacts } from './logged-facts.ts';
import { messageKinds, type SendRequest } from './request.ts';

/** The experiment arm a decision was made in, if any. */
export interface ArmLabel {
  experimentId: string;
  arm: string;
}

/** A shadow arm's decision beside the enforced one (logged with it, never enforced). */
export interface ShadowDecision {
  experimentId: string;
  arm: string;
  version: string;
  decision: string;
  reason: string;
  rule: string | null;
}

/** The direct conversation of two accounts, the same whichever sends: its ids in code-unit order (as Array#sort). */
export const directConversationId = (a: string, b: string) => (a <= b ? `dm:${a}:${b}` : `dm:${b}:${a}`);

/** Where the send went if delivered: its own conversation, the one a group_create creates, or the one named. */
function conversationOf(request: SendRequest, state: DecisionState): string {
  if (request.kind === 'direct') return request.conversationId ?? directConversationId(request.senderId, request.recipientIds[0]);
  if (request.kind === 'group_create') return state.newConversationId!;
  return request.conversationId!;
}

/**
 * The counting families' recording rules for one decision: whether it counts toward the daily cap,
 * whether it is an API request, and where the cooldown now ends. Live decisions and replays alike.
 */
export function countersOf(isMessage: boolean, channel: string, decision: Decision, params: Params, cooldownUntil: number | null, now: number) {
  return {
    counted: countsTowardDailyCap(isMessage, decision),
    apiRequest: countsAsApiRequest(isMessage, channel, decision),
    cooldownUntil: isMessage ? cooldownAfterAttempt(cooldownUntil, params, now, tripsCooldown(decision)) : null,
  };
}

/** The recording rules of every family, applied to one decision at `seq` (the log row's place). */
export function recordedDecision(request: SendRequest, state: DecisionState, decision: Decision, policy: LoadedPolicy, seq: number): RecordedDecision {
  const isMessage = messageKinds.has(request.kind);
  const admitted = isAdmitted(decision);
  const delivered = admitted && request.kind !== 'group_invite';
  return {
    seq, at: state.now, senderId: request.senderId, appId: request.appId ?? null, kind: request.kind, recipientIds: request.recipientIds,
    admitted,
    conversationId: admitted ? conversationOf(request, state) : null,
    ...countersOf(isMessage, request.channel, decision, policy.params, state.sender.cooldownUntil, state.now),
    fingerprints: state.fingerprints,
    fingerprintTarget: delivered ? targetOf(request, request.kind === 'direct' ? request.recipientIds[0] : null, state.newConversationId) : null,
  };
}

export interface Idempotency {
  key: string;
  requestHash: string;
  response: string;
}

/** The decision log's row for a recorded decision. */
export function logRow(
  request: SendRequest, state: DecisionState, decision: Decision, policy: LoadedPolicy, recorded: RecordedDecision,
  extra: { id: string; sendId: string | null; arm: ArmLabel | null; shadows: ShadowDecision[]; idempotency: Idempotency | null },
): DecisionLogRow {
  return {
    seq: recorded.seq, id: extra.id, at: recorded.at, senderId: request.senderId, recipientIds: request.recipientIds, kind: request.kind, channel: request.channel,
    appId: recorded.appId, conversationId: recorded.conversationId,
    decision: decision.outcome, reason: decision.event.params.reason, rule: decision.rule, policy: policy.name, version: policy.version,
    experimentId: extra.arm?.experimentId ?? null, arm: extra.arm?.arm ?? null,
    textFingerprint: state.fingerprints.find((f) => f.startsWith('text:')) ?? null, fingerprints: state.fingerprints, textLength: state.textLength,
    request: { ...request, text: undefined }, facts: encodeLoggedFacts(decision.subjects.map((s) => ({ subject: s.subject, facts: s.facts })), [...state.sender.exemptRules]),
    sendId: extra.sendId, counted: recorded.counted, apiRequest: recorded.apiRequest, cooldownUntil: recorded.cooldownUntil,
    fingerprintTarget: recorded.fingerprintTarget,
    idempotencyKey: extra.idempotency?.key ?? null, requestHash: extra.idempotency?.requestHash ?? null, response: extra.idempotency?.response ?? null,
    shadows: extra.shadows.length ? JSON.stringify(extra.shadows) : null,
  };
}

/** A new decision id, and a send id when something was delivered: time-ordered, so their index only grows at its end. */
export function newIds(recorded: RecordedDecision): { id: string; sendId: string | null } {
  return { id: timeOrderedId(), sendId: recorded.admitted && recorded.kind !== 'group_invite' ? timeOrderedId() : null };
}

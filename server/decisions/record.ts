/**
 * What an enforced decision leaves behind, written in the same transaction that decided it:
 * delivered sends (and the conversations they open), API requests, cooldowns and the decision log.
 */
import type { Transaction } from '../../db/client.ts';
import type { BatchStateKind } from '../../db/writer.ts';
import {
  addParticipants, addToMinuteTally, createGroupConversation, insertApiRequest, insertDecisionLog, insertSend, restartCooldown, type MinuteTally,
} from '../../db/stores/sends.ts';
import { minuteMs } from '../limits/windows.ts';
import { cooldownAfterAttempt } from '../limits/duplicate-cooldown.ts';
import type { LoadedPolicy } from '../policy/registry.ts';
import type { Decision } from './decide.ts';
import { fingerprintTarget, type DecisionState } from './facts.ts';
import { timeOrderedId } from './ids.ts';
import { encodeLoggedFacts } from './logged-facts.ts';
import { messageKinds, type SendRequest } from './request.ts';

/** The experiment arm a decision was made in, if any. */
export interface ArmLabel {
  experimentId: string;
  arm: string;
}

export interface Recorded {
  /** The decision-log entry; null for a dry run. */
  decisionId: string | null;
  conversationId: string | null;
  sendId: string | null;
  /** Whether the send counts toward the daily cap. */
  counted: boolean;
  /** Whether an API request was counted (R12). */
  apiRequest: boolean;
  /** The cooldown's new end, when the attempt started or restarted it (R14). */
  cooldownUntil: number | null;
  /** Where a delivered send's fingerprints landed (a recipient or a conversation); null if none was delivered. */
  fingerprintTarget: string | null;
}

export const directConversationId = (a: string, b: string) => `dm:${[a, b].sort().join(':')}`;

const isAdmitted = (d: Decision) => d.outcome === 'allow' || d.outcome === 'request';

/**
 * R12 counts every API send request whatever its outcome, except one it refused itself, so that
 * retryAfterSeconds stays exact for a client that waits as told.
 */
export function countsAsApiRequest(request: SendRequest, decision: Decision): boolean {
  const refusedByRateLimit = decision.outcome === 'limit' && decision.event.params.limit?.startsWith('api') === true;
  return messageKinds.has(request.kind) && request.channel === 'api' && !refusedByRateLimit;
}

/** Whether the attempt trips the duplicate-spam cooldown (R14). */
export const tripsCooldown = (decision: Decision) => decision.subjects.some((s) => s.limits.includes('cooldown'));

/** Whether the send counts toward the daily cap: a message admitted by no rule that exempts it (R11). */
export function countsTowardDailyCap(request: SendRequest, decision: Decision): boolean {
  return isAdmitted(decision) && messageKinds.has(request.kind) && decision.subjects.every((s) => s.event.params.countsTowardDailyLimit !== false);
}

/**
 * The live figures' minute tallies of one writer batch: a batch of decisions adds to a handful of
 * (minute, version, arm, outcome, reason) rows, written once each before the batch commits.
 */
export const minuteTallies: BatchStateKind<Map<string, MinuteTally>> = {
  create: () => new Map(),
  async flush(tx, tallies) {
    for (const tally of tallies.values()) await addToMinuteTally(tx, tally);
  },
};

export async function recordDecision(
  tx: Transaction, request: SendRequest, state: DecisionState, decision: Decision, policy: LoadedPolicy, arm: ArmLabel | null, tallies: Map<string, MinuteTally>,
): Promise<Recorded> {
  const { now } = state;
  const isMessage = messageKinds.has(request.kind);
  const apiRequest = countsAsApiRequest(request, decision);
  if (apiRequest) await insertApiRequest(tx, request.senderId, request.appId ?? null, now);
  const cooldownUntil = isMessage ? cooldownAfterAttempt(state.sender, policy.params, now, tripsCooldown(decision)) : null;
  if (cooldownUntil !== null) await restartCooldown(tx, request.senderId, cooldownUntil);

  const recorded: Recorded = {
    decisionId: timeOrderedId(), conversationId: null, sendId: null, counted: countsTowardDailyCap(request, decision),
    apiRequest, cooldownUntil, fingerprintTarget: null,
  };
  if (isAdmitted(decision)) await deliver(tx, request, state, decision, recorded);

  await insertDecisionLog(tx, {
    id: recorded.decisionId!, at: now, senderId: request.senderId, recipientIds: request.recipientIds, kind: request.kind, channel: request.channel,
    decision: decision.outcome, reason: decision.event.params.reason, rule: decision.rule, policy: policy.name, version: policy.version, experimentId: arm?.experimentId ?? null, arm: arm?.arm ?? null,
    textFingerprint: state.fingerprints.find((f) => f.startsWith('text:')) ?? null, fingerprints: state.fingerprints, textLength: state.textLength,
    request: { ...request, text: undefined }, facts: encodeLoggedFacts(decision.subjects.map((s) => ({ subject: s.subject, facts: s.facts })), [...state.sender.exemptRules]),
    sendId: recorded.sendId,
  });
  const minute = Math.floor(now / minuteMs) * minuteMs;
  const reason = decision.event.params.reason;
  const key = `${minute}\u0000${policy.version}\u0000${arm?.arm ?? ''}\u0000${decision.outcome}\u0000${reason}`;
  const tally = tallies.get(key);
  if (tally) tally.count++;
  else tallies.set(key, { minute, version: policy.version, arm: arm?.arm ?? '', outcome: decision.outcome, reason, count: 1 });
  return recorded;
}

async function deliver(tx: Transaction, request: SendRequest, state: DecisionState, decision: Decision, recorded: Recorded): Promise<void> {
  const { now } = state;
  const { senderId } = request;
  if (request.kind === 'group_invite') {
    await addParticipants(tx, request.conversationId!, request.recipientIds, now);
    recorded.conversationId = request.conversationId!;
    return;
  }
  let recipientId: string | null = null;
  if (request.kind === 'direct') {
    recipientId = request.recipientIds[0];
    // A direct conversation is its id and its sends: nothing reads a row of it, so none is written
    // (it was a B-tree insert at a random place for every first message between two accounts).
    recorded.conversationId = request.conversationId ?? directConversationId(senderId, recipientId);
  } else if (request.kind === 'group_create') {
    recorded.conversationId = state.newConversationId!;
    await createGroupConversation(tx, { id: recorded.conversationId, creatorId: senderId, at: now }, [senderId, ...request.recipientIds]);
  } else {
    recorded.conversationId = request.conversationId!;
  }
  recorded.sendId = timeOrderedId();
  recorded.fingerprintTarget = fingerprintTarget(request, recipientId, state.newConversationId);
  await insertSend(tx, {
    id: recorded.sendId, senderId, recipientId, conversationId: recorded.conversationId, kind: request.kind, channel: request.channel,
    appId: request.appId ?? null, outcome: decision.outcome as 'allow' | 'request', counted: recorded.counted,
    textLength: state.textLength, at: now,
  }, state.fingerprints, recorded.fingerprintTarget);
}

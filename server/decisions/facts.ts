/** Loads the state a send is decided on, and turns it into the facts of rules/facts.json. */
import type { Executor } from '../../db/client.ts';
import { loadBlockedBy, loadGroupState, type AccountState, type GroupState, type PairState, type SenderState } from '../../db/stores/decision-state.ts';
import type { ParameterValue } from '../policy/document.ts';
import type { FactValues } from '../policy/evaluation.ts';
import { messageFingerprints } from '../limits/fingerprint.ts';
import { dailyWindowStart, minuteMs, rollingWindowStart, dayMs, type DailyWindow } from '../limits/windows.ts';
import type { SendRequest } from './request.ts';
import type { DecisionStateSource } from './state-source.ts';

export type Params = Record<string, ParameterValue>;

/** Who one evaluation is about: a recipient id, or null for a group message (the sender's own limits). */
export type Subject = string | null;

export interface DecisionState {
  now: number;
  sender: SenderState;
  pairs: Map<string, PairState>;
  /** Fingerprints of the text and of each link (R14); the text's comes first when there is one. */
  fingerprints: string[];
  /** The text's length in Unicode code points, computed once for the facts and the records. */
  textLength: number;
  fingerprintTargets: Map<string, Set<string>>;
  group: GroupState | null;
  blockedByParticipant: Set<string>;
  /** The conversation a group_create would create; fixed before deciding so fingerprints can name it. */
  newConversationId: string | null;
}

export const never = Number.MAX_SAFE_INTEGER;

const codePoints = (s: string) => [...s].length;

export function dailyWindow(params: Params): DailyWindow {
  return params.dailyWindow === 'rolling-24h' ? 'rolling-24h' : 'calendar-day';
}

export function duplicateWindowMs(params: Params): number {
  return (typeof params.duplicateWindowMinutes === 'number' ? params.duplicateWindowMinutes : 60) * minuteMs;
}

/** The recipients decided one by one, or the single group-message evaluation. */
export function subjectsOf(request: SendRequest): Subject[] {
  return request.kind === 'group_message' ? [null] : request.recipientIds;
}

/** Where a message lands, for duplicate counting: the recipient, or the group conversation. */
export function fingerprintTarget(request: SendRequest, subject: Subject, newConversationId: string | null): string {
  if (request.kind === 'direct') return subject!;
  return `conversation:${request.conversationId ?? newConversationId}`;
}

export async function loadDecisionState(
  db: Executor, source: DecisionStateSource, request: SendRequest, params: Params, now: number, newConversationId: string | null,
): Promise<DecisionState> {
  const appId = request.appId ?? null;
  const sender = await source.sender(db, {
    senderId: request.senderId, appId, now,
    dailySince: dailyWindowStart(dailyWindow(params), now),
    since15m: rollingWindowStart(now, 15 * minuteMs),
    since24h: rollingWindowStart(now, dayMs),
  });
  const pairs = new Map<string, PairState>();
  for (const recipientId of request.recipientIds) pairs.set(recipientId, await source.pair(db, request.senderId, recipientId));
  const fingerprints = messageFingerprints(request.text);
  const fingerprintTargets = fingerprints.length
    ? await source.fingerprintTargets(db, request.senderId, fingerprints, rollingWindowStart(now, duplicateWindowMs(params)), now)
    : new Map<string, Set<string>>();

  let group: GroupState | null = null;
  let blockedByParticipant = new Set<string>();
  if (request.kind === 'group_create') {
    blockedByParticipant = await loadBlockedBy(db, [request.senderId, ...request.recipientIds], request.recipientIds);
  } else if (request.kind !== 'direct') {
    group = await loadGroupState(db, request.conversationId!);
    if (request.kind === 'group_invite') blockedByParticipant = await loadBlockedBy(db, group.participants, request.recipientIds);
  }
  const textLength = codePoints(request.text);
  return { now, sender, pairs, fingerprints, textLength, fingerprintTargets, group, blockedByParticipant, newConversationId };
}

const placeholderRecipient: AccountState = { id: '', verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' };


/** The facts of one evaluation: pure, from the loaded state, parameters and time. */
export function buildFacts(request: SendRequest, state: DecisionState, params: Params, subject: Subject): FactValues {
  const { sender, now } = state;
  const pair = subject === null ? null : state.pairs.get(subject)!;
  const recipient = pair?.recipient ?? placeholderRecipient;
  const lastReceivedAt = pair?.lastReceivedAt ?? null;
  const priorConversation = pair ? lastReceivedAt !== null || pair.accepted : false;
  const reportGate = pair?.reportedAt != null && (lastReceivedAt === null || lastReceivedAt <= pair.reportedAt);

  const target = fingerprintTarget(request, subject, state.newConversationId);
  let duplicateRecipients = 0;
  for (const targets of state.fingerprintTargets.values()) {
    duplicateRecipients = Math.max(duplicateRecipients, targets.size - (targets.has(target) ? 1 : 0));
  }

  return {
    params,
    send: { kind: request.kind, channel: request.channel, hasApp: request.appId !== undefined, recipientCount: request.recipientIds.length },
    sender: {
      id: sender.account.id, verified: sender.account.verified, phoneVerified: sender.account.phoneVerified,
      protected: sender.account.protected, suspended: sender.account.suspended,
      inCooldown: sender.cooldownUntil !== null && sender.cooldownUntil > now,
    },
    recipient: { id: recipient.id, verified: recipient.verified, protected: recipient.protected, suspended: recipient.suspended, inbox: recipient.inbox },
    relation: {
      blocked: pair?.blocked ?? false,
      recipientFollowsSender: pair?.recipientFollowsSender ?? false,
      senderFollowsRecipient: pair?.senderFollowsRecipient ?? false,
      priorConversation,
      reportGate,
      welcomeShown: pair?.welcomeShown ?? false,
      receivedFromRecipient: lastReceivedAt !== null,
      lastReceivedAgeSeconds: lastReceivedAt === null ? never : (now - lastReceivedAt) / 1000,
      repliesSinceReceived: pair?.repliesSinceReceived ?? 0,
    },
    content: {
      textLength: state.textLength,
      // The SMS command `d <recipient> <text>`: "d", two spaces and the id before the text.
      smsLength: 3 + codePoints(recipient.id) + state.textLength,
      hasLink: state.fingerprints.some((f) => f.startsWith('link:')),
      duplicateRecipients,
      unshareableMedia: request.media.filter((m) => m.fromConversationId !== undefined && m.fromConversationId !== request.conversationId && !m.shareable).length,
    },
    group: groupFacts(request, state, subject),
    app: { id: request.appId ?? '', granted: sender.appGranted },
    quota: { dailyUsed: sender.dailyUsed, apiUser15m: sender.apiUser15m, apiUser24h: sender.apiUser24h, apiApp24h: sender.apiApp24h },
  };
}

function groupFacts(request: SendRequest, state: DecisionState, subject: Subject): Record<string, unknown> {
  const blocked = subject !== null && state.blockedByParticipant.has(subject);
  switch (request.kind) {
    case 'direct':
      return { size: 0, senderIsParticipant: false, senderIsCreator: false, recipientBlockedByParticipant: false };
    case 'group_create':
      return { size: 1 + request.recipientIds.length, senderIsParticipant: true, senderIsCreator: true, recipientBlockedByParticipant: blocked };
    default: {
      const group = state.group!;
      const members = new Set(group.participants);
      if (request.kind === 'group_invite') request.recipientIds.forEach((id) => members.add(id));
      return {
        size: members.size,
        senderIsParticipant: group.participants.includes(request.senderId),
        senderIsCreator: group.creatorId === request.senderId,
        recipientBlockedByParticipant: blocked,
      };
    }
  }
}

/** Inline facts of a what-if check win over the store, member by member. */
export function overrideFacts(facts: FactValues, inline: Record<string, Record<string, unknown>> | undefined): FactValues {
  if (!inline) return facts;
  const merged: FactValues = { ...facts };
  for (const [name, members] of Object.entries(inline)) merged[name] = { ...(facts[name] ?? {}), ...members };
  return merged;
}

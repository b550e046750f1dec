/** The facts of rules/facts.json for one evaluation: pure, from the decision's state, parameters and time. */
import type { Account } from '../../db/stores/graph.ts';
import type { Subject } from '../policy/decision.ts';
import type { Params } from '../policy/document.ts';
import type { FactValues } from '../policy/evaluation.ts';
import { never } from '../limits/reply-window.ts';
import { targetOf, type DecisionState } from './decision-state.ts';
import type { SendRequest } from './request.ts';

const codePoints = (s: string) => [...s].length;

const placeholderRecipient: Account = { id: '', verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' };

export function buildFacts(request: SendRequest, state: DecisionState, params: Params, subject: Subject): FactValues {
  const { sender, now } = state;
  const pair = subject === null ? null : state.pairs.get(subject)!;
  const recipient = pair?.recipient ?? placeholderRecipient;
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
      priorConversation: pair?.priorConversation ?? false,
      reportGate: pair?.reportGate ?? false,
      welcomeShown: pair?.welcomeShown ?? false,
      receivedFromRecipient: pair?.receivedFromRecipient ?? false,
      lastReceivedAgeSeconds: pair?.lastReceivedAgeSeconds ?? never,
      repliesSinceReceived: pair?.repliesSinceReceived ?? 0,
    },
    content: {
      textLength: state.textLength,
      // The SMS command `d <recipient> <text>`: "d", two spaces and the id before the text.
      smsLength: 3 + codePoints(recipient.id) + state.textLength,
      hasLink: state.fingerprints.some((f) => f.startsWith('link:')),
      duplicateRecipients: state.duplicates.get(targetOf(request, subject, state.newConversationId)) ?? 0,
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

/**
 * What one decision reads, taken from the in-memory decision state (server/state/world.ts) for one
 * request, parameters and time: the sender's counters, each recipient pair, duplicates, the group.
 * Synchronous: nothing is read from the database on the decision path.
 */
import type { GroupState } from '../graph/groups.ts';
import type { Account } from '../../db/stores/graph.ts';
import { duplicateTarget, duplicateWindowMs } from '../limits/duplicate-spam.ts';
import { pairRelation } from '../limits/pair-facts.ts';
import { replyWindowFacts, type ReplyWindowFacts } from '../limits/reply-window.ts';
import { rollingWindowStart } from '../limits/windows.ts';
import type { Params } from '../policy/document.ts';
import type { Subject } from '../policy/decision.ts';
import type { DecisionWorld } from '../state/world.ts';
import type { SendRequest } from './request.ts';

export interface SenderState {
  account: Account;
  /** The sender's account number in the decision state; -1 for an account never seen. */
  number: number;
  /** When its duplicate-spam cooldown ends (past or not); null if it never had one. */
  cooldownUntil: number | null;
  dailyUsed: number;
  apiUser15m: number;
  apiUser24h: number;
  apiApp24h: number;
  appGranted: boolean;
  /** Rules an operator exempted the sender from, unexpired. */
  exemptRules: ReadonlySet<string>;
}

export interface PairState extends ReplyWindowFacts {
  recipient: Account;
  blocked: boolean;
  recipientFollowsSender: boolean;
  senderFollowsRecipient: boolean;
  welcomeShown: boolean;
  priorConversation: boolean;
  reportGate: boolean;
}

export interface DecisionState {
  now: number;
  sender: SenderState;
  pairs: Map<string, PairState>;
  /** Fingerprints of the text and of each link (R14); the text's comes first when there is one. */
  fingerprints: string[];
  /** The text's length in Unicode code points, computed once for the facts and the log. */
  textLength: number;
  /** By duplicate target (a recipient, or a group conversation): other targets that got the same text or link. */
  duplicates: Map<string, number>;
  group: GroupState | null;
  blockedByParticipant: Set<string>;
  /** The conversation a group_create would create; fixed before deciding so fingerprints can name it. */
  newConversationId: string | null;
}

/** The recipients decided one by one, or the single group-message evaluation. */
export function subjectsOf(request: SendRequest): Subject[] {
  return request.kind === 'group_message' ? [null] : request.recipientIds;
}

/** Where a send's message lands for duplicate counting, for one subject. */
export function targetOf(request: SendRequest, subject: Subject, newConversationId: string | null): string {
  return duplicateTarget(request.kind, subject, request.conversationId ?? newConversationId);
}

const codePoints = (s: string) => [...s].length;

export function loadDecisionState(
  world: DecisionWorld, request: SendRequest, params: Params, fingerprints: string[], now: number, newConversationId: string | null,
): DecisionState {
  const { graph } = world;
  const senderId = request.senderId;
  const sender = world.accounts.find(senderId);
  const appId = request.appId ?? null;
  // An account never seen has no counters (every family answers -1 with nothing), but its app may.
  const usage = world.apiWindows.usage(sender, appId, now);
  const senderState: SenderState = {
    account: graph.accountNumbered(sender, senderId),
    number: sender,
    cooldownUntil: world.duplicateSpam.cooldownUntil(sender),
    dailyUsed: world.dailyCap.used(sender, params, now),
    ...usage,
    appGranted: world.appGrants.granted(sender, appId),
    exemptRules: world.exemptions.rulesAt(sender, now),
  };

  const pairs = new Map<string, PairState>();
  for (const recipientId of request.recipientIds) {
    const { out, back, recipient } = world.conversationPairsNumbered(sender, world.accounts.find(recipientId));
    const between = graph.between(sender, recipient);
    pairs.set(recipientId, {
      recipient: graph.accountNumbered(recipient, recipientId),
      blocked: between.blocked,
      recipientFollowsSender: between.bFollowsA,
      senderFollowsRecipient: between.aFollowsB,
      welcomeShown: between.bShownWelcomeOfA,
      ...pairRelation(world.pairFacts, world.pairHistory, back, sender, recipient),
      ...replyWindowFacts(world.pairHistory, out, back, now),
    });
  }

  const duplicates = new Map<string, number>();
  if (fingerprints.length && sender >= 0) {
    const since = rollingWindowStart(now, duplicateWindowMs(params));
    for (const subject of subjectsOf(request)) {
      const target = targetOf(request, subject, newConversationId);
      duplicates.set(target, world.duplicateSpam.duplicateRecipients(sender, fingerprints, world.duplicateTarget(request.kind, target, false), since));
    }
  }

  let group: GroupState | null = null;
  let blockedByParticipant = new Set<string>();
  if (request.kind === 'group_create') {
    blockedByParticipant = blockedByAny(world, [senderId, ...request.recipientIds], request.recipientIds);
  } else if (request.kind !== 'direct') {
    group = world.groups.get(request.conversationId!);
    if (request.kind === 'group_invite') blockedByParticipant = blockedByAny(world, group.participants, request.recipientIds);
  }
  return {
    now, sender: senderState, pairs, fingerprints, textLength: codePoints(request.text), duplicates, group, blockedByParticipant, newConversationId,
  };
}

/** Which of `candidates` are blocked by at least one of `blockers`. */
function blockedByAny(world: DecisionWorld, blockers: readonly string[], candidates: readonly string[]): Set<string> {
  return new Set(candidates.filter((c) => blockers.some((b) => b !== c && world.graph.blocks(b, c))));
}

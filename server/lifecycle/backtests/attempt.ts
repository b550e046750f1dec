/** A logged attempt made ready to replay: its request again, its logged facts, and what the facts builder needs of it. */
import type { LoggedAttempt } from '../../../db/stores/decision-log-read.ts';
import type { Params } from '../../policy/document.ts';
import type { ReusingFactsReader } from '../../decisions/logged-facts.ts';
import { messageKinds, type SendRequest } from '../../decisions/request.ts';
import type { FactValues } from '../../policy/evaluation.ts';
import { PairNumbers, type AccountNumbers, type NamedAccounts } from '../../state/numbering.ts';

/** One subject and its logged facts. */
export interface ReplaySubject {
  subject: string | null;
  /** The subject's account number and the pair (sender, subject); -1 for no subject (a group message). */
  account: number;
  pair: number;
  facts: FactValues;
}

export interface ReplayAttempt {
  log: LoggedAttempt;
  at: number;
  /**
   * The request as far as the log keeps it and replaying reads it: no text (never stored; the
   * fingerprints stand in), no media or idempotency key (their effect is in the logged facts).
   */
  request: SendRequest;
  /** The sender's account number, and a direct message's recipient's (-1 for the group kinds). */
  sender: number;
  recipient: number;
  /** A direct message's pairs (sender, recipient) and (recipient, sender); -1 for the group kinds. */
  toRecipient: number;
  fromRecipient: number;
  isMessage: boolean;
  fingerprints: string[];
  /** The conversation a group_create opens: the real one when it was delivered, else one of its own. */
  newConversationId: string | null;
  /**
   * Their facts with `params` as given to toReplayAttempt (the log doesn't keep them), valid until
   * the next attempt is made (toReplayAttempt's `readFacts`).
   */
  subjects: ReplaySubject[];
}

/** How a replay numbers accounts (by id, and by the log scan's names for them) and pairs. */
export interface ReplayNumbers {
  accounts: AccountNumbers;
  named: NamedAccounts;
  pairs: PairNumbers;
}

/** Logged requests keep their media only as facts (unshareableMedia): every replayed request has none. */
const noMedia: SendRequest['media'] = Object.freeze([]) as unknown as SendRequest['media'];

/**
 * `params`: the parameters the logged facts get, those of the version that will evaluate them;
 * `readFacts`: the replay's reader of them, whose facts are valid until it reads the next row's.
 */
export function toReplayAttempt(log: LoggedAttempt, numbers: ReplayNumbers, params: Params, readFacts: ReusingFactsReader): ReplayAttempt {
  const { accounts, named, pairs } = numbers;
  // Every attempt's request has the same members (undefined when absent): one object shape for the replay's hot code.
  const request = {
    senderId: log.senderId, recipientIds: log.recipientIds, kind: log.kind, channel: log.channel, text: '', media: noMedia, trace: false,
    appId: log.appId ?? undefined, conversationId: log.conversationId ?? undefined,
  } as SendRequest;
  const sender = named.of(log.senderName, log.senderId);
  const recipientId = request.kind === 'direct' ? log.recipientIds[0] : null;
  const recipient = recipientId === null ? -1 : named.of(log.recipientNames[0], recipientId);
  const toRecipient = recipientId === null ? -1 : pairs.of(sender, recipient);
  log.tape.at = log.facts;
  const subjects = readFacts(log.tape, params).map(({ subject, facts }): ReplaySubject => {
    if (subject === null) return { subject, account: -1, pair: -1, facts };
    // A direct message's one subject is its recipient: numbered once.
    if (subject === recipientId) return { subject, account: recipient, pair: toRecipient, facts };
    const index = log.recipientIds.indexOf(subject);
    const account = index < 0 ? accounts.of(subject) : named.of(log.recipientNames[index], subject);
    return { subject, account, pair: pairs.of(sender, account), facts };
  });
  return {
    log, at: log.at, request, sender, recipient, toRecipient, fromRecipient: recipientId === null ? -1 : PairNumbers.reverse(toRecipient, sender, recipient),
    isMessage: messageKinds.has(request.kind), fingerprints: log.fingerprints,
    newConversationId: request.kind === 'group_create' ? log.createdConversationId ?? `g:replay:${log.seq}` : null,
    subjects,
  };
}

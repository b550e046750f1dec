/**
 * R11, the reply window (rule `reply-window`; facts `relation.receivedFromRecipient`,
 * `relation.lastReceivedAgeSeconds`, `relation.repliesSinceReceived`): after receiving a message from
 * X, up to N replies to X within 24 h don't count against the daily cap. Its state is the pair
 * history of delivered direct messages (pair-history.ts).
 */
import type { PairHistory } from './pair-history.ts';

/** What a decision's facts say when nothing was ever received: an age no window reaches. */
export const never = Number.MAX_SAFE_INTEGER;

export interface ReplyWindowFacts {
  receivedFromRecipient: boolean;
  lastReceivedAgeSeconds: number;
  repliesSinceReceived: number;
}

/** The reply window of sender → recipient: `out` is the pair (sender, recipient), `back` (recipient, sender). */
export function replyWindowFacts(history: PairHistory, out: number, back: number, now: number): ReplyWindowFacts {
  const lastReceivedAt = history.lastSentAt(back);
  return {
    receivedFromRecipient: lastReceivedAt !== null,
    lastReceivedAgeSeconds: lastReceivedAt === null ? never : (now - lastReceivedAt) / 1000,
    repliesSinceReceived: history.sentSinceReply(out),
  };
}

/**
 * The pair facts a replay derives (R5, R11): from the deliveries of the world being replayed
 * (limits/pair-history.ts, by the replay's pair numbers) and, for what happened before the replay
 * began, from the logged facts. (sender, recipient) and (recipient, sender) are two pairs.
 */
import { PairHistory } from '../../limits/pair-history.ts';
import { never, replyWindowFacts } from '../../limits/reply-window.ts';
import { NumberRows } from '../../state/numbering.ts';

/** The relation facts a replay derives from pair history (the rest of `relation` is taken as logged). */
export interface PairFacts {
  priorConversation: boolean;
  receivedFromRecipient: boolean;
  lastReceivedAgeSeconds: number;
  repliesSinceReceived: number;
}

type LoggedRelation = Record<string, unknown>;

/** A baseline's fields by pair (sender, recipient). */
const lastReceived = 0; // the recipient's latest message to the sender before the replay; NaN if none known
const replies = 1; // the sender's messages to the recipient after it, before the replay
const accepted = 2; // 1 when the recipient accepted the sender's message request

/**
 * The pair history that really happened: the deliveries the log records (`ledger`), and what each
 * pair looked like before the replay began (its baseline), read off the logged facts of the pair's
 * first attempts.
 */
export class LoggedPairs {
  readonly ledger: PairHistory;
  private readonly pairs: NumberRows;

  /** `expectedPairs`: about how many pairs the replay will meet (PairNumbers). */
  constructor(expectedPairs: number) {
    this.ledger = new PairHistory(expectedPairs);
    this.pairs = new NumberRows([NaN, 0, 0], expectedPairs);
  }

  /** Learns from an attempt's logged facts (`pair` is (sender, recipient), `back` the reverse), before anything it delivered is recorded. */
  observe(pair: number, back: number, relation: LoggedRelation, at: number): void {
    const received = relation.receivedFromRecipient === true;
    // A prior conversation without a received message is an accepted request, and acceptances last.
    if (relation.priorConversation === true && !received) this.pairs.set(pair, accepted, 1);
    if (this.ledger.lastSentAt(back) !== null) return; // the logged facts now include the window's own deliveries
    const age = Number(relation.lastReceivedAgeSeconds);
    this.pairs.set(pair, lastReceived, received && Number.isFinite(age) && age < never ? Math.round(at - age * 1000) : NaN);
    this.pairs.set(pair, replies, Math.max(0, Number(relation.repliesSinceReceived ?? 0) - this.ledger.sentSinceReply(pair)));
  }

  /**
   * The pair facts in a world whose own deliveries are `world`: its latest message from the recipient
   * if it delivered one, else the baseline plus its own replies. When the world refused the messages
   * that really arrived and the pair was never seen before them, nothing older is known: "never".
   */
  factsIn(world: PairHistory, pair: number, back: number, now: number): PairFacts {
    const own = replyWindowFacts(world, pair, back, now);
    if (own.receivedFromRecipient) return { ...own, priorConversation: true };
    const baseline = this.pairs.get(pair, lastReceived);
    const received = !Number.isNaN(baseline);
    return {
      priorConversation: received || this.pairs.get(pair, accepted) === 1,
      receivedFromRecipient: received,
      lastReceivedAgeSeconds: received ? (now - baseline) / 1000 : never,
      repliesSinceReceived: own.repliesSinceReceived + this.pairs.get(pair, replies),
    };
  }
}

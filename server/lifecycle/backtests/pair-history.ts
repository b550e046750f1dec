/**
 * Pairwise history for R5, R7 and R11: when a recipient last messaged the sender and how many replies
 * followed. A replay sees only its own window, so what happened before it comes from the logged facts.
 * Pairs are the replay's pair numbers (numbering.ts): (sender, recipient) and (recipient, sender) are
 * two. "Never" is NaN in the columns.
 */
import { never } from '../../decisions/facts.ts';
import { NumberRows } from './numbering.ts';

/** PairLedger's fields by pair (sender, recipient). */
const lastReceived = 0; // the latest delivered direct message from the recipient to the sender
const replies = 1; // delivered direct messages from sender to recipient after it (all of them if none)

/** Delivered direct messages as one world saw them, mirroring what `sends` answers in loadPairState. */
export class PairLedger {
  private readonly pairs: NumberRows;

  /** `expectedPairs`: about how many pairs the replay will meet (PairNumbers). */
  constructor(expectedPairs: number) {
    this.pairs = new NumberRows([NaN, 0], expectedPairs);
  }

  /** The latest message from the pair's recipient to its sender in this world, or null if none. */
  lastReceivedAt(pair: number): number | null {
    const at = this.pairs.get(pair, lastReceived);
    return Number.isNaN(at) ? null : at;
  }

  repliesSinceReceived(pair: number): number {
    return this.pairs.get(pair, replies);
  }

  /** A direct message was delivered at `at`: `out` is the pair (sender, recipient), `back` (recipient, sender). */
  delivered(out: number, back: number, at: number): void {
    const last = this.pairs.get(out, lastReceived);
    if (Number.isNaN(last) || at > last) this.pairs.set(out, replies, this.pairs.get(out, replies) + 1);
    this.pairs.set(back, lastReceived, at);
    this.pairs.set(back, replies, 0);
  }
}

/** The relation facts a replay derives from pair history (the rest of `relation` is taken as logged). */
export interface PairFacts {
  priorConversation: boolean;
  receivedFromRecipient: boolean;
  lastReceivedAgeSeconds: number;
  repliesSinceReceived: number;
}

type LoggedRelation = Record<string, unknown>;

/** LoggedPairs' field beside a baseline's. */
const accepted = 2;

/**
 * The pair history that really happened: the deliveries the log records, and what each pair looked
 * like before the replay began (its baseline), read off the logged facts of the pair's first attempts.
 */
export class LoggedPairs {
  readonly ledger: PairLedger;
  /** By pair: its baseline (as PairLedger's fields), and 1 when its recipient accepted the sender's message request. */
  private readonly pairs: NumberRows;

  /** `expectedPairs`: about how many pairs the replay will meet (PairNumbers). */
  constructor(expectedPairs: number) {
    this.ledger = new PairLedger(expectedPairs);
    this.pairs = new NumberRows([NaN, 0, 0], expectedPairs);
  }

  /** Learns from an attempt's logged facts, before anything it delivered is recorded. */
  observe(pair: number, relation: LoggedRelation, at: number): void {
    const received = relation.receivedFromRecipient === true;
    // A prior conversation without a received message is an accepted request, and acceptances last.
    if (relation.priorConversation === true && !received) this.pairs.set(pair, accepted, 1);
    if (this.ledger.lastReceivedAt(pair) !== null) return; // the logged facts now include the window's own deliveries
    const age = Number(relation.lastReceivedAgeSeconds);
    this.pairs.set(pair, lastReceived, received && Number.isFinite(age) && age < never ? Math.round(at - age * 1000) : NaN);
    this.pairs.set(pair, replies, Math.max(0, Number(relation.repliesSinceReceived ?? 0) - this.ledger.repliesSinceReceived(pair)));
  }

  /**
   * The pair facts in a world whose own deliveries are `world`: its latest message from the recipient
   * if it delivered one, else the baseline plus its own replies. When the world refused the messages
   * that really arrived and the pair was never seen before them, nothing older is known: "never".
   */
  factsIn(world: PairLedger, pair: number, now: number): PairFacts {
    let lastReceivedAt = world.lastReceivedAt(pair);
    let repliesSince = world.repliesSinceReceived(pair);
    if (lastReceivedAt === null) {
      const baseline = this.pairs.get(pair, lastReceived);
      lastReceivedAt = Number.isNaN(baseline) ? null : baseline;
      repliesSince += this.pairs.get(pair, replies);
    }
    const received = lastReceivedAt !== null;
    return {
      priorConversation: received || this.pairs.get(pair, accepted) === 1,
      receivedFromRecipient: received,
      lastReceivedAgeSeconds: received ? (now - lastReceivedAt!) / 1000 : never,
      repliesSinceReceived: repliesSince,
    };
  }
}

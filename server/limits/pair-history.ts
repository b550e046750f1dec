/**
 * Delivered direct messages between two accounts, per ordered pair: when the latest one went, in
 * which place of the recorded order (its sequence number), and how many went since the other side's
 * latest. The reply window (R11), prior conversations (R5) and the report gate (R7) read it.
 *
 * Order is arrival order, not time: messages in the same millisecond still come one after another,
 * so a reply in the same millisecond as the message it answers counts as a reply to it.
 */
import { NumberRows } from '../state/numbering.ts';

/** Fields by ordered pair (a, b). */
const lastSentAt = 0; // a's latest delivered direct message to b; NaN if none
const lastSentSeq = 1; // its sequence number; -1 if none
const sentSinceReply = 2; // a's messages to b since b's latest to a (all of them if none)

/** The state of every ordered pair, by the pair's number (server/state/numbering.ts's PairNumbers). */
export class PairHistory {
  private readonly pairs: NumberRows;

  /** `expectedPairs`: about how many ordered pairs will be met. */
  constructor(expectedPairs = 1024) {
    this.pairs = new NumberRows([NaN, -1, 0], expectedPairs);
  }

  /** A direct message went from a to b: `out` is the pair (a, b), `back` (b, a). */
  delivered(out: number, back: number, at: number, seq: number): void {
    this.pairs.set(out, lastSentAt, at);
    this.pairs.set(out, lastSentSeq, seq);
    this.pairs.set(out, sentSinceReply, this.pairs.get(out, sentSinceReply) + 1);
    this.pairs.set(back, sentSinceReply, 0);
  }

  /**
   * Folds in one stored bucket of the pair's history (a rebuild, buckets in order): its latest
   * message if it had one, and `added` messages — counted from none after a `reset` (a message the
   * other way), else on top of what came before.
   */
  foldBucket(pair: number, at: number | null, seq: number | null, added: number, reset: boolean): void {
    if (at !== null) {
      this.pairs.set(pair, lastSentAt, at);
      this.pairs.set(pair, lastSentSeq, seq!);
    }
    this.pairs.set(pair, sentSinceReply, reset ? added : this.pairs.get(pair, sentSinceReply) + added);
  }

  /** The pair's latest message, if it is the one at `from`, is at `to` in the recorded order. */
  reseat(pair: number, from: number, to: number): void {
    if (pair >= 0 && this.pairs.get(pair, lastSentSeq) === from) this.pairs.set(pair, lastSentSeq, to);
  }

  /** The latest direct message of the pair, or null if none; -1 is no pair. */
  lastSentAt(pair: number): number | null {
    if (pair < 0) return null;
    const at = this.pairs.get(pair, lastSentAt);
    return Number.isNaN(at) ? null : at;
  }

  lastSentSeq(pair: number): number {
    return pair < 0 ? -1 : this.pairs.get(pair, lastSentSeq);
  }

  sentSinceReply(pair: number): number {
    return pair < 0 ? 0 : this.pairs.get(pair, sentSinceReply);
  }
}

/**
 * The pair history: delivered direct messages per ordered pair, which R5 (seed 000: "If you previously
 * had a conversation with a person through Direct Message, that person is able to message you"), R7
 * (seed 000: "The account will not be able to send you a message until you send them a message
 * first") and R11 (seed 004: "Each message received resets the 24 hour window and the 5 allotted
 * messages") read. Order is arrival order (issue 10): events that share a timestamp keep it.
 */
import { describe, expect, it } from 'vitest';
import { PairHistory } from '../../server/limits/pair-history.ts';
import { t0 } from '../support/world.ts';
import { pairHistory } from './helpers.ts';

const [a, b] = [0, 1];

/** Everything the history says of the pair (from, to). */
function rowOf(history: PairHistory, pair: number) {
  return { lastSentAt: history.lastSentAt(pair), lastSentSeq: history.lastSentSeq(pair), sentSinceReply: history.sentSinceReply(pair) };
}

describe('PairHistory', () => {
  it('a pair that never exchanged a message: nothing sent', () => {
    const h = pairHistory();
    expect(h.pair(a, b)).toEqual({ out: -1, back: -1 });
    expect(rowOf(h.history, -1)).toEqual({ lastSentAt: null, lastSentSeq: -1, sentSinceReply: 0 });
  });

  it('each delivery: the latest time and place in the recorded order, one more since the other side wrote', () => {
    const h = pairHistory();
    const first = h.deliver(a, b, t0);
    const second = h.deliver(a, b, t0 + 5);
    const { out, back } = h.pair(a, b);
    expect(rowOf(h.history, out)).toEqual({ lastSentAt: t0 + 5, lastSentSeq: second, sentSinceReply: 2 });
    expect(second).toBe(first + 1);
    // The other direction has sent nothing yet.
    expect(rowOf(h.history, back)).toEqual({ lastSentAt: null, lastSentSeq: -1, sentSinceReply: 0 });
  });

  it("the other side's message resets the count, whatever the timestamps say", () => {
    const h = pairHistory();
    h.deliver(a, b, t0);
    h.deliver(a, b, t0);
    const reply = h.deliver(b, a, t0);
    const after = h.deliver(a, b, t0);
    const { out, back } = h.pair(a, b);
    expect(rowOf(h.history, out)).toEqual({ lastSentAt: t0, lastSentSeq: after, sentSinceReply: 1 });
    // And a's answer resets b's.
    expect(rowOf(h.history, back)).toEqual({ lastSentAt: t0, lastSentSeq: reply, sentSinceReply: 0 });
  });

  it('folding stored buckets in order (a rebuild) reads as the deliveries left it', () => {
    const live = pairHistory();
    live.deliver(b, a, t0);
    live.deliver(a, b, t0 + 1);
    live.deliver(a, b, t0 + 2);
    const { out } = live.pair(a, b);
    const rebuilt = new PairHistory();
    // Bucket 0: a sent once; bucket 1: b's message reset a's count, then a sent twice more.
    rebuilt.foldBucket(out, t0 - 5, 0, 1, false);
    rebuilt.foldBucket(out, t0 + 2, 3, 2, true);
    expect(rowOf(rebuilt, out)).toEqual(rowOf(live.history, out));
    // A bucket without a reset adds to what came before, and one without a message keeps the latest.
    rebuilt.foldBucket(out, null, null, 1, false);
    expect(rowOf(rebuilt, out)).toEqual({ lastSentAt: t0 + 2, lastSentSeq: 3, sentSinceReply: 3 });
  });
});

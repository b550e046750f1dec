/**
 * R11, seed 004 (Twitter developer forum, on the API's DM policy): "when a message is received from a
 * user you may send up to 5 messages in response within a 24 hour window" — "Each message received
 * resets the 24 hour window and the 5 allotted messages" — and "sending a 6th message within a 24 hour
 * window or sending a message outside of a 24 hour window will count towards rate-limiting".
 * x-api-v2: replyAllowance 5, replyWindowSeconds 86400; the window is open while
 * `repliesSinceReceived < replyAllowance` and `lastReceivedAgeSeconds < replyWindowSeconds`.
 */
import { describe, expect, it } from 'vitest';
import { never, replyWindowFacts } from '../../server/limits/reply-window.ts';
import { dayMs } from '../../server/limits/windows.ts';
import { hours, minutes, t0 } from '../support/world.ts';
import { pairHistory, presetParams } from './helpers.ts';

const params = presetParams('x-api-v2');
const [a, x, y] = [0, 1, 2];

/** The reply-window facts of a → b at `now`, as a decision reads them. */
function factsOf(h: ReturnType<typeof pairHistory>, from: number, to: number, now: number) {
  const { out, back } = h.pair(from, to);
  return replyWindowFacts(h.history, out, back, now);
}

describe('replyWindowFacts (R11)', () => {
  it('x-api-v2: 5 replies within 86 400 s', () => {
    expect([params.replyAllowance, params.replyWindowSeconds]).toEqual([5, 86_400]);
  });

  it('nothing received: no window (an age no window reaches)', () => {
    const h = pairHistory();
    expect(factsOf(h, a, x, t0)).toEqual({ receivedFromRecipient: false, lastReceivedAgeSeconds: never, repliesSinceReceived: 0 });
    // Writing first opens nothing: all of a's messages are "since" a reply that never came.
    h.deliver(a, x, t0);
    h.deliver(a, x, t0 + 1);
    expect(factsOf(h, a, x, t0 + 2)).toEqual({ receivedFromRecipient: false, lastReceivedAgeSeconds: never, repliesSinceReceived: 2 });
  });

  it('a message from X opens the window: its age in seconds, no reply yet', () => {
    const h = pairHistory();
    h.deliver(x, a, t0);
    expect(factsOf(h, a, x, t0 + minutes(1))).toEqual({ receivedFromRecipient: true, lastReceivedAgeSeconds: 60, repliesSinceReceived: 0 });
  });

  it('the 5th reply sees 4 sent (free); the 6th sees 5 (counts)', () => {
    const h = pairHistory();
    h.deliver(x, a, t0);
    for (let k = 1; k <= 4; k++) h.deliver(a, x, t0 + minutes(k));
    expect(factsOf(h, a, x, t0 + minutes(5)).repliesSinceReceived).toBe(4);
    h.deliver(a, x, t0 + minutes(5));
    expect(factsOf(h, a, x, t0 + minutes(6)).repliesSinceReceived).toBe(5);
    // Counting goes on past the allowance: the 7th sees 6.
    h.deliver(a, x, t0 + minutes(6));
    expect(factsOf(h, a, x, t0 + minutes(7)).repliesSinceReceived).toBe(6);
  });

  it('the 24-hour edge: one millisecond before, the age is under 86 400 s; at 24 h it is 86 400 (closed)', () => {
    const h = pairHistory();
    h.deliver(x, a, t0);
    expect(factsOf(h, a, x, t0 + dayMs - 1).lastReceivedAgeSeconds).toBe(86_399.999);
    expect(factsOf(h, a, x, t0 + dayMs).lastReceivedAgeSeconds).toBe(86_400);
  });

  it('each message received resets the window and the allowance', () => {
    const h = pairHistory();
    h.deliver(x, a, t0);
    for (let k = 1; k <= 5; k++) h.deliver(a, x, t0 + minutes(k));
    h.deliver(x, a, t0 + hours(20));
    expect(factsOf(h, a, x, t0 + hours(20) + minutes(1))).toEqual({ receivedFromRecipient: true, lastReceivedAgeSeconds: 60, repliesSinceReceived: 0 });
    // The new window runs 24 h from the new message, past the first one's end.
    expect(factsOf(h, a, x, t0 + hours(44) - 1).lastReceivedAgeSeconds).toBe(86_399.999);
  });

  it('in one millisecond, a message from X and seven replies: the replies see 0 … 6 sent, so five are free', () => {
    const h = pairHistory();
    h.deliver(x, a, t0);
    const seen: number[] = [];
    for (let k = 1; k <= 7; k++) {
      const facts = factsOf(h, a, x, t0);
      expect(facts.lastReceivedAgeSeconds).toBe(0);
      seen.push(facts.repliesSinceReceived);
      h.deliver(a, x, t0);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen.filter((n) => n < Number(params.replyAllowance))).toHaveLength(5);
  });

  it('per pair: a message from Y opens no window toward X', () => {
    const h = pairHistory();
    h.deliver(y, a, t0);
    h.deliver(a, x, t0 + 1);
    expect(factsOf(h, a, x, t0 + 2)).toEqual({ receivedFromRecipient: false, lastReceivedAgeSeconds: never, repliesSinceReceived: 1 });
    expect(factsOf(h, a, y, t0 + 2)).toEqual({ receivedFromRecipient: true, lastReceivedAgeSeconds: 0.002, repliesSinceReceived: 0 });
    // X's own view: a wrote to X, so X has a window toward a.
    expect(factsOf(h, x, a, t0 + 2)).toEqual({ receivedFromRecipient: true, lastReceivedAgeSeconds: 0.001, repliesSinceReceived: 0 });
  });
});

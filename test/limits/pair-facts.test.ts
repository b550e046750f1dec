/**
 * R5 and R7, seed 000 (X, 2023): "If you previously had a conversation with a person through Direct
 * Message, that person is able to message you regardless of if you follow them or not." Seed 004:
 * account X can send DMs to account Y "if Y has already sent a message to X". R6 (seed 002): accepting
 * a message request counts as a prior conversation. R7, seed 000: after "Select Report. Confirm your
 * choice. The account will not be able to send you a message until you send them a message first."
 * The report gate lifts only with a message from the reporter recorded after the report: in the
 * recorded order, not by timestamp (issue 10), so a message in the report's own millisecond lifts it
 * if it came after, and not if it came before.
 */
import { describe, expect, it } from 'vitest';
import { PairFacts, pairRelation } from '../../server/limits/pair-facts.ts';
import { hours, minutes, t0 } from '../support/world.ts';
import { pairHistory } from './helpers.ts';

const [sender, recipient, other] = [0, 1, 2];

/** Pair facts and the pair history beside them, sharing one recorded order. */
function pairState() {
  const h = pairHistory();
  const facts = new PairFacts();
  return {
    facts,
    deliver: h.deliver,
    /** `reporter` reports `reported` at `at`, next in the recorded order. */
    report: (reporter: number, reported: number, at: number) => facts.report(reporter, reported, at, h.nextSeq()),
    /** pairRelation of from → to, as a decision reads it. */
    relation: (from: number, to: number) => pairRelation(facts, h.history, h.pair(from, to).back, from, to),
  };
}

describe('prior conversation (R5, R6)', () => {
  it('none between strangers, nor for accounts never seen', () => {
    const p = pairState();
    expect(p.relation(sender, recipient)).toEqual({ priorConversation: false, reportGate: false });
    expect(p.relation(-1, recipient)).toEqual({ priorConversation: false, reportGate: false });
    expect(p.relation(sender, -1)).toEqual({ priorConversation: false, reportGate: false });
  });

  it('a message received from the recipient opens it, for good', () => {
    const p = pairState();
    p.deliver(recipient, sender, t0);
    expect(p.relation(sender, recipient).priorConversation).toBe(true);
    p.deliver(sender, recipient, t0 + hours(24 * 400));
    expect(p.relation(sender, recipient).priorConversation).toBe(true);
  });

  it("the sender's own messages open nothing for the sender", () => {
    const p = pairState();
    p.deliver(sender, recipient, t0);
    expect(p.relation(sender, recipient).priorConversation).toBe(false);
    // ... but they do for the recipient, who may now write back.
    expect(p.relation(recipient, sender).priorConversation).toBe(true);
  });

  it("the recipient accepting the sender's request opens it; the reverse acceptance does not", () => {
    const p = pairState();
    p.facts.accept(sender, recipient); // the sender accepted the recipient's request
    expect(p.relation(sender, recipient).priorConversation).toBe(false);
    expect(p.facts.accepted(recipient, sender)).toBe(false);
    p.facts.accept(recipient, sender);
    expect(p.facts.accepted(recipient, sender)).toBe(true);
    expect(p.relation(sender, recipient)).toEqual({ priorConversation: true, reportGate: false });
    expect(p.relation(other, recipient).priorConversation).toBe(false);
  });
});

describe('report gate (R7)', () => {
  it("the recipient's report shuts the sender out; the report keeps its time and place in the recorded order", () => {
    const p = pairState();
    p.report(recipient, sender, t0);
    expect(p.relation(sender, recipient)).toEqual({ priorConversation: false, reportGate: true });
    expect(p.facts.reportOf(recipient, sender)).toEqual({ at: t0, seq: 1 });
    // The reporter is not shut out of writing to the reported account.
    expect(p.relation(recipient, sender).reportGate).toBe(false);
    expect(p.facts.reportOf(sender, recipient)).toBeNull();
  });

  it('a message from the reporter recorded after the report lifts it', () => {
    const p = pairState();
    p.report(recipient, sender, t0);
    p.deliver(recipient, sender, t0 + minutes(1));
    expect(p.relation(sender, recipient)).toEqual({ priorConversation: true, reportGate: false });
  });

  it('a message from the reporter recorded before the report does not lift it', () => {
    const p = pairState();
    p.deliver(recipient, sender, t0);
    p.report(recipient, sender, t0 + minutes(1));
    expect(p.relation(sender, recipient)).toEqual({ priorConversation: true, reportGate: true });
  });

  it('in the same millisecond: report then message lifts it; message then report leaves it shut', () => {
    const after = pairState();
    after.report(recipient, sender, t0);
    after.deliver(recipient, sender, t0);
    expect(after.relation(sender, recipient).reportGate).toBe(false);

    const before = pairState();
    before.deliver(recipient, sender, t0);
    before.report(recipient, sender, t0);
    expect(before.relation(sender, recipient).reportGate).toBe(true);
  });

  it("the sender's own messages, and time passing, do not lift it", () => {
    const p = pairState();
    p.report(recipient, sender, t0);
    p.deliver(sender, recipient, t0 + minutes(1)); // delivered anyway: an operator exempted the sender
    expect(p.relation(sender, recipient).reportGate).toBe(true);
    p.deliver(other, sender, t0 + minutes(2));
    expect(p.relation(sender, recipient).reportGate).toBe(true);
  });

  it('reporting again after the gate lifted shuts it again', () => {
    const p = pairState();
    p.report(recipient, sender, t0);
    p.deliver(recipient, sender, t0 + minutes(1));
    p.report(recipient, sender, t0 + minutes(2));
    expect(p.facts.reportOf(recipient, sender)).toEqual({ at: t0 + minutes(2), seq: 3 });
    expect(p.relation(sender, recipient).reportGate).toBe(true);
    p.deliver(recipient, sender, t0 + minutes(2));
    expect(p.relation(sender, recipient).reportGate).toBe(false);
  });

  it('per pair: the reported account may write to others, others to the reporter', () => {
    const p = pairState();
    p.report(recipient, sender, t0);
    expect(p.relation(sender, other).reportGate).toBe(false);
    expect(p.relation(other, recipient).reportGate).toBe(false);
  });

  it('snapshot: every acceptance and report, by (recipient, sender)', () => {
    const p = pairState();
    p.facts.accept(recipient, sender);
    p.report(other, sender, t0);
    const snapshot = p.facts.snapshot();
    expect(snapshot).toHaveLength(2);
    expect(snapshot).toEqual(expect.arrayContaining([[recipient, sender, true, null], [other, sender, false, { at: t0, seq: 1 }]]));
  });
});

/**
 * R5, R6 and R7, the pair facts (rules `inbox-setting`, `report-gate`; facts
 * `relation.priorConversation`, `relation.reportGate`): accepted message requests, reports, and what
 * they and the pair history make of a pair — a prior conversation once the recipient messaged the
 * sender or accepted a request (it counts forever); a report gate from the recipient's report until
 * the recipient's next message to the sender.
 */
import { NumberRows, PairNumbers } from '../state/numbering.ts';
import type { PairHistory } from './pair-history.ts';

/** Fields by ordered pair (recipient, sender). */
const accepted = 0; // 1 once the recipient accepted the sender's message request
const reportedAt = 1; // the recipient's latest report of the sender; NaN if none
const reportSeq = 2; // its sequence number

export interface Report {
  at: number;
  seq: number;
}

/** Acceptances and reports by (recipient, sender), over account numbers. */
export class PairFacts {
  private readonly pairs = new PairNumbers(1024, 1 << 24);
  private readonly rows = new NumberRows([0, NaN, -1]);

  /** `recipient` accepted the message request of `sender` (for good). */
  accept(recipient: number, sender: number): void {
    this.rows.set(this.pairs.of(recipient, sender), accepted, 1);
  }

  /** `reporter` reported `reported`; reporting again moves the report. */
  report(reporter: number, reported: number, at: number, seq: number): void {
    const pair = this.pairs.of(reporter, reported);
    this.rows.set(pair, reportedAt, at);
    this.rows.set(pair, reportSeq, seq);
  }

  accepted(recipient: number, sender: number): boolean {
    const pair = this.pairs.find(recipient, sender);
    return pair >= 0 && this.rows.get(pair, accepted) === 1;
  }

  /** Every acceptance and report as [recipient, sender, accepted, report], over account numbers: for comparing states. */
  snapshot(): Array<[number, number, boolean, Report | null]> {
    const out: Array<[number, number, boolean, Report | null]> = [];
    const add = (a: number, b: number, pair: number) => {
      const at = this.rows.get(pair, reportedAt);
      const isAccepted = this.rows.get(pair, accepted) === 1;
      if (isAccepted || !Number.isNaN(at)) out.push([a, b, isAccepted, Number.isNaN(at) ? null : { at, seq: this.rows.get(pair, reportSeq) }]);
    };
    this.pairs.forEach((low, high, n) => {
      add(low, high, 2 * n);
      add(high, low, 2 * n + 1);
    });
    return out;
  }

  /** The latest report of `reported` by `reporter`, or null. */
  reportOf(reporter: number, reported: number): Report | null {
    const pair = this.pairs.find(reporter, reported);
    if (pair < 0) return null;
    const at = this.rows.get(pair, reportedAt);
    return Number.isNaN(at) ? null : { at, seq: this.rows.get(pair, reportSeq) };
  }
}

export interface PairRelation {
  priorConversation: boolean;
  reportGate: boolean;
}

/**
 * The pair facts of sender → recipient: `back` is the pair history's (recipient, sender). A message
 * from the recipient opens a prior conversation and lifts a report made before it (in recorded order).
 */
export function pairRelation(facts: PairFacts, history: PairHistory, back: number, sender: number, recipient: number): PairRelation {
  const received = history.lastSentAt(back) !== null;
  const report = sender < 0 || recipient < 0 ? null : facts.reportOf(recipient, sender);
  return {
    priorConversation: received || (sender >= 0 && recipient >= 0 && facts.accepted(recipient, sender)),
    reportGate: report !== null && history.lastSentSeq(back) < report.seq,
  };
}

/** Shared by the rule-family unit suites: a preset's parameters, decisions shaped as the engine returns them, a pair history. */
import { PairHistory } from '../../server/limits/pair-history.ts';
import { severity, type Decision } from '../../server/policy/decision.ts';
import { parameterValues, type LimitName, type Outcome, type Params, type PolicyEvent } from '../../server/policy/document.ts';
import { readPreset } from '../../server/policy/registry.ts';
import { PairNumbers } from '../../server/state/numbering.ts';

/** The parameter values a shipped preset decides with (rules/<version>.json). */
export const presetParams = (version: 'twitter-2016' | 'x-2023' | 'x-api-v2'): Params => parameterValues(readPreset(version));

export interface SubjectOutcome {
  outcome: Outcome;
  params?: Partial<PolicyEvent['params']>;
  /** Every `limit` the matching rules named. */
  limits?: LimitName[];
}

/**
 * A decision over one subject per entry (a direct send has one, a group_create one per invitee): the
 * most severe subject decides, as server/decisions/decide.ts makes it.
 */
export function decisionOf(...subjects: SubjectOutcome[]): Decision {
  const decided = subjects.map((s, i) => {
    const event: PolicyEvent = { type: s.outcome, params: { reason: s.outcome === 'allow' ? 'allowed' : 'test', ...s.params } };
    return { subject: `r${i}`, outcome: s.outcome, event, rule: null, limits: s.limits ?? [], facts: {} };
  });
  const worst = decided.reduce((a, b) => (severity[b.outcome] > severity[a.outcome] ? b : a));
  return { outcome: worst.outcome, event: worst.event, rule: worst.rule, subjects: decided };
}

/** Numbers pairs as DecisionWorld does, and hands out sequence numbers in arrival order. */
export function pairHistory() {
  const numbers = new PairNumbers(16);
  const history = new PairHistory(16);
  let seq = 0;
  /** The pair (a, b) and (b, a); -1 for pairs that never exchanged a message (as DecisionWorld.conversationPairs). */
  const pair = (a: number, b: number) => {
    const out = numbers.find(a, b);
    return { out, back: out < 0 ? -1 : PairNumbers.reverse(out, a, b) };
  };
  return {
    history,
    pair,
    /** The next sequence number, for an event recorded between messages (a report). */
    nextSeq: () => ++seq,
    /** A direct message from a to b was delivered at `at`, next in the recorded order; returns its sequence number. */
    deliver(a: number, b: number, at: number): number {
      const out = numbers.of(a, b);
      history.delivered(out, PairNumbers.reverse(out, a, b), at, ++seq);
      return seq;
    },
  };
}

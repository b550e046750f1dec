/** Shared by the rule-family unit suites: a preset's parameters and decisions shaped as the engine returns them. */
import { severity, type Decision } from '../../server/policy/decision.ts';
import { parameterValues, type LimitName, type Outcome, type Params, type PolicyEvent } from '../../server/policy/document.ts';
import { readPreset } from '../../server/policy/registry.ts';

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

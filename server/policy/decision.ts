/** What deciding a send yields: an outcome per subject, and the most severe as the decision. */
import type { LimitName, Outcome, PolicyEvent } from './document.ts';
import type { FactValues, RuleTrace } from './evaluation.ts';

/** Who one evaluation is about: a recipient id, or null for a group message (the sender's own limits). */
export type Subject = string | null;

export interface SubjectDecision {
  subject: Subject;
  outcome: Outcome;
  event: PolicyEvent;
  rule: string | null;
  /** Every `limit` the matching rules named, not only the winner's: a retry must clear them all. */
  limits: LimitName[];
  facts: FactValues;
  trace?: RuleTrace[];
}

export interface Decision {
  outcome: Outcome;
  event: PolicyEvent;
  rule: string | null;
  subjects: SubjectDecision[];
}

/** How severe an outcome is: a group decision is its most severe recipient's. */
export const severity: Record<Outcome, number> = { allow: 0, request: 1, limit: 2, deny: 3 };

/** Delivered: to the inbox (`allow`) or to message requests (`request`). */
export const isAdmitted = (d: Pick<Decision, 'outcome'>) => d.outcome === 'allow' || d.outcome === 'request';

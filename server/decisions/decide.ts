/** Facts → engine → outcome, per subject, and the most severe outcome as the decision. */
import type { LimitName, Outcome, PolicyEvent } from '../policy/document.ts';
import type { LoadedPolicy } from '../policy/registry.ts';
import type { FactValues, RuleTrace } from '../policy/evaluation.ts';
import { buildFacts, overrideFacts, subjectsOf, type DecisionState, type Subject } from './facts.ts';
import type { SendRequest } from './request.ts';

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

export interface SubjectFacts {
  subject: Subject;
  facts: FactValues;
}

/** How severe an outcome is: a group decision is its most severe recipient's. */
export const severity: Record<Outcome, number> = { allow: 0, request: 1, limit: 2, deny: 3 };

/** An exception while evaluating is a refusal, never an allow. */
const policyError: PolicyEvent = { type: 'deny', params: { reason: 'policy_error' } };

/**
 * Evaluates each subject's facts with `policy` and takes the most severe outcome (ties: the first
 * subject). The live path, backtests and re-explanations all decide through here.
 */
export async function evaluateSubjects(policy: LoadedPolicy, subjects: SubjectFacts[], options: { trace?: boolean; exempt?: ReadonlySet<string> } = {}): Promise<Decision> {
  if (!options.trace) return decideSubjects(policy, subjects, options.exempt);
  const decided: SubjectDecision[] = [];
  for (const { subject, facts } of subjects) {
    try {
      // json-rules-engine, the reference, runs only when a trace is asked for.
      const evaluation = await policy.engine.evaluate(facts, options);
      decided.push({ subject, outcome: evaluation.outcome, event: evaluation.event, rule: evaluation.rule, limits: evaluation.limits, facts, trace: evaluation.trace });
    } catch (error) {
      decided.push(failedSubject(policy, subject, facts, error));
    }
  }
  return mostSevere(policy, decided);
}

/**
 * evaluateSubjects without a trace: the compiled rules, synchronously. A backtest decides a million
 * attempts, and awaiting a promise for each cost a tenth of its time.
 */
export function decideSubjects(policy: LoadedPolicy, subjects: SubjectFacts[], exempt?: ReadonlySet<string>): Decision {
  const decided: SubjectDecision[] = [];
  for (const { subject, facts } of subjects) {
    try {
      const evaluation = policy.engine.decide(facts, exempt);
      decided.push({ subject, outcome: evaluation.outcome, event: evaluation.event, rule: evaluation.rule, limits: evaluation.limits, facts });
    } catch (error) {
      decided.push(failedSubject(policy, subject, facts, error));
    }
  }
  return mostSevere(policy, decided);
}

function failedSubject(policy: LoadedPolicy, subject: Subject, facts: FactValues, error: unknown): SubjectDecision {
  console.error(`policy ${policy.version} failed to evaluate`, error);
  return { subject, outcome: 'deny', event: policyError, rule: null, limits: [], facts };
}

function mostSevere(policy: LoadedPolicy, decided: SubjectDecision[]): Decision {
  if (!decided.length) return { outcome: policy.document.default.type, event: policy.document.default, rule: null, subjects: [] };
  let worst = decided[0];
  for (const s of decided) if (severity[s.outcome] > severity[worst.outcome]) worst = s;
  return { outcome: worst.outcome, event: worst.event, rule: worst.rule, subjects: decided };
}

/** Decides a send from its loaded state; a dry run's inline facts win over the store. */
export function decide(request: SendRequest, state: DecisionState, policy: LoadedPolicy, options: { trace: boolean; inlineFacts?: SendRequest['facts'] }): Promise<Decision> {
  const subjects = subjectsOf(request).map((subject) => ({
    subject, facts: overrideFacts(buildFacts(request, state, policy.params, subject), options.inlineFacts),
  }));
  return evaluateSubjects(policy, subjects, { trace: options.trace, exempt: state.sender.exemptRules });
}

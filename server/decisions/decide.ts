/** Facts → engine → outcome, per subject, and the most severe outcome as the decision. */
import { severity, type Decision, type Subject, type SubjectDecision } from '../policy/decision.ts';
import type { PolicyEvent } from '../policy/document.ts';
import type { FactValues } from '../policy/evaluation.ts';
import type { LoadedPolicy } from '../policy/registry.ts';
import { subjectsOf, type DecisionState } from './decision-state.ts';
import { buildFacts, overrideFacts } from './facts.ts';
import type { SendRequest } from './request.ts';

export interface SubjectFacts {
  subject: Subject;
  facts: FactValues;
}

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

function subjectFacts(request: SendRequest, state: DecisionState, policy: LoadedPolicy, inlineFacts?: SendRequest['facts']): SubjectFacts[] {
  return subjectsOf(request).map((subject) => ({ subject, facts: overrideFacts(buildFacts(request, state, policy.params, subject), inlineFacts) }));
}

/** Decides a send from its state; a dry run's inline facts win over the state. A trace runs json-rules-engine. */
export function decide(request: SendRequest, state: DecisionState, policy: LoadedPolicy, options: { trace: boolean; inlineFacts?: SendRequest['facts'] }): Promise<Decision> {
  return evaluateSubjects(policy, subjectFacts(request, state, policy, options.inlineFacts), { trace: options.trace, exempt: state.sender.exemptRules });
}

/** decide without a trace: the compiled rules, synchronously (shadow arms; the writer never waits on them). */
export function decideUntraced(request: SendRequest, state: DecisionState, policy: LoadedPolicy): Decision {
  return decideSubjects(policy, subjectFacts(request, state, policy), state.sender.exemptRules);
}

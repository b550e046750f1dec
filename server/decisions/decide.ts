/** Facts → engine → outcome, per subject, and the most severe outcome as the decision. */
import type { LimitName, Outcome, PolicyEvent } from '../policy/document.ts';
import type { LoadedPolicy } from '../policy/registry.ts';
import type { RuleTrace } from '../policy/engine.ts';
import { buildFacts, overrideFacts, subjectsOf, type DecisionState, type Subject } from './facts.ts';
import type { SendRequest } from './request.ts';

export interface SubjectDecision {
  subject: Subject;
  outcome: Outcome;
  event: PolicyEvent;
  rule: string | null;
  /** Every `limit` the matching rules named, not only the winner's: a retry must clear them all. */
  limits: LimitName[];
  facts: Record<string, unknown>;
  trace?: RuleTrace[];
}

export interface Decision {
  outcome: Outcome;
  event: PolicyEvent;
  rule: string | null;
  subjects: SubjectDecision[];
}

const severity: Record<Outcome, number> = { allow: 0, request: 1, limit: 2, deny: 3 };

/** An exception while evaluating is a refusal, never an allow. */
const policyError: PolicyEvent = { type: 'deny', params: { reason: 'policy_error' } };

export async function decide(request: SendRequest, state: DecisionState, policy: LoadedPolicy, options: { trace: boolean; inlineFacts?: SendRequest['facts'] }): Promise<Decision> {
  const subjects: SubjectDecision[] = [];
  for (const subject of subjectsOf(request)) {
    const facts = overrideFacts(buildFacts(request, state, policy.params, subject), options.inlineFacts);
    try {
      const evaluation = await policy.engine.evaluate(facts, { trace: options.trace, exempt: state.sender.exemptRules });
      subjects.push({ subject, outcome: evaluation.outcome, event: evaluation.event, rule: evaluation.rule, limits: evaluation.limits, facts, trace: evaluation.trace });
    } catch (error) {
      console.error(`policy ${policy.version} failed to evaluate`, error);
      subjects.push({ subject, outcome: 'deny', event: policyError, rule: null, limits: [], facts });
    }
  }
  let worst = subjects[0];
  for (const s of subjects) if (severity[s.outcome] > severity[worst.outcome]) worst = s;
  return { outcome: worst.outcome, event: worst.event, rule: worst.rule, subjects };
}

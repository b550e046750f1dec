/**
 * Decides a replayed attempt: each subject's facts through the policy's engine, the most severe outcome
 * deciding — decide()'s rule (server/decisions/decide.ts), over facts the replay built itself.
 */
import type { Decision, SubjectDecision } from '../../decisions/decide.ts';
import type { Subject } from '../../decisions/facts.ts';
import type { Outcome, PolicyEvent } from '../../policy/document.ts';
import type { FactValues } from '../../policy/engine.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';
import type { ReplayAttempt } from './attempt.ts';

/** The order decide() ranks outcomes in: deny > limit > request > allow. */
export const severity: Record<Outcome, number> = { allow: 0, request: 1, limit: 2, deny: 3 };

/** An exception while evaluating is a refusal, never an allow — as in decide(). */
const policyError: PolicyEvent = { type: 'deny', params: { reason: 'policy_error' } };

export interface SubjectFacts {
  subject: Subject;
  facts: FactValues;
}

export async function decideSubjects(policy: LoadedPolicy, subjects: SubjectFacts[], exempt: ReadonlySet<string>): Promise<Decision> {
  const decided: SubjectDecision[] = [];
  for (const { subject, facts } of subjects) {
    try {
      const e = await policy.engine.evaluate(facts, { exempt });
      decided.push({ subject, outcome: e.outcome, event: e.event, rule: e.rule, limits: e.limits, facts });
    } catch {
      decided.push({ subject, outcome: 'deny', event: policyError, rule: null, limits: [], facts });
    }
  }
  let worst = decided[0];
  for (const s of decided) if (severity[s.outcome] > severity[worst.outcome]) worst = s;
  return { outcome: worst.outcome, event: worst.event, rule: worst.rule, subjects: decided };
}

/**
 * The logged decision as a Decision, for an attempt whose deciding version is no longer stored: the
 * deciding rule's event stands for every subject. Rules that matched without deciding (a cooldown
 * tripped beside a daily limit) are unknown then.
 */
export function asLogged(attempt: ReplayAttempt, policy: LoadedPolicy | null): Decision {
  const { log } = attempt;
  const document = policy?.document;
  const event: PolicyEvent = (log.rule && document?.rules.find((r) => r.name === log.rule)?.event)
    || (!log.rule && document?.default)
    || { type: log.decision, params: { reason: log.reason } };
  const subjects = (log.facts.length ? log.facts : [{ subject: null, facts: {} }]).map((s): SubjectDecision => ({
    subject: s.subject, outcome: log.decision, event, rule: log.rule, limits: event.params.limit ? [event.params.limit] : [], facts: s.facts,
  }));
  return { outcome: log.decision, event, rule: log.rule, subjects };
}

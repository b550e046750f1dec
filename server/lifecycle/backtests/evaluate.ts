/**
 * Decides a replayed attempt: each subject's facts through the policy's engine, the most severe outcome
 * deciding — decideSubjects (server/decisions/decide.ts), over facts the replay built itself.
 */
import type { Decision, SubjectDecision } from '../../policy/decision.ts';
import type { PolicyEvent } from '../../policy/document.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';
import type { ReplayAttempt } from './attempt.ts';

export { decideSubjects, type SubjectFacts } from '../../decisions/decide.ts';

/**
 * The logged decision as a Decision, for an attempt whose deciding version is no longer stored: the
 * deciding rule's event stands for every subject. Rules that matched without deciding (a cooldown
 * tripped beside a daily limit) are unknown then.
 */
export function asLogged(attempt: ReplayAttempt, policy: LoadedPolicy | null): Decision {
  const { log, subjects } = attempt;
  const document = policy?.document;
  const event: PolicyEvent = (log.rule && document?.rules.find((r) => r.name === log.rule)?.event)
    || (!log.rule && document?.default)
    || { type: log.decision, params: { reason: log.reason } };
  const decided = (subjects.length ? subjects : [{ subject: null, facts: {} }]).map((s): SubjectDecision => ({
    subject: s.subject, outcome: log.decision, event, rule: log.rule, limits: event.params.limit ? [event.params.limit] : [], facts: s.facts,
  }));
  return { outcome: log.decision, event, rule: log.rule, subjects: decided };
}

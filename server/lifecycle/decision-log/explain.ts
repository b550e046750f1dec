/**
 * Re-explains a logged decision: its logged facts, per subject, run again through the version that
 * decided it, with the trace. A published version is immutable, so it must reproduce the logged
 * decision; a draft may have changed since.
 */
import type { DecisionLogEntry } from '../../../db/stores/decision-log.ts';
import type { PolicyEvent } from '../../policy/document.ts';
import type { FactValues, RuleTrace } from '../../policy/engine.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';

export interface Verdict {
  decision: string;
  reason: string | null;
  rule: string | null;
}

export interface SubjectExplanation extends Verdict {
  /** The recipient (or invitee) this evaluation was about; null when the send has no pairwise subject. */
  subject: string | null;
  limits: string[];
  facts: FactValues;
  /** Every rule in document order: its conditions with the fact values seen, and whether it matched. */
  trace: RuleTrace[];
}

export interface Explanation {
  id: string;
  policy: string;
  version: string;
  logged: Verdict;
  explained: Verdict;
  /** Whether the re-explained decision, reason and deciding rule equal the logged ones. */
  reproduced: boolean;
  subjects: SubjectExplanation[];
}

/** The facts of one subject as the decision log keeps them. */
interface LoggedSubject {
  subject: string | null;
  facts: FactValues;
}

// The same order as server/decisions/decide.ts: the decision is the most severe subject's.
const severity: Record<string, number> = { allow: 0, request: 1, limit: 2, deny: 3 };

/** As in decide.ts: an exception while evaluating is a refusal, never an allow. */
const policyError: PolicyEvent = { type: 'deny', params: { reason: 'policy_error' } };

function loggedSubjects(entry: DecisionLogEntry): LoggedSubject[] {
  return Array.isArray(entry.facts) ? (entry.facts as LoggedSubject[]) : [];
}

/** Runs every logged subject through `policy` with the trace on and compares the result to the log. */
export async function explainDecision(entry: DecisionLogEntry, policy: LoadedPolicy): Promise<Explanation> {
  const subjects: SubjectExplanation[] = [];
  for (const { subject, facts } of loggedSubjects(entry)) {
    try {
      const evaluation = await policy.engine.evaluate(facts, { trace: true });
      subjects.push({
        subject, decision: evaluation.outcome, reason: evaluation.event.params.reason, rule: evaluation.rule,
        limits: evaluation.limits, facts, trace: evaluation.trace ?? [],
      });
    } catch {
      subjects.push({ subject, decision: policyError.type, reason: policyError.params.reason, rule: null, limits: [], facts, trace: [] });
    }
  }
  let worst: Verdict = { decision: policy.document.default.type, reason: policy.document.default.params.reason, rule: null };
  if (subjects.length) {
    worst = subjects[0];
    for (const s of subjects) if (severity[s.decision] > severity[worst.decision]) worst = s;
  }
  const explained: Verdict = { decision: worst.decision, reason: worst.reason, rule: worst.rule };
  const logged: Verdict = { decision: entry.decision, reason: entry.reason, rule: entry.rule };
  return {
    id: entry.id, policy: entry.policy, version: entry.version, logged, explained,
    reproduced: explained.decision === logged.decision && explained.reason === logged.reason && explained.rule === logged.rule,
    subjects,
  };
}

/**
 * Re-explains a logged decision: its logged facts, per subject, run again through the version that
 * decided it (with that version's parameters), with the trace. A published version is immutable, so
 * it must reproduce the logged decision; a draft may have changed since.
 */
import type { DecisionLogEntry } from '../../../db/stores/decision-log.ts';
import { evaluateSubjects } from '../../decisions/decide.ts';
import { decodeLoggedFacts } from '../../decisions/logged-facts.ts';
import type { Outcome } from '../../policy/document.ts';
import type { FactValues, RuleTrace } from '../../policy/evaluation.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';

export interface Verdict {
  decision: Outcome;
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

/** Runs every logged subject through `policy` with the trace on and compares the result to the log. */
export async function explainDecision(entry: DecisionLogEntry, policy: LoadedPolicy): Promise<Explanation> {
  const logged = decodeLoggedFacts(entry.facts, policy.params);
  const decision = await evaluateSubjects(policy, logged, { trace: true, exempt: new Set(logged[0]?.exempt ?? []) });
  const subjects: SubjectExplanation[] = decision.subjects.map((s) => ({
    subject: s.subject, decision: s.outcome, reason: s.event.params.reason, rule: s.rule, limits: s.limits, facts: s.facts, trace: s.trace ?? [],
  }));
  const explained: Verdict = { decision: decision.outcome, reason: decision.event.params.reason, rule: decision.rule };
  const loggedVerdict: Verdict = { decision: entry.decision as Outcome, reason: entry.reason, rule: entry.rule };
  return {
    id: entry.id, policy: entry.policy, version: entry.version, logged: loggedVerdict, explained,
    reproduced: explained.decision === loggedVerdict.decision && explained.reason === loggedVerdict.reason && explained.rule === loggedVerdict.rule,
    subjects,
  };
}

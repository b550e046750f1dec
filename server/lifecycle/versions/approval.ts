/** Whether a draft needs a second person's approval before it is published, why, and who may give it. */
import type { Operator } from '../../../db/stores/operators.ts';

/** `policy_setting`: an admin turned approval on for the policy; `fewer_tests`: the draft has fewer policy tests than the version it came from. */
export type ApprovalCause = 'policy_setting' | 'fewer_tests';

export interface ApprovalState {
  required: boolean;
  causes: ApprovalCause[];
  /** `pending`: required and not given yet. */
  status: 'not_required' | 'pending' | 'approved';
  /** Enabled publishers and admins who neither wrote nor edited the draft, by username. */
  approvers: string[];
}

export interface ApprovalInput {
  requireApproval: boolean;
  testCount: number;
  /** How many tests the version it was drafted from has; null when that version is gone or it has none. */
  basedOnTestCount: number | null;
  approvedBy: string | null;
  author: string;
  editors: string[];
  operators: Operator[];
}

const mayApprove = (o: Operator) => o.disabledAt === null && (o.role === 'publisher' || o.role === 'admin');

/**
 * The approval a draft needs and has.
 * @example
 * approvalState({ requireApproval: true, testCount: 44, basedOnTestCount: 44, approvedBy: null, author: 'erin', editors: ['erin'], operators })
 * // { required: true, causes: ['policy_setting'], status: 'pending', approvers: ['admin', 'pat'] }
 */
export function approvalState(input: ApprovalInput): ApprovalState {
  const causes: ApprovalCause[] = [];
  if (input.requireApproval) causes.push('policy_setting');
  if (input.basedOnTestCount !== null && input.testCount < input.basedOnTestCount) causes.push('fewer_tests');
  const required = causes.length > 0;
  const excluded = new Set([input.author, ...input.editors]);
  return {
    required,
    causes,
    status: input.approvedBy !== null ? 'approved' : required ? 'pending' : 'not_required',
    approvers: input.operators.filter((o) => mayApprove(o) && !excluded.has(o.username)).map((o) => o.username),
  };
}

/** The causes in words, for an error message. */
export function describeCauses(causes: ApprovalCause[], tests: { count: number; basedOn: string | null; basedOnCount: number | null }): string {
  return causes.map((cause) => cause === 'policy_setting'
    ? 'the policy requires a second person\'s approval'
    : `it has fewer policy tests (${tests.count}) than ${tests.basedOn} (${tests.basedOnCount})`).join(', and ');
}

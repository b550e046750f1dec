/** Shared helpers for the rule-family suites: one real service per preset, and decision assertions. */
import { expect } from 'vitest';
export { allPresets, useService, type World } from '../../support/presets.ts';

/** The policy default: no rule matched. */
export const ALLOWED = { decision: 'allow', reason: 'allowed', rule: null } as const;

export interface Expected {
  decision: 'allow' | 'request' | 'deny' | 'limit';
  reason: string;
  rule: string | null;
}

/** Asserts the decision, its reason and the deciding rule, overall and for the single recipient of a direct send. */
export function expectDecision(res: any, expected: Expected, label = ''): void {
  const got = { decision: res.decision, reason: res.reason, rule: res.rule };
  expect(got, `${label} ${JSON.stringify(res).slice(0, 600)}`).toEqual(expected);
  if (Array.isArray(res.recipients) && res.recipients.length === 1) {
    const r = res.recipients[0];
    expect({ decision: r.decision, reason: r.reason, rule: r.rule }, `${label} recipient detail`).toEqual(expected);
  }
}

export const deny = (reason: string, rule: string): Expected => ({ decision: 'deny', reason, rule });
export const request = (reason: string, rule: string): Expected => ({ decision: 'request', reason, rule });

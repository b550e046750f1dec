/** Policy tests as the dashboard shows and edits them: facts as rows, relative values in words. */
import { defaultValue, factMembers } from './facts';
import type { Channel, Outcome, ParameterDefinition, PolicyTest, RelativeValue, SendKind, TestFactValue } from './types';

export const isRelative = (value: TestFactValue): value is RelativeValue => typeof value === 'object' && value !== null;

/** `{ param: 'dailyLimit', offset: -1 }` → "dailyLimit − 1"; a literal as itself. */
export function describeValue(value: TestFactValue): string {
  if (!isRelative(value)) return String(value);
  const offset = value.offset ?? 0;
  return offset === 0 ? value.param : `${value.param} ${offset < 0 ? '−' : '+'} ${Math.abs(offset)}`;
}

/** One fact member a test sets: a literal, or a number parameter plus an offset. */
export interface FactRow {
  key: string;
  mode: 'literal' | 'relative';
  literal: string | number | boolean;
  param: string;
  offset: number;
}

/** The form of one test being written. */
export interface TestForm {
  name: string;
  description: string;
  kind: SendKind;
  channel: Channel;
  facts: FactRow[];
  decision: Outcome;
  reason: string;
  rule: string;
}

/** The members a test may set: the catalog's, and the version's parameters as `params.<name>` overrides. */
export function testMembers(parameters: Record<string, ParameterDefinition>) {
  const catalog = factMembers.filter((m) => !m.key.startsWith('params.'));
  const params = Object.entries(parameters).map(([name, p]) => ({
    key: `params.${name}`, type: p.type === 'enum' ? ('string' as const) : p.type, options: p.type === 'enum' ? p.options : undefined, description: p.description,
  }));
  return [...catalog, ...params];
}

export const numberParameters = (parameters: Record<string, ParameterDefinition>) =>
  Object.entries(parameters).filter(([, p]) => p.type === 'number').map(([name]) => name);

export function newRow(key: string, parameters: Record<string, ParameterDefinition>): FactRow {
  const member = testMembers(parameters).find((m) => m.key === key)!;
  return { key, mode: 'literal', literal: defaultValue(member), param: numberParameters(parameters)[0] ?? '', offset: 0 };
}

export function toForm(test: PolicyTest | null, parameters: Record<string, ParameterDefinition>): TestForm {
  if (!test) return { name: '', description: '', kind: 'direct', channel: 'web', facts: [], decision: 'allow', reason: 'allowed', rule: '' };
  const facts: FactRow[] = Object.entries(test.facts ?? {}).flatMap(([fact, members]) => Object.entries(members).map(([member, value]) => ({
    ...newRow(`${fact}.${member}`, parameters),
    ...(isRelative(value) ? { mode: 'relative' as const, param: value.param, offset: value.offset ?? 0 } : { literal: value }),
  })));
  return {
    name: test.name, description: test.description, kind: test.request?.kind ?? 'direct', channel: test.request?.channel ?? 'web', facts,
    decision: test.expect.decision, reason: test.expect.reason, rule: test.expect.rule ?? '',
  };
}

export function fromForm(form: TestForm): PolicyTest {
  const facts: NonNullable<PolicyTest['facts']> = {};
  for (const row of form.facts) {
    const [fact, member] = row.key.split('.');
    (facts[fact] ??= {})[member] = row.mode === 'relative' ? (row.offset ? { param: row.param, offset: row.offset } : { param: row.param }) : row.literal;
  }
  const request = { ...(form.kind !== 'direct' ? { kind: form.kind } : {}), ...(form.channel !== 'web' ? { channel: form.channel } : {}) };
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    ...(form.facts.length ? { facts } : {}),
    ...(Object.keys(request).length ? { request } : {}),
    expect: { decision: form.decision, reason: form.reason.trim(), ...(form.rule.trim() ? { rule: form.rule.trim() } : {}) },
  };
}

/** "quota.dailyUsed = dailyLimit − 1, relation.blocked = true" */
export function describeFacts(test: PolicyTest): string {
  const parts = Object.entries(test.facts ?? {}).flatMap(([fact, members]) =>
    Object.entries(members).map(([member, value]) => `${fact}.${member} = ${describeValue(value)}`));
  const request = [test.request?.kind, test.request?.channel].filter(Boolean).join(', ');
  return [...(request ? [`(${request})`] : []), ...parts].join(', ') || 'the neutral send';
}

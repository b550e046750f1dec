/** Helpers for the group suites (R15, R16): one real service per preset, group set-up over the HTTP API. */
import { expect } from 'vitest';
export { allPresets, useService, type World } from '../../support/presets.ts';
import type { World } from '../../support/presets.ts';
import { at } from '../../support/world.ts';

/** The seed's "A group Message can include up to 20 people" (maxGroupSize in every preset). */
export const maxGroupSize = 20;

/** Ids unique to one test, so that tests sharing a service never see each other's state. */
export function ids(prefix: string) {
  const one = (name: string) => `${prefix}-${name}`;
  const many = (name: string, n: number) => Array.from({ length: n }, (_, i) => one(`${name}${i + 1}`));
  return { one, many };
}

/** Every account in `followers` follows `followee` (in parallel: each PUT is its own write). */
export async function allFollow(w: World, followers: string[], followee: string): Promise<void> {
  await Promise.all(followers.map((f) => w.follow(f, followee)));
}

export interface Verdict {
  decision: 'allow' | 'request' | 'deny' | 'limit';
  reason: string;
}

const verdict = (r: any): Verdict => ({ decision: r.decision, reason: r.reason });

/** The per-recipient detail as `{ id: { decision, reason } }`. */
export function perRecipient(res: any): Record<string, Verdict> {
  expect(Array.isArray(res.recipients), JSON.stringify(res).slice(0, 400)).toBe(true);
  return Object.fromEntries(res.recipients.map((r: any) => [r.id, verdict(r)]));
}

/** Asserts the overall decision and reason. */
export function expectVerdict(res: any, expected: Verdict, label = ''): void {
  expect(verdict(res), `${label} ${JSON.stringify(res).slice(0, 800)}`).toEqual(expected);
}

/** Creates a group of `creator` + `others` (each must follow `creator`) and returns its id. */
export async function createGroup(w: World, creator: string, others: string[], now: Date = at(0)): Promise<string> {
  const res = await w.send({ senderId: creator, kind: 'group_create', recipientIds: others, text: `group by ${creator}` }, now);
  expectVerdict(res, { decision: 'allow', reason: 'allowed' }, 'group_create');
  expect(typeof res.conversationId).toBe('string');
  return res.conversationId as string;
}

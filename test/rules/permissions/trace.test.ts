// DESIGN §2: "Every decision is explainable: the response can carry a trace (each rule, each condition, the fact values
// it saw, matched or not)" and "The decision is the event of the matching rule with the highest priority (ties: earlier
// in the file)"; "A check (dry run) records nothing."
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, allPresets, expectDecision, useService } from './helpers.ts';

interface PresetRule { name: string; family: string; priority: number; event: { type: string; params: { reason: string } } }

const presetDoc = (preset: PresetName): { rules: PresetRule[] } =>
  JSON.parse(readFileSync(new URL(`../../../rules/${preset}.json`, import.meta.url), 'utf8'));

const factNames = Object.keys(JSON.parse(readFileSync(new URL('../../../rules/facts.json', import.meta.url), 'utf8')).facts);

/** Collects every comparison (leaf) of a traced condition tree. */
function leaves(node: any): any[] {
  if (!node || typeof node !== 'object') return [];
  for (const key of ['all', 'any']) if (Array.isArray(node[key])) return node[key].flatMap(leaves);
  if (node.not) return leaves(node.not);
  return [node];
}

/**
 * Checks the trace of one recipient against the preset document and the response: every rule once, in document
 * order, each with `matched`; the deciding rule is the highest-priority matched one (ties: earliest in the document).
 */
function checkTrace(preset: PresetName, res: any, recipientId: string) {
  const doc = presetDoc(preset);
  expect(Array.isArray(res.trace)).toBe(true);
  expect(res.trace).toHaveLength(1);
  const t = res.trace[0];
  expect(t.recipientId).toBe(recipientId);
  for (const name of factNames) expect(t.facts, `fact ${name}`).toHaveProperty(name);
  expect(t.facts.recipient.id).toBe(recipientId);

  expect(t.rules.map((r: any) => r.rule)).toEqual(doc.rules.map((r) => r.name));
  for (const [i, r] of t.rules.entries()) {
    expect(typeof r.matched, r.rule).toBe('boolean');
    expect(r.priority).toBe(doc.rules[i].priority);
    expect(r.family).toBe(doc.rules[i].family);
    expect(r.event).toEqual(doc.rules[i].event);
  }

  const matched = t.rules.filter((r: any) => r.matched);
  if (matched.length === 0) {
    expectDecision(res, ALLOWED);
    return { matched, t };
  }
  const top = Math.max(...matched.map((r: any) => r.priority));
  const atTop = matched.filter((r: any) => r.priority === top);
  const winner = atTop[0]; // document order: ties go to the earlier rule
  expectDecision(res, { decision: winner.event.type, reason: winner.event.params.reason, rule: winner.rule });
  return { matched, atTop, t };
}

describe.each(allPresets)('trace — %s', (preset) => {
  const ctx = useService(preset);

  it('a send with trace: true returns the facts and every rule with matched; the one highest matched rule decides', async () => {
    const { w } = ctx;
    // A blocked stranger who is also suspended: several rules match at different priorities.
    await w.account('tra-rcpt', { suspended: true });
    await w.block('tra-rcpt', 'tra-sndr');
    const res = await w.dm('tra-sndr', 'tra-rcpt', at(0), { trace: true });
    const { matched, atTop, t } = checkTrace(preset, res, 'tra-rcpt');

    expect(t.facts.recipient.suspended).toBe(true);
    expect(t.facts.relation.blocked).toBe(true);
    expect(t.facts.relation.recipientFollowsSender).toBe(false);
    const names = matched.map((r: any) => r.rule);
    // In document order; the stranger also fails x-2023's inbox setting, the others' follow gate.
    expect(names).toEqual(['recipient-suspended', 'block', preset === 'x-2023' ? 'inbox-setting' : 'follow-gate']);
    expect(atTop!.map((r: any) => r.rule)).toEqual(['recipient-suspended']);
    expect(res.rule).toBe('recipient-suspended');
    expect(t.rules.find((r: any) => r.rule === 'sender-suspended').matched).toBe(false);

    // The conditions carry the fact value each comparison saw.
    const blockLeaves = leaves(t.rules.find((r: any) => r.rule === 'block').conditions);
    expect(blockLeaves).toEqual([{ fact: 'relation', path: '$.blocked', operator: 'equal', value: true, factResult: true, valueResult: true, result: true }]);
    const senderLeaves = leaves(t.rules.find((r: any) => r.rule === 'sender-suspended').conditions);
    expect(senderLeaves).toEqual([{ fact: 'sender', path: '$.suspended', operator: 'equal', value: true, factResult: false, valueResult: true, result: false }]);
  });

  it('removing the top match hands the decision to the next matched rule', async () => {
    const { w } = ctx;
    await w.block('trb-rcpt', 'trb-sndr');
    const res = await w.dm('trb-sndr', 'trb-rcpt', at(0), { trace: true });
    const { atTop } = checkTrace(preset, res, 'trb-rcpt');
    expect(atTop!.map((r: any) => r.rule)).toEqual(['block']);
    expect(res.reason).toBe('blocked');
  });

  it('equal priorities: both suspended, the earlier rule in the document decides', async () => {
    const { w } = ctx;
    await w.account('trc-sndr', { suspended: true });
    await w.account('trc-rcpt', { suspended: true });
    const res = await w.dm('trc-sndr', 'trc-rcpt', at(0), { trace: true });
    const { atTop } = checkTrace(preset, res, 'trc-rcpt');
    expect(atTop!.map((r: any) => r.rule)).toEqual(['sender-suspended', 'recipient-suspended']);
    expect(res.rule).toBe('sender-suspended');
  });

  it('no rule matched: every rule is traced unmatched and the policy default decides', async () => {
    const { w } = ctx;
    await w.follow('trd-rcpt', 'trd-sndr');
    const res = await w.dm('trd-sndr', 'trd-rcpt', at(0), { trace: true });
    const { matched } = checkTrace(preset, res, 'trd-rcpt');
    expect(matched).toEqual([]);
    expect(res.rule).toBeNull();
  });

  it('without trace: true there is no trace', async () => {
    const { w } = ctx;
    await w.follow('tre-rcpt', 'tre-sndr');
    expect((await w.dm('tre-sndr', 'tre-rcpt', at(0))).trace).toBeNull();
  });

  it('a check is traced too, and records nothing: the next enforced send\'s daily `used` is unchanged by it', async () => {
    const { w } = ctx;
    await w.follow('trf-rcpt', 'trf-sndr');
    const first = await w.dm('trf-sndr', 'trf-rcpt', at(0));
    expectDecision(first, ALLOWED);
    expect(first.quota.daily.used).toBe(1);

    for (let i = 0; i < 3; i++) {
      const dry = await w.check({ senderId: 'trf-sndr', recipientIds: ['trf-rcpt'], text: `dry ${i}`, trace: true }, at(minutes(1 + i)));
      checkTrace(preset, dry, 'trf-rcpt');
      expectDecision(dry, ALLOWED);
      expect(dry.sendId).toBeNull();
      expect(dry.conversationId).toBeNull();
      // What the quota would be if this send were made: the enforced one plus this one, never the earlier checks.
      expect(dry.quota.daily.used).toBe(2);
    }

    const second = await w.dm('trf-sndr', 'trf-rcpt', at(minutes(10)));
    expectDecision(second, ALLOWED);
    expect(second.quota.daily.used).toBe(2);
  });
});

describe.each<PresetName>(['x-2023', 'x-api-v2'])('check records nothing — %s: no conversation from a dry run', (preset) => {
  const ctx = useService(preset);

  it('a checked message from the recipient is no prior conversation', async () => {
    const { w } = ctx;
    await w.follow('trg-sndr', 'trg-rcpt'); // the recipient's message to the sender would be admitted
    await w.account('trg-sndr', { inbox: 'everyone' });
    const dry = await w.check({ senderId: 'trg-rcpt', recipientIds: ['trg-sndr'], text: 'hi' }, at(0));
    expect(dry.decision).toBe('allow');
    const res = await w.dm('trg-sndr', 'trg-rcpt', at(minutes(1)));
    expectDecision(res, preset === 'x-2023'
      ? { decision: 'request', reason: 'message_request', rule: 'inbox-setting' }
      : { decision: 'deny', reason: 'recipient_not_following', rule: 'follow-gate' });
  });
});

// The codec of the decision log's `facts` column (server/decisions/logged-facts.ts): compact, without
// the version's parameters, and decoding both what it writes and the JSON rows logged before it. The
// facts are real ones, from the decision path's trace, for every send kind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tapeOf } from '../../db/json-tape.ts';
import { currentLayout, decodeLoggedFacts, encodeLoggedFacts, reusingFactsReader } from '../../server/decisions/logged-facts.ts';
import type { Params } from '../../server/policy/document.ts';
import { catalog } from '../../server/policy/catalog.ts';
import type { FactValues } from '../../server/policy/evaluation.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours, minutes, world, type SendInput } from '../support/world.ts';
import { layout1Text, rewriteLogFacts } from './backtests.helpers.ts';

type Subject = { subject: string | null; facts: FactValues };

const withoutParams = (subjects: Subject[]) => subjects.map(({ subject, facts: { params: _params, ...facts } }) => ({ subject, facts }));

describe('the logged facts codec', () => {
  let s: TestService;
  let params: Params;
  /** Real facts per send kind, as the decision path traces them (buildFacts, with the version's params). */
  const byKind: Record<string, Subject[]> = {};

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const w = world(s);
    params = (await s.service.policies.version('x-2023'))!.params;
    await w.follow('lf-bob', 'lf-alice');
    await w.follow('lf-carol', 'lf-alice');
    await w.block('lf-dave', 'lf-alice');
    const group = await w.send({ senderId: 'lf-alice', recipientIds: ['lf-bob', 'lf-carol'], kind: 'group_create', text: 'hello both' }, at(minutes(1)));
    expect(group.conversationId).toEqual(expect.any(String));
    const inputs: Record<string, SendInput> = {
      direct: { senderId: 'lf-alice', recipientIds: ['lf-bob'], text: 'hi https://ex.am/ple' },
      group_create: { senderId: 'lf-alice', recipientIds: ['lf-bob', 'lf-dave'], kind: 'group_create', text: 'hi all' },
      group_message: { senderId: 'lf-alice', kind: 'group_message', conversationId: group.conversationId, text: 'hi again' },
      group_invite: { senderId: 'lf-alice', recipientIds: ['lf-dave'], kind: 'group_invite', conversationId: group.conversationId },
    };
    for (const [kind, input] of Object.entries(inputs)) {
      const res = await s.call('POST', '/v1/sends/check', { body: { ...input, trace: true }, now: at(minutes(2)) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      byKind[kind] = res.body.trace.map((t: any) => ({ subject: t.recipientId, facts: t.facts }));
    }
  });
  afterAll(async () => { await s.close(); });

  it('round-trips the facts of every send kind, re-attaching the parameters it leaves out', () => {
    for (const [kind, subjects] of Object.entries(byKind)) {
      expect(subjects.length, kind).toBeGreaterThan(0);
      expect(subjects[0].facts.params, kind).toEqual(params);
      const text = encodeLoggedFacts(subjects, []);
      for (const name of ['params', ...Object.keys(params)]) expect(text, kind).not.toContain(`"${name}"`);
      expect(decodeLoggedFacts(text, params), kind).toEqual(subjects);
      expect(decodeLoggedFacts(text), kind).toEqual(withoutParams(subjects));
    }
  });

  it('is several times smaller than the JSON logged before the codec, and a third smaller than layout 1', () => {
    const subjects = byKind.direct;
    expect(encodeLoggedFacts(subjects, []).length * 6).toBeLessThan(JSON.stringify(subjects).length);
    expect(encodeLoggedFacts(subjects, []).length * 1.5).toBeLessThan(layout1Text(subjects, []).length);
  });

  it('writes a token array, not JSON: its layout number, the exempted rules, a subject per array', () => {
    for (const subjects of Object.values(byKind)) {
      const text = encodeLoggedFacts(subjects, ['block']);
      expect(text).toMatch(/^~\[2;\['5:block\]\[/);
      expect(text).not.toMatch(/true|false|null|,/);
      expect(text.match(/\]\[/g)).toHaveLength(subjects.length);
    }
  });

  it('round-trips strings that hold the tokens\' own characters, and numbers of every form', () => {
    const [{ facts }] = byKind.direct;
    const odd = {
      ...facts,
      sender: { ...facts.sender, id: `a'3:b;t"\\ ${'é'.repeat(3)}` },
      recipient: { ...facts.recipient, id: '', inbox: '12;' },
      relation: { ...facts.relation, lastReceivedAgeSeconds: 0.125, repliesSinceReceived: -3 },
      content: { ...facts.content, textLength: 1e21, smsLength: -2.5e-7, duplicateRecipients: Number.MAX_SAFE_INTEGER + 2 },
    };
    const text = encodeLoggedFacts([{ subject: `x'1:y`, facts: odd }, { subject: null, facts: odd }], [`r'1:`]);
    expect(decodeLoggedFacts(text, params)).toEqual([{ subject: `x'1:y`, facts: odd, exempt: [`r'1:`] }, { subject: null, facts: odd, exempt: [`r'1:`] }]);
  });

  it('writes null for a member the facts lack, a number JSON has no form for, or a value that is no primitive', () => {
    const [{ subject, facts }] = byKind.direct;
    const { app: _app, ...withoutApp } = facts;
    const text = encodeLoggedFacts([{ subject, facts: { ...withoutApp, quota: { ...facts.quota, dailyUsed: Number.NaN, apiUser15m: Infinity, apiUser24h: [1] } } }], []);
    const [decoded] = decodeLoggedFacts(text);
    expect(decoded.facts.app).toEqual({ id: null, granted: null });
    expect(decoded.facts.quota).toEqual({ dailyUsed: null, apiUser15m: null, apiUser24h: null, apiApp24h: facts.quota.apiApp24h });
  });

  it('refuses a token array that is cut short, holds what is no token, or a subject of another width', () => {
    const text = encodeLoggedFacts(byKind.direct, []);
    expect(() => decodeLoggedFacts(text.slice(0, -1))).toThrow(/json tape/);
    expect(() => decodeLoggedFacts(text.replace(/^~\[2;\[\]\[/, '~[2;[][x'))).toThrow(/json tape: unexpected "x/);
    expect(() => decodeLoggedFacts(text.replace(/'(\d+):/, "'99999:"))).toThrow(/json tape/);
    expect(() => decodeLoggedFacts(text.replace(/\]\]$/, 't]]'))).toThrow(/a subject without the 39 values of layout 2/);
  });

  it('decodes the JSON rows of layout 1, written before the tokens', () => {
    for (const [kind, subjects] of Object.entries(byKind)) {
      expect(decodeLoggedFacts(layout1Text(subjects, ['block']), params), kind).toEqual(subjects.map((subject) => ({ ...subject, exempt: ['block'] })));
    }
  });

  it('keeps the rules the sender was exempted from, on every subject', () => {
    const subjects = byKind.group_create;
    expect(subjects).toHaveLength(2);
    const decoded = decodeLoggedFacts(encodeLoggedFacts(subjects, ['daily-cap']), params);
    expect(decoded.map((d) => d.exempt)).toEqual([['daily-cap'], ['daily-cap']]);
    expect(decodeLoggedFacts(encodeLoggedFacts(subjects, []), params).every((d) => !('exempt' in d))).toBe(true);
  });

  it('decodes the rows logged before it, with their parameters or the ones given', () => {
    const old = byKind.group_create.map((subject) => ({ ...subject, exempt: ['daily-cap'] }));
    const text = JSON.stringify(old);
    expect(decodeLoggedFacts(text)).toEqual(old);
    const other = { ...params, dailyLimit: 7 };
    expect(decodeLoggedFacts(text, other)).toEqual(old.map((subject) => ({ ...subject, facts: { ...subject.facts, params: other } })));
  });

  it("gives a replay each row's facts in the same objects, every member written over", () => {
    // Every member of the direct message's facts changed (a flag flipped, a number moved, a text or
    // a null replaced): a member the reader failed to write would keep the other row's value.
    const other = (value: unknown) => (typeof value === 'boolean' ? !value : typeof value === 'number' ? value + 1 : value === null ? 3 : `other-${String(value)}`);
    const changed = byKind.direct.map(({ subject, facts }) => ({
      subject, facts: Object.fromEntries(Object.entries(facts).map(([fact, members]) => [fact, fact === 'params' ? members
        : Object.fromEntries(Object.entries(members as Record<string, unknown>).map(([member, value]) => [member, other(value)]))])) as FactValues,
    }));
    const rows = [byKind.group_create, byKind.direct, changed, byKind.group_create, byKind.direct, byKind.group_message]
      .map((subjects, i) => encodeLoggedFacts(subjects, i === 3 ? ['daily-cap'] : []));
    const read = reusingFactsReader();
    const seen: object[] = [];
    for (const text of rows) {
      const decoded = read(tapeOf(text), params);
      expect(decoded).toEqual(decodeLoggedFacts(text, params));
      seen.push(decoded[0].facts);
    }
    expect(changed[0].facts).not.toEqual(byKind.direct[0].facts);
    // The first subject's facts are one object throughout.
    expect(new Set(seen).size).toBe(1);
  });

  it('writes every member of the fact catalog, in catalog order (a new member needs a new layout)', () => {
    const members = Object.entries(catalog.facts).filter(([fact]) => fact !== 'params').map(([fact, { members }]) => [fact, Object.keys(members)]);
    expect(currentLayout).toEqual(members);
  });

  it('refuses a layout it does not know, in either format', () => {
    expect(() => decodeLoggedFacts('[99,[],["a",1]]')).toThrow(/unknown layout 99/);
    expect(() => decodeLoggedFacts("~[99;[]['1:a1;]]")).toThrow(/unknown layout 99/);
  });

  it('shows and re-explains an entry logged as tokens as one logged in JSON before it: the version gives the parameters', async () => {
    const w = world(s);
    await w.block('lf-erin', 'lf-alice');
    const granted = await s.call('POST', '/v1/accounts/lf-alice/exemptions', {
      body: { rule: 'block', expiresAt: at(hours(1)).toISOString(), reason: 'codec test' }, now: at(minutes(3)),
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    await w.dm('lf-alice', 'lf-erin', at(minutes(4))); // exempted from `block`
    await w.send({ senderId: 'lf-alice', recipientIds: ['lf-bob', 'lf-dave'], kind: 'group_create', text: 'again' }, at(minutes(5)));
    const { items } = (await s.call('GET', '/v1/decisions?sender=lf-alice')).body;
    expect(items.length).toBeGreaterThanOrEqual(3);
    const show = async () => Promise.all(items.map(async (item: any) => ({
      entry: (await s.call('GET', `/v1/decisions/${item.id}`)).body,
      explanation: (await s.call('GET', `/v1/decisions/${item.id}/explain`)).body,
    })));
    await rewriteLogFacts(s, 'legacy');
    const legacy = await show();
    expect(legacy[0].entry.facts[0].exempt).toEqual(['block']);
    await rewriteLogFacts(s, 'json');
    expect(await show()).toEqual(legacy);
    await rewriteLogFacts(s, 'tokens');
    const tokens = await show();
    expect(tokens).toEqual(legacy);
    for (const { entry, explanation } of tokens) {
      expect(entry.facts[0].facts.params).toEqual(params);
      expect(explanation.reproduced, JSON.stringify(explanation.explained)).toBe(true);
    }
  });
});

// Issue 3 §6: "a backtest of the active version against itself reports no differences". The history is
// built by really sending through POST /v1/sends at simulated times, and reaches back before the
// warm-up so that what the replay can't replay (older conversations, cooldowns running into the
// window, counters filled in the warm-up) is exercised too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours, minutes, t0, world } from '../support/world.ts';
import { backtest, expectNoDifferences, followedBy, grantAll, ids, inBatches, rewriteLogFacts, seconds, send, uniqueText } from './backtests.helpers.ts';

const iso = (d: Date) => d.toISOString();

describe('a backtest of x-2023 against itself', () => {
  let s: TestService;
  let tally: Record<string, number>;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const w = world(s);
    const sent: Array<{ at: number; decision: string; reason: string }> = [];
    const dm = async (from: string, to: string, when: Date, text = uniqueText()) => {
      const r = await send(s, { senderId: from, recipientIds: [to], text }, when);
      sent.push({ at: when.getTime(), decision: r.decision, reason: r.reason });
      return r;
    };
    /** `n` sends from `sender` to its followers in parallel batches, each batch at one instant. */
    const burst = async (sender: string, recipients: string[], start: Date, text?: string) => {
      const results = await inBatches(recipients, 50, (to, i) => dm(sender, to, new Date(start.getTime() + seconds(Math.floor(i / 50))), text ?? uniqueText()));
      return results.map((r) => r.decision);
    };

    await w.follow('b', 'a');
    await w.account('q', { suspended: true });
    await w.block('d', 'a');
    const heavyFans = ids('h-fan', 570);
    await followedBy(s, 'h', heavyFans);
    await followedBy(s, 's', ids('s-fan', 12));
    await followedBy(s, 's2', ids('s2-fan', 11));
    await followedBy(s, 's3', ids('s3-fan', 12));
    await followedBy(s, 's4', ids('s4-fan', 13));

    // Before the warm-up: c's message to a opens their conversation (R5) for good.
    expect((await dm('c', 'a', at(-hours(30)))).decision).toBe('request');
    await burst('h', heavyFans.slice(0, 50), at(-hours(30)));

    // The warm-up: h fills most of its calendar day; s2 trips a cooldown that runs into the window.
    await burst('h', heavyFans.slice(50, 350), at(-hours(9)));
    for (let i = 0; i < 11; i++) await dm('s2', `s2-fan-${i}`, at(-minutes(15) + seconds(30 * i)), 'buy now https://spam.example/x');
    expect(sent.at(-1)!.reason).toBe('duplicate_spam');
    expect((await dm('s2', 's2-fan-0', at(-minutes(1)))).reason).toBe('duplicate_cooldown');
    await w.report('x', 'a', at(-hours(2)));
    expect((await dm('a', 'x', at(-hours(1)))).reason).toBe('reported_by_recipient');

    // The window.
    expect((await dm('a', 'c', at(minutes(10)))).decision).toBe('allow');
    expect((await dm('s2', 's2-fan-1', at(minutes(5)))).reason).toBe('duplicate_cooldown');
    expect((await dm('s2', 's2-fan-1', at(hours(1)))).decision).toBe('allow');
    expect((await dm('a', 'b', at(minutes(20)))).decision).toBe('allow');
    expect((await dm('a', 'd', at(minutes(21)))).reason).toBe('blocked');
    expect((await dm('a', 'z', at(minutes(22)))).decision).toBe('request');
    expect((await dm('a', 'q', at(minutes(23)))).reason).toBe('recipient_suspended');
    const capped = await burst('h', heavyFans.slice(350, 560), at(hours(1)));
    expect(capped.filter((d) => d === 'limit')).toHaveLength(10);
    for (let i = 0; i < 12; i++) await dm('s', `s-fan-${i}`, at(hours(2) + minutes(i)), 'same link https://ex.am/ple');
    expect(sent.slice(-2).map((r) => r.reason)).toEqual(['duplicate_spam', 'duplicate_cooldown']);
    await dm('x', 'a', at(hours(3)));
    expect((await dm('a', 'x', at(hours(4)))).decision).toBe('allow');
    const created = await w.send({ senderId: 'a', kind: 'group_create', recipientIds: ['b'], text: 'hi group' }, at(hours(5)));
    expect(created.decision).toBe('allow');
    expect((await w.send({ senderId: 'a', kind: 'group_message', conversationId: created.conversationId, text: 'hello all' }, at(hours(5) + 1))).decision).toBe('allow');
    expect((await w.send({ senderId: 'a', kind: 'group_create', recipientIds: ['b', 'z'], text: 'x' }, at(hours(5) + 2))).decision).toBe('deny');
    expect((await w.send({ senderId: 'a', kind: 'group_invite', conversationId: created.conversationId, recipientIds: ['z'] }, at(hours(5) + 3))).decision).toBe('deny');
    // Operators' actions are history too: an exemption from a rule, a reset of an account's counters.
    const operator = async (path: string, body: unknown, when: Date) => {
      const res = await s.call('POST', path, { body, now: when });
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    };
    await operator('/v1/accounts/s3/exemptions', { rule: 'duplicate-spam', expiresAt: iso(at(hours(6) + minutes(11))), reason: 'known campaign' }, at(hours(6)));
    for (let i = 0; i < 12; i++) await dm('s3', `s3-fan-${i}`, at(hours(6) + minutes(i)), 'campaign https://ok.example');
    expect(sent.slice(-2).map((r) => r.reason)).toEqual(['allowed', 'duplicate_spam']);
    for (let i = 0; i < 11; i++) await dm('s4', `s4-fan-${i}`, at(hours(7) + minutes(i)), 'again https://spam.example/y');
    await operator('/v1/accounts/s4/counters/reset', { reason: 'false positive' }, at(hours(7) + minutes(12)));
    expect((await dm('s4', 's4-fan-11', at(hours(7) + minutes(13)), 'again https://spam.example/y')).decision).toBe('allow');
    await operator('/v1/accounts/h/counters/reset', { reason: 'support ticket' }, at(hours(8)));
    expect(await burst('h', heavyFans.slice(565, 568), at(hours(8) + minutes(1)))).toEqual(Array(3).fill('allow'));
    // After UTC midnight the calendar day starts again.
    expect(await burst('h', heavyFans.slice(560, 565), at(hours(14) + minutes(30)))).toEqual(Array(5).fill('allow'));

    tally = {};
    for (const r of sent.filter((r) => r.at >= t0)) tally[r.decision] = (tally[r.decision] ?? 0) + 1;
  });
  afterAll(async () => { await s.close(); });

  it('replays a window that starts after a day of history and finds no difference', async () => {
    const job = await backtest(s, { version: 'x-2023', from: iso(at(0)), to: iso(at(hours(20))) }, at(hours(20)));
    const report = job.report;
    expectNoDifferences(report);
    expect(report.window).toEqual({ from: iso(at(0)), to: iso(at(hours(20))), warmUpFrom: iso(at(-hours(24))) });
    expect(report.attempts).toBe(Object.values(tally).reduce((a, b) => a + b, 0) + 4); // + the four group sends
    expect(report.mix.actual.limit).toBe(tally.limit);
    expect(report.mix.actual.request).toBe(tally.request);
  });

  it('finds no difference over the default window either (the 24 h before now)', async () => {
    const job = await backtest(s, { version: 'x-2023' }, at(hours(14)));
    expect(job.report.window.from).toBe(iso(at(-hours(10))));
    expectNoDifferences(job.report);
  });

  it('replays the same from facts logged as tokens, without parameters, as from the JSON logged before', async () => {
    const body = { version: 'x-2023', from: iso(at(0)), to: iso(at(hours(20))) };
    await rewriteLogFacts(s, 'legacy');
    const legacy = (await backtest(s, body, at(hours(20)))).report;
    await rewriteLogFacts(s, 'json');
    const json = (await backtest(s, body, at(hours(20)))).report;
    await rewriteLogFacts(s, 'tokens');
    const tokens = (await backtest(s, body, at(hours(20)))).report;
    expectNoDifferences(tokens);
    expect(json).toEqual(legacy);
    expect(tokens).toEqual(legacy);
  });
});

describe('a backtest of x-api-v2 against itself', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-api-v2' });
    const w = world(s);
    const fans = ids('bot-fan', 400);
    await followedBy(s, 'bot', fans);
    await grantAll(s, ['bot'], 'app1');
    for (const u of ['u1', 'u2', 'u3']) {
      await w.follow(u, 'bot');
      await w.follow('bot', u);
    }
    const api = (to: string, when: Date) => send(s, { senderId: 'bot', recipientIds: [to], text: uniqueText('api'), channel: 'api', appId: 'app1' }, when);
    const dm = (from: string, to: string, when: Date) => send(s, { senderId: from, recipientIds: [to], text: uniqueText() }, when);

    // Before the warm-up: u3 wrote to bot, too long ago for a reply window.
    expect((await dm('u3', 'bot', at(-hours(30)))).decision).toBe('allow');
    // The warm-up: u1 opens a reply window that is still open in the window; 100 API sends fill the 24 h.
    expect((await dm('u1', 'bot', at(-hours(23)))).decision).toBe('allow');
    await inBatches(fans.slice(0, 100), 50, (to, i) => api(to, at(-hours(1) + seconds(Math.floor(i / 50)))));

    expect((await dm('bot', 'u1', at(minutes(30)))).reason).toBe('reply_window');
    const burst = await inBatches(fans.slice(100, 305), 41, (to, i) => api(to, at(hours(1) + seconds(Math.floor(i / 41)))));
    expect(burst.filter((r) => r.reason === 'api_rate_limit')).toHaveLength(5);
    const later = await inBatches(fans.slice(305, 355), 50, (to) => api(to, at(hours(2))));
    expect(later.every((r) => r.decision === 'allow')).toBe(true);
    expect((await dm('u2', 'bot', at(hours(3)))).decision).toBe('allow');
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push((await dm('bot', 'u2', at(hours(3) + minutes(1 + i)))).reason);
    expect(replies).toEqual([...Array(5).fill('reply_window'), 'allowed', 'allowed']);
    expect((await dm('bot', 'u3', at(hours(4)))).reason).toBe('allowed');
    expect((await dm('bot', 'stranger', at(hours(4)))).reason).toBe('recipient_not_following');
    const ungranted = await send(s, { senderId: 'u1', recipientIds: ['bot'], text: uniqueText(), channel: 'api', appId: 'app2' }, at(hours(5)));
    expect(ungranted.reason).toBe('app_not_authorized');
  });
  afterAll(async () => { await s.close(); });

  it('replays API rate windows, reply windows and the rolling day without a difference', async () => {
    const job = await backtest(s, { version: 'x-api-v2', from: iso(at(0)), to: iso(at(hours(20))) }, at(hours(20)));
    expectNoDifferences(job.report);
    expect(job.report.mix.actual.limit).toBe(5);
    expect(job.report.warmUpAttempts).toBe(101);
    expect(job.report.attempts).toBe(1 + 205 + 50 + 1 + 7 + 2 + 1);
  });

  it('replays the same from facts logged as tokens as from the JSON logged before', async () => {
    const body = { version: 'x-api-v2', from: iso(at(0)), to: iso(at(hours(20))) };
    await rewriteLogFacts(s, 'legacy');
    const legacy = (await backtest(s, body, at(hours(20)))).report;
    await rewriteLogFacts(s, 'json');
    expect((await backtest(s, body, at(hours(20)))).report).toEqual(legacy);
    await rewriteLogFacts(s, 'tokens');
    expect((await backtest(s, body, at(hours(20)))).report).toEqual(legacy);
  });
});

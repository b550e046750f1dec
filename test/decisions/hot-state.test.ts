/**
 * The enforced decision path keeps its sender, pair and duplicate state in memory on a local file
 * (server/decisions/hot-state.ts); /v1/sends/check reads the same state from the database every time.
 * On a random history — sends of every kind and channel, conversations going back and forth, a heavy
 * sender that reaches the daily cap, a spammer whose repeated texts start cooldowns, a clock that
 * sometimes goes back, and graph changes (each dropping only the kept entries of its accounts), app
 * grants, exemptions granted and revoked and counter resets in between — each send is first checked,
 * then enforced at the same moment: the two must agree on everything they report, or the kept state
 * went stale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

/** A small seeded generator (mulberry32), so a failure replays exactly. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}

const accounts = Array.from({ length: 16 }, (_, i) => `h${i}`);
const heavy = 'h0';
/** Sends the same two texts around, enough to trip the duplicate rule (R14). */
const spammer = 'h1';
const texts = ['hello there', 'Hello  THERE', 'see https://example.com/a', 'buy now https://spam.example/x', 'a fresh message'];

/**
 * x-2023 has the daily cap and the duplicate rules; x-api-v2 adds the API's rate limits and its reply
 * window (R11), which read the pairs' reply counts — kept current message by message in both
 * directions of a conversation.
 */
const presets: Array<{ preset: 'x-2023' | 'x-api-v2'; required: string[] }> = [
  { preset: 'x-2023', required: ['allow/allowed', 'request/message_request', 'limit/daily_limit', 'limit/duplicate_spam', 'limit/duplicate_cooldown'] },
  { preset: 'x-api-v2', required: ['allow/allowed', 'allow/reply_window', 'deny/recipient_not_following', 'limit/duplicate_cooldown'] },
];

describe.each(presets)('hot state against the database, on a random history ($preset)', ({ preset, required }) => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset }); });
  afterAll(async () => { await s.close(); });

  it('every enforced send reports what a check on the database reported a moment before', { timeout: 240_000 }, async () => {
    const rnd = random(20261123);
    let now = Date.parse('2026-03-02T06:00:00.000Z');
    const at = () => new Date(now).toISOString();
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await s.call(method, path, { body, now: at() });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    };
    for (const a of accounts) await call('PUT', `/v1/accounts/${a}/app-grants/app-1`);
    for (let i = 0; i < 40; i++) {
      const [a, b] = [rnd.pick(accounts), rnd.pick(accounts)];
      if (a !== b) await call('PUT', `/v1/accounts/${a}/following/${b}`);
    }

    const outcomes = new Map<string, number>();
    let spammerExemption = '';
    const lastWriterTo = new Map<string, string>();
    for (let step = 0; step < 2400; step++) {
      // Mostly forward by up to 30 s; now and then back by up to 20 minutes.
      now += rnd.next() < 0.01 ? -rnd.int(1_200_000) : rnd.int(30_000);
      const roll = rnd.next();
      if (roll < 0.06) {
        const [a, b] = [rnd.pick(accounts), rnd.pick(accounts)];
        if (a === b) continue;
        const edge = rnd.pick(['following', 'blocks', 'reports', 'accepted', 'welcome-shown']);
        await call(rnd.next() < 0.7 || edge === 'reports' || edge === 'accepted' || edge === 'welcome-shown' ? 'PUT' : 'DELETE', `/v1/accounts/${a}/${edge}/${b}`);
        continue;
      }
      if (roll < 0.08) {
        await call('PUT', `/v1/accounts/${rnd.pick(accounts)}`, { inbox: rnd.pick(['everyone', 'following', 'verified']), verified: rnd.next() < 0.3 });
        continue;
      }
      if (roll < 0.085) {
        await call(rnd.next() < 0.5 ? 'PUT' : 'DELETE', `/v1/accounts/${rnd.pick(accounts)}/app-grants/app-1`);
        continue;
      }
      if (step === 1600) {
        await call('POST', `/v1/accounts/${heavy}/counters/reset`, { reason: 'hot-state test' });
        continue;
      }
      if (step === 1800 || step === 2000) {
        const expiresAt = new Date(Math.max(now, Date.now()) + 3_600_000).toISOString();
        const granted = await call('POST', `/v1/accounts/${step === 1800 ? heavy : spammer}/exemptions`, { rule: step === 1800 ? 'daily-cap' : 'duplicate-cooldown', expiresAt, reason: 'hot-state test' });
        if (step === 2000) spammerExemption = granted.id;
        continue;
      }
      if (step === 2200) {
        await call('DELETE', `/v1/accounts/${spammer}/exemptions/${spammerExemption}`);
        continue;
      }

      const who = rnd.next();
      const senderId = who < 0.55 ? heavy : who < 0.7 ? spammer : rnd.pick(accounts);
      const others = accounts.filter((a) => a !== senderId);
      // Often a reply to whoever wrote to the sender last: conversations go back and forth, so the
      // reply counts of both directions of a pair change message by message (R11).
      const writer = lastWriterTo.get(senderId);
      const recipientId = writer && rnd.next() < 0.4 ? writer : rnd.pick(others);
      const api = rnd.next() < 0.3;
      const body = rnd.next() < 0.08
        ? { senderId, recipientIds: [rnd.pick(others), rnd.pick(others)].filter((v, i, all) => all.indexOf(v) === i), kind: 'group_create', text: rnd.pick(texts) }
        : { senderId, recipientIds: [recipientId], text: senderId === spammer ? rnd.pick(texts.slice(2, 4)) : rnd.next() < (senderId === heavy ? 0.03 : 0.5) ? rnd.pick(texts) : `message ${step}`, ...(api ? { channel: 'api', appId: 'app-1' } : {}) };

      const checked = await call('POST', '/v1/sends/check', body);
      const enforced = await call('POST', '/v1/sends', body);
      const comparable = (r: any) => ({ decision: r.decision, reason: r.reason, rule: r.rule, retryAfterSeconds: r.retryAfterSeconds, quota: r.quota, recipients: r.recipients });
      expect(comparable(enforced), `step ${step} at ${at()}: ${JSON.stringify(body)}`).toEqual(comparable(checked));
      if (body.kind !== 'group_create') lastWriterTo.set(body.recipientIds[0], senderId);
      outcomes.set(`${enforced.decision}/${enforced.reason}`, (outcomes.get(`${enforced.decision}/${enforced.reason}`) ?? 0) + 1);
    }
    // The history reached the limits it is meant to exercise.
    expect(required.filter((r) => !outcomes.has(r)), JSON.stringify([...outcomes])).toEqual([]);
  });
});

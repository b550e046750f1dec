/**
 * R11, seed 004: "when a message is received from a user you may send up to 5 messages in response
 * within a 24 hour window" — "Each message received resets the 24 hour window and the 5 allotted
 * messages", and "sending a 6th message within a 24 hour window or sending a message outside of a
 * 24 hour window will count towards rate-limiting" (x-api-v2: the 1000 per 24 h account limit).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { unfoldPairHistory } from '../../support/indexer.ts';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, hours, minutes, t0, world } from '../../support/world.ts';
import { followedBy, ids, inFlight, secondsBetween, send, seconds, storedSends, uniqueText } from './helpers.ts';

/** Hundreds of real HTTP sends: more than the default 30 s on a busy machine. */
const heavy = { timeout: 180_000 };

const day = hours(24);
const iso = (ms: number) => new Date(ms).toISOString();

describe('R11 reply window, x-api-v2', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2' }); });
  afterAll(async () => { await s.close(); });

  const reply = (from: string, to: string, now: Date) => send(s, { senderId: from, recipientIds: [to], text: uniqueText('reply') }, now);

  it('at the daily cap: 5 replies within 24 h are allowed and not counted, the 6th and out-of-window replies are limited, a new message resets', heavy, async () => {
    const w = world(s);
    const a = 'rw-a';
    const x = 'rw-a-x';
    const y = 'rw-a-y';
    // X and Y may message A because A follows them; A's fill recipients follow A.
    await w.follow(a, x);
    await w.follow(a, y);
    const fill = ids('rw-a-f', 1000);
    await followedBy(s, a, fill);

    expect((await w.dm(x, a, at(0))).decision).toBe('allow');
    expect((await w.dm(y, a, at(0))).decision).toBe('allow');

    // A reaches its 1000 per rolling 24 h between 10:00 and 10:16:39 (t0 + 10 h …).
    const fillFrom = t0 + hours(10);
    const filled = await inFlight(fill, 32, (to, i) => send(s, { senderId: a, recipientIds: [to], text: uniqueText() }, new Date(fillFrom + seconds(i))));
    expect(filled.every((b) => b.decision === 'allow' && b.reason === 'allowed')).toBe(true);
    expect(Math.max(...filled.map((b) => b.quota.daily.used))).toBe(1000);
    const capQuota = { limit: 1000, used: 1000, remaining: 0, resetsAt: iso(fillFrom + day) };

    // Not a reply: a fresh recipient is limited.
    const other = await send(s, { senderId: a, recipientIds: [fill[0]], text: uniqueText() }, at(hours(11)));
    expect(other).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: secondsBetween(at(hours(11)), fillFrom + day) });

    // Five replies to X (X wrote at t0, 11 h ago): allowed by the reply window, not counted.
    for (let k = 1; k <= 5; k++) {
      const r = await reply(a, x, at(hours(11) + minutes(k)));
      expect(r, `reply ${k}`).toMatchObject({ decision: 'allow', reason: 'reply_window', rule: 'reply-window', retryAfterSeconds: null });
      expect(r.quota.daily, `reply ${k}`).toEqual(capQuota);
      expect(r.sendId).toEqual(expect.any(String));
    }
    const sixthAt = at(hours(11) + minutes(6));
    const sixth = await reply(a, x, sixthAt);
    expect(sixth).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', sendId: null });
    expect(sixth.retryAfterSeconds).toBe(secondsBetween(sixthAt, fillFrom + day));
    expect(sixth.retryAfterSeconds).toBe(23 * 3600 - 6 * 60);
    expect(sixth.quota.daily).toEqual(capQuota);
    expect(await storedSends(s, a, sql`and counted = 1`)).toBe(1000);
    expect(await storedSends(s, a, sql`and counted = 0`)).toBe(5);

    // A new message from X resets the window and the allowance: 5 more.
    expect((await w.dm(x, a, at(hours(12)))).decision).toBe('allow');
    for (let k = 1; k <= 5; k++) {
      const r = await reply(a, x, at(hours(12) + minutes(k)));
      expect(r, `second round, reply ${k}`).toMatchObject({ decision: 'allow', reason: 'reply_window', rule: 'reply-window', retryAfterSeconds: null });
      expect(r.quota.daily).toEqual(capQuota);
    }
    const again = await reply(a, x, at(hours(12) + minutes(6)));
    expect(again).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: 22 * 3600 - 6 * 60 });

    // Y wrote at t0 and got no reply yet: the window is open until just before t0 + 24 h…
    const lastSecond = new Date(t0 + day - 1000);
    const inTime = await reply(a, y, lastSecond);
    expect(inTime).toMatchObject({ decision: 'allow', reason: 'reply_window', rule: 'reply-window', retryAfterSeconds: null });
    expect(inTime.quota.daily).toEqual(capQuota);
    // …and closed at 24 h: an out-of-window reply counts, so at the cap it is limited.
    const late = await reply(a, y, new Date(t0 + day));
    expect(late).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', sendId: null });
    expect(late.retryAfterSeconds).toBe(secondsBetween(new Date(t0 + day), fillFrom + day));
    expect(late.retryAfterSeconds).toBe(10 * 3600);
    expect(await storedSends(s, a, sql`and counted = 1`)).toBe(1000);
    expect(await storedSends(s, a, sql`and counted = 0`)).toBe(11);
  });

  it('below the cap: replies 1–5 are free, the 6th and an out-of-window reply count', async () => {
    const w = world(s);
    const c = 'rw-c';
    const x = 'rw-c-x';
    const y = 'rw-c-y';
    await w.follow(c, x);
    await w.follow(c, y);
    expect((await w.dm(x, c, at(0))).decision).toBe('allow');
    expect((await w.dm(y, c, at(0))).decision).toBe('allow');

    for (let k = 1; k <= 5; k++) {
      const r = await reply(c, x, at(minutes(k)));
      expect(r, `reply ${k}`).toMatchObject({ decision: 'allow', reason: 'reply_window', rule: 'reply-window', retryAfterSeconds: null });
      expect(r.quota.daily, `reply ${k}`).toEqual({ limit: 1000, used: 0, remaining: 1000, resetsAt: null });
    }
    const sixth = await reply(c, x, at(minutes(6)));
    expect(sixth).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(sixth.quota.daily).toEqual({ limit: 1000, used: 1, remaining: 999, resetsAt: iso(t0 + minutes(6) + day) });
    const seventh = await reply(c, x, at(minutes(7)));
    expect(seventh).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });
    expect(seventh.quota.daily).toEqual({ limit: 1000, used: 2, remaining: 998, resetsAt: iso(t0 + minutes(6) + day) });

    // A new message from X: the allowance is back, and free again.
    expect((await w.dm(x, c, at(minutes(30)))).decision).toBe('allow');
    const fresh = await reply(c, x, at(minutes(31)));
    expect(fresh).toMatchObject({ decision: 'allow', reason: 'reply_window', rule: 'reply-window' });
    expect(fresh.quota.daily.used).toBe(2);

    // Y's message is 24 h old: a reply is allowed (follow-gate lifted by the prior conversation) but counts.
    const late = await reply(c, y, new Date(t0 + day));
    expect(late).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(late.quota.daily).toEqual({ limit: 1000, used: 3, remaining: 997, resetsAt: iso(t0 + minutes(6) + day) });
    expect(await storedSends(s, c, sql`and counted = 1`)).toBe(3);
    expect(await storedSends(s, c, sql`and counted = 0`)).toBe(6);
  });

  // Issue 10: replies in the same millisecond as the message they answer come after it, one after another.
  it('same millisecond: a message from X, then seven replies to X — five are free, the sixth and seventh count', async () => {
    const w = world(s);
    const d = 'rw-d';
    const x = 'rw-d-x';
    await w.follow(d, x);
    const now = at(hours(2));
    expect((await w.dm(x, d, now)).decision).toBe('allow');
    const replies = [];
    for (let k = 1; k <= 7; k++) replies.push(await reply(d, x, now));
    expect(replies.map((r) => [r.decision, r.reason, r.quota.daily.used])).toEqual([
      ['allow', 'reply_window', 0], ['allow', 'reply_window', 0], ['allow', 'reply_window', 0], ['allow', 'reply_window', 0], ['allow', 'reply_window', 0],
      ['allow', 'allowed', 1], ['allow', 'allowed', 2],
    ]);
    expect(await storedSends(s, d, sql`and counted = 0`)).toBe(5);
    expect(await storedSends(s, d, sql`and counted = 1`)).toBe(2);
  });
});

describe.each([
  ['as the log indexer folded them', false],
  ['from the log itself, as if the indexer had not folded them (a crash)', true],
])('R11 reply window, x-api-v2: same millisecond, rebuilt after a restart on the same database, %s', (_, unfold) => {
  let dir: string;
  let s: TestService;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'dm-policy-r11-restart-')); });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const reply = (from: string, to: string, now: Date) => send(s, { senderId: from, recipientIds: [to], text: uniqueText('reply') }, now);
  const outcome = (r: any) => [r.decision, r.reason, r.quota.daily.used];

  it('three replies before the restart, four after, all in the message\'s millisecond: five free, two counted', async () => {
    const databaseUrl = `file:${join(dir, 'test.db')}`;
    const [e, x] = ['rw-e', 'rw-e-x'];
    const now = at(hours(3));
    s = await startTestService({ preset: 'x-api-v2', databaseUrl });
    await world(s).follow(e, x);
    expect((await world(s).dm(x, e, now)).decision).toBe('allow');
    const before = [];
    for (let k = 1; k <= 3; k++) before.push(outcome(await reply(e, x, now)));
    expect(before).toEqual([['allow', 'reply_window', 0], ['allow', 'reply_window', 0], ['allow', 'reply_window', 0]]);
    await s.close();
    if (unfold) await unfoldPairHistory(databaseUrl);

    s = await startTestService({ preset: 'x-api-v2', databaseUrl });
    const after = [];
    for (let k = 4; k <= 7; k++) after.push(outcome(await reply(e, x, now)));
    expect(after).toEqual([['allow', 'reply_window', 0], ['allow', 'reply_window', 0], ['allow', 'allowed', 1], ['allow', 'allowed', 2]]);
    expect(await storedSends(s, e, sql`and counted = 0`)).toBe(5);
    expect(await storedSends(s, e, sql`and counted = 1`)).toBe(2);
    // A new message from X, still in that millisecond, resets the allowance.
    expect((await world(s).dm(x, e, now)).decision).toBe('allow');
    expect(outcome(await reply(e, x, now))).toEqual(['allow', 'reply_window', 2]);
  });
});

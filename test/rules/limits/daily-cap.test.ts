/**
 * R10, seeds 000 / 001 / 004: "There is an account limit of 500 Direct Messages sent per day. Once you
 * reach this limit, you can't send any more Direct Messages for the day." (x-2023: 500, calendar day;
 * twitter-2016: 1,000, calendar day; x-api-v2: 1000 per rolling 24 h.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, hours, minutes, t0 } from '../../support/world.ts';
import { followedBy, ids, inFlight, secondsBetween, send, seconds, storedSends, uniqueText } from './helpers.ts';
import { sql } from 'drizzle-orm';

/** Hundreds of real HTTP sends: more than the default 30 s on a busy machine. */
const heavy = { timeout: 180_000 };

const day = hours(24);
const nextMidnight = Date.parse('2026-03-03T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** `n` direct sends from `sender` to `recipients[i]` at `when(i)`, in parallel batches of 50. */
const sendMany = (s: TestService, sender: string, recipients: string[], when: (i: number) => Date) =>
  inFlight(recipients, 32, (to, i) => send(s, { senderId: sender, recipientIds: [to], text: uniqueText() }, when(i)));

describe('R10 daily cap, x-2023 (500 per UTC calendar day)', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('the 500th send is allowed, the 501st is limited until the next UTC midnight, then sends again', heavy, async () => {
    const sender = 'dc23-a';
    const recipients = ids('dc23-a-r', 503);
    await followedBy(s, sender, recipients);

    const first = await send(s, { senderId: sender, recipientIds: [recipients[0]], text: uniqueText() }, at(0));
    expect(first).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(first.quota.daily).toEqual({ limit: 500, used: 1, remaining: 499, resetsAt: iso(nextMidnight) });

    const middle = await sendMany(s, sender, recipients.slice(1, 499), (i) => at(seconds(1 + i)));
    expect(middle.every((b) => b.decision === 'allow')).toBe(true);
    expect(middle.map((b) => b.quota.daily.used).sort((a, b) => a - b)).toEqual(Array.from({ length: 498 }, (_, i) => i + 2));

    const t500 = at(minutes(20));
    const fiveHundredth = await send(s, { senderId: sender, recipientIds: [recipients[499]], text: uniqueText() }, t500);
    expect(fiveHundredth).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(fiveHundredth.quota.daily).toEqual({ limit: 500, used: 500, remaining: 0, resetsAt: iso(nextMidnight) });

    const t501 = at(minutes(30) + 250);
    const over = await send(s, { senderId: sender, recipientIds: [recipients[500]], text: uniqueText() }, t501);
    expect(over).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', sendId: null });
    // 10:30:00.250 → midnight: 13 h 29 min 59.75 s, rounded up.
    expect(over.retryAfterSeconds).toBe(secondsBetween(t501, nextMidnight));
    expect(over.retryAfterSeconds).toBe(48_600);
    expect(over.quota.daily).toEqual({ limit: 500, used: 500, remaining: 0, resetsAt: iso(nextMidnight) });
    expect(over.recipients).toEqual([{ id: recipients[500], decision: 'limit', reason: 'daily_limit', rule: 'daily-cap' }]);

    const lastSecond = new Date(nextMidnight - 1000);
    const stillOver = await send(s, { senderId: sender, recipientIds: [recipients[500]], text: uniqueText() }, lastSecond);
    expect(stillOver).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: 1 });

    const afterMidnight = await send(s, { senderId: sender, recipientIds: [recipients[501]], text: uniqueText() }, new Date(nextMidnight));
    expect(afterMidnight).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(afterMidnight.quota.daily).toEqual({ limit: 500, used: 1, remaining: 499, resetsAt: iso(nextMidnight + day) });
    expect(await storedSends(s, sender, sql`and counted = 1`)).toBe(501);
  });

  it('message requests count toward the cap too', heavy, async () => {
    const sender = 'dc23-b';
    const followers = ids('dc23-b-f', 250);
    const strangers = ids('dc23-b-x', 252);
    await followedBy(s, sender, followers);

    const allowed = await sendMany(s, sender, followers, (i) => at(seconds(i)));
    expect(allowed.every((b) => b.decision === 'allow')).toBe(true);
    const requests = await sendMany(s, sender, strangers.slice(0, 250), (i) => at(seconds(300 + i)));
    expect(requests.every((b) => b.decision === 'request' && b.reason === 'message_request' && b.rule === 'inbox-setting')).toBe(true);
    expect(Math.max(...requests.map((b) => b.quota.daily.used))).toBe(500);

    const now = at(hours(1));
    // A request that the inbox would deliver to message requests is limited like any send.
    const over = await send(s, { senderId: sender, recipientIds: [strangers[250]], text: uniqueText() }, now);
    expect(over).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: secondsBetween(now, nextMidnight) });
    expect(over.retryAfterSeconds).toBe(13 * 3600);
    expect(over.quota.daily).toEqual({ limit: 500, used: 500, remaining: 0, resetsAt: iso(nextMidnight) });
    const overFollower = await send(s, { senderId: sender, recipientIds: [followers[0]], text: uniqueText() }, now);
    expect(overFollower).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: 13 * 3600 });
  });
});

describe('R10 daily cap, twitter-2016 (1,000 per UTC calendar day)', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'twitter-2016' }); });
  afterAll(async () => { await s.close(); });

  it('the 1000th send is allowed, the 1001st is limited until the next UTC midnight', heavy, async () => {
    const sender = 'dc16-a';
    const recipients = ids('dc16-a-r', 1002);
    await followedBy(s, sender, recipients);

    const sent = await sendMany(s, sender, recipients.slice(0, 999), (i) => at(seconds(i)));
    expect(sent.every((b) => b.decision === 'allow')).toBe(true);

    const t1000 = at(hours(2));
    const thousandth = await send(s, { senderId: sender, recipientIds: [recipients[999]], text: uniqueText() }, t1000);
    expect(thousandth).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(thousandth.quota.daily).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(nextMidnight) });

    const t1001 = at(hours(3) + seconds(17));
    const over = await send(s, { senderId: sender, recipientIds: [recipients[1000]], text: uniqueText() }, t1001);
    expect(over).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', sendId: null });
    expect(over.retryAfterSeconds).toBe(secondsBetween(t1001, nextMidnight));
    expect(over.retryAfterSeconds).toBe(11 * 3600 - 17);
    expect(over.quota.daily).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(nextMidnight) });

    const tomorrow = await send(s, { senderId: sender, recipientIds: [recipients[1000]], text: uniqueText() }, new Date(nextMidnight + minutes(1)));
    expect(tomorrow).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(tomorrow.quota.daily).toEqual({ limit: 1000, used: 1, remaining: 999, resetsAt: iso(nextMidnight + day) });
  });
});

describe('R10 daily cap, x-api-v2 (1000 per rolling 24 h)', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2' }); });
  afterAll(async () => { await s.close(); });

  it('1000 sends spread over time; the 1001st waits until the oldest counted send is 24 h old', heavy, async () => {
    const sender = 'dcv2-a';
    const recipients = ids('dcv2-a-r', 1004);
    await followedBy(s, sender, recipients);

    // Send i at t0 + 1 min × i (the last at 16 h 39 min), in parallel batches.
    const first = await send(s, { senderId: sender, recipientIds: [recipients[0]], text: uniqueText() }, at(0));
    expect(first).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(first.quota.daily).toEqual({ limit: 1000, used: 1, remaining: 999, resetsAt: iso(t0 + day) });
    const rest = await sendMany(s, sender, recipients.slice(1, 1000), (i) => at(minutes(i + 1)));
    expect(rest.every((b) => b.decision === 'allow' && b.reason === 'allowed')).toBe(true);
    expect(Math.max(...rest.map((b) => b.quota.daily.used))).toBe(1000);

    const t1001 = at(hours(20) + 400);
    const over = await send(s, { senderId: sender, recipientIds: [recipients[1000]], text: uniqueText() }, t1001);
    expect(over).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', sendId: null });
    // The oldest counted send (t0) is 24 h old at t0 + 24 h: 3 h 59 min 59.6 s away, rounded up.
    expect(over.retryAfterSeconds).toBe(secondsBetween(t1001, t0 + day));
    expect(over.retryAfterSeconds).toBe(4 * 3600);
    expect(over.quota.daily).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(t0 + day) });

    const early = await send(s, { senderId: sender, recipientIds: [recipients[1000]], text: uniqueText() }, new Date(t0 + day - 1000));
    expect(early).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: 1 });

    const onTime = await send(s, { senderId: sender, recipientIds: [recipients[1000]], text: uniqueText() }, new Date(t0 + day));
    expect(onTime).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    // The window now holds sends 1 … 999 and this one: full again, oldest at t0 + 1 min.
    expect(onTime.quota.daily).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(t0 + minutes(1) + day) });

    const next = await send(s, { senderId: sender, recipientIds: [recipients[1001]], text: uniqueText() }, new Date(t0 + day + seconds(20)));
    expect(next).toMatchObject({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: 40 });

    const afterSecond = await send(s, { senderId: sender, recipientIds: [recipients[1001]], text: uniqueText() }, new Date(t0 + minutes(1) + day));
    expect(afterSecond).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(afterSecond.quota.daily).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(t0 + minutes(2) + day) });
    expect(await storedSends(s, sender, sql`and counted = 1`)).toBe(1002);
  });
});

/**
 * R12, seed 003: "There is a user rate limit of 200 requests per 15 minutes for the POST method. There
 * is also a rate limit of 1000 requests per 24 hours per user. Additionally, there is a rate limit of
 * 15000 requests per 24 hours. Note that these rate limits are shared across these POST endpoints."
 * (The per-app 15 000 is in api-app-rate-limit.test.ts: 15 000 real requests.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, hours, minutes, t0, type SendInput } from '../../support/world.ts';
import { followedBy, grantAll, ids, inFlight, post, secondsBetween, send, seconds, tally, uniqueText } from './helpers.ts';

/** Hundreds of real HTTP sends: more than the default 30 s on a busy machine. */
const heavy = { timeout: 180_000 };

const day = hours(24);
const window15m = minutes(15);

describe('R12 API rate limits, x-api-v2', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2' }); });
  afterAll(async () => { await s.close(); });

  /** An API direct send through `app` (granted unless told otherwise). */
  const api = (senderId: string, to: string, now: Date, extra: Partial<SendInput> = {}) =>
    send(s, { senderId, recipientIds: [to], text: uniqueText('api'), channel: 'api', appId: 'app-main', ...extra }, now);

  const apiRequests = async (where: ReturnType<typeof sql>) =>
    Number((await s.service.store.db.get<{ n: number }>(sql`select count(*) as n from decision_log where api_request = 1 and ${where}`))!.n);

  it('a dry run reports the windows the enforced send then reports, with the simulated clock set back too', async () => {
    const u = 'api-dry';
    const to = ids('api-dry-r', 3);
    await followedBy(s, u, to);
    await grantAll(s, [u], 'app-dry');
    const viaApp = { appId: 'app-dry' };
    for (const [i, r] of to.entries()) expect((await api(u, r, at(minutes(10 + i)), viaApp)).decision).toBe('allow');
    const iso = (ms: number) => new Date(t0 + ms).toISOString();
    const windows = (used: number, oldest: number) => ({
      apiUser15m: { limit: 200, used, remaining: 200 - used, resetsAt: iso(oldest + window15m) },
      apiUser24h: { limit: 1000, used, remaining: 1000 - used, resetsAt: iso(oldest + day) },
      apiApp24h: { limit: 15000, used, remaining: 15000 - used, resetsAt: iso(oldest + day) },
    });
    // At 5 min, before the three requests recorded at 10–12 min: this one becomes the oldest of four.
    const input = { senderId: u, recipientIds: [to[0]], text: 'same text', channel: 'api' as const, appId: 'app-dry' };
    const checked = (await post(s, input, at(minutes(5)), '/v1/sends/check')).body;
    const enforced = (await post(s, input, at(minutes(5)))).body;
    expect(checked.quota).toMatchObject(windows(4, minutes(5)));
    expect(enforced.quota).toEqual(checked.quota);
    // At 13 min, the fifth: the oldest is still the one at 5 min.
    const later = { ...input, text: 'another text' };
    const checkedLater = (await post(s, later, at(minutes(13)), '/v1/sends/check')).body;
    expect(checkedLater.quota).toMatchObject(windows(5, minutes(5)));
    expect((await post(s, later, at(minutes(13)))).body.quota).toEqual(checkedLater.quota);
  });

  it('200 requests in 15 minutes are admitted; the 201st is limited until the oldest is 15 minutes old', async () => {
    const u = 'api15-a';
    const to = ids('api15-a-r', 200);
    await followedBy(s, u, to);
    await grantAll(s, [u], 'app-main');

    // Request i at t0 + 3 s × i: the 200th at 9 min 57 s.
    const first = await api(u, to[0], at(0));
    expect(first).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    const rest = await inFlight(to.slice(1), 32, (r, i) => api(u, r, at(seconds(3 * (i + 1)))));
    expect(tally(rest)).toEqual({ allow: 199 });

    const now = at(minutes(10) + 500);
    const over = await api(u, to[0], now);
    expect(over).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m', sendId: null });
    // The oldest (t0) leaves the window at t0 + 15 min: 4 min 59.5 s, rounded up.
    expect(over.retryAfterSeconds).toBe(secondsBetween(now, t0 + window15m));
    expect(over.retryAfterSeconds).toBe(300);
    expect(over.recipients).toEqual([{ id: to[0], decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m' }]);
    // The R12 windows after the decision: the refused request is not counted; the 15-minute window
    // reopens when the oldest request leaves it, the 24-hour ones when it leaves them.
    expect(over.quota).toEqual({
      daily: { limit: 1000, used: 200, remaining: 800, resetsAt: new Date(t0 + day).toISOString() },
      apiUser15m: { limit: 200, used: 200, remaining: 0, resetsAt: new Date(t0 + window15m).toISOString() },
      apiUser24h: { limit: 1000, used: 200, remaining: 800, resetsAt: new Date(t0 + day).toISOString() },
      apiApp24h: { limit: 15000, used: 200, remaining: 14800, resetsAt: new Date(t0 + day).toISOString() },
    });

    const early = await api(u, to[1], new Date(t0 + window15m - 1000));
    expect(early).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m', retryAfterSeconds: 1 });

    // Refusals by the rate limit itself are not counted: a retry when told succeeds.
    const onTime = await api(u, to[1], new Date(t0 + window15m));
    expect(onTime).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    // The window is full again; the next slot opens when the request made at t0 + 3 s leaves.
    const next = await api(u, to[2], new Date(t0 + window15m + 1000));
    expect(next).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m', retryAfterSeconds: 2 });
    expect(await apiRequests(sql`sender_id = ${u}`)).toBe(201);
  });

  it('requests refused by other rules still count toward the 200', async () => {
    const u = 'api15-d';
    const followers = ids('api15-d-f', 100);
    await followedBy(s, u, followers);
    await grantAll(s, [u], 'app-main');

    const notFollowing = await inFlight(ids('api15-d-x', 50), 32, (r) => api(u, r, at(0)));
    expect(notFollowing.every((b) => b.decision === 'deny' && b.reason === 'recipient_not_following' && b.rule === 'follow-gate')).toBe(true);
    const unauthorised = await inFlight(followers.slice(0, 50), 32, (r) => api(u, r, at(seconds(10)), { appId: 'app-not-granted' }));
    expect(unauthorised.every((b) => b.decision === 'deny' && b.reason === 'app_not_authorized' && b.rule === 'app-permission')).toBe(true);
    const allowed = await inFlight(followers, 32, (r) => api(u, r, at(seconds(20))));
    expect(tally(allowed)).toEqual({ allow: 100 });
    expect(allowed.map((b) => b.quota.daily.used).sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    const now = at(minutes(1));
    const over = await api(u, followers[0], now);
    expect(over).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m' });
    expect(over.retryAfterSeconds).toBe(secondsBetween(now, t0 + window15m));
    expect(over.retryAfterSeconds).toBe(14 * 60);
    // The denied requests at t0 leave first: from then on 50 slots are free.
    const then = await api(u, followers[1], new Date(t0 + window15m));
    expect(then).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });
  });

  it('an account never seen before: its first request counts at once, and its answer says so', async () => {
    const first = await api('api-first-ever', 'api-first-ever-r', at(0), { appId: 'app-never-granted' });
    expect(first).toMatchObject({ decision: 'deny', reason: 'app_not_authorized' });
    expect(first.quota).toMatchObject({ apiUser15m: { used: 1, remaining: 199 }, apiUser24h: { used: 1, remaining: 999 } });
  });

  it('the limits are shared by direct, group_create and group_message requests', async () => {
    const u = 'api15-g';
    const [f1, f2] = ['api15-g-f1', 'api15-g-f2'];
    await followedBy(s, u, [f1, f2]);
    await grantAll(s, [u], 'app-main');

    const created = await send(s, { senderId: u, recipientIds: [f1, f2], kind: 'group_create', text: uniqueText(), channel: 'api', appId: 'app-main' }, at(0));
    expect(created).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });
    const conversationId: string = created.conversationId;
    expect(conversationId).toEqual(expect.any(String));

    const groupMessages = await inFlight(Array.from({ length: 99 }), 32, () =>
      send(s, { senderId: u, kind: 'group_message', conversationId, text: uniqueText(), channel: 'api', appId: 'app-main' }, at(minutes(1))));
    expect(tally(groupMessages)).toEqual({ allow: 99 });
    const directs = await inFlight(Array.from({ length: 100 }, (_, i) => (i % 2 ? f1 : f2)), 32, (r) => api(u, r, at(minutes(2))));
    expect(tally(directs)).toEqual({ allow: 100 });

    const now = at(minutes(5));
    const expected = { decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m', retryAfterSeconds: 600 };
    expect(await api(u, f1, now)).toMatchObject(expected);
    expect(await send(s, { senderId: u, kind: 'group_message', conversationId, text: uniqueText(), channel: 'api', appId: 'app-main' }, now)).toMatchObject(expected);
    const create = await send(s, { senderId: u, recipientIds: [f1, f2], kind: 'group_create', text: uniqueText(), channel: 'api', appId: 'app-main' }, now);
    expect(create).toMatchObject({ ...expected, conversationId: null });
    expect(create.recipients).toEqual([
      { id: f1, decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m' },
      { id: f2, decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m' },
    ]);
  });

  it('sends on other channels are not API requests and do not count', heavy, async () => {
    const u = 'api15-n';
    const to = ids('api15-n-r', 450);
    await followedBy(s, u, to);
    await grantAll(s, [u], 'app-main');

    const web = await inFlight(to.slice(0, 150), 32, (r) => send(s, { senderId: u, recipientIds: [r], text: uniqueText() }, at(0)));
    expect(tally(web)).toEqual({ allow: 150 });
    const viaApp = await inFlight(to.slice(150, 250), 32, (r) => send(s, { senderId: u, recipientIds: [r], text: uniqueText(), channel: 'app', appId: 'app-main' }, at(0)));
    expect(tally(viaApp)).toEqual({ allow: 100 });
    expect(await apiRequests(sql`sender_id = ${u}`)).toBe(0);

    const viaApi = await inFlight(to.slice(250, 450), 32, (r) => api(u, r, at(minutes(1))));
    expect(tally(viaApi)).toEqual({ allow: 200 });
    const over = await api(u, to[0], at(minutes(2)));
    expect(over).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-15m', retryAfterSeconds: 14 * 60 });
    // The web is not rate limited by R12.
    const stillWeb = await send(s, { senderId: u, recipientIds: [to[0]], text: uniqueText() }, at(minutes(2)));
    expect(stillWeb).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });
    expect(stillWeb.quota.daily.used).toBe(451);
  });

  it('1000 requests per user per 24 h: the 1001st is limited until the oldest is 24 h old', heavy, async () => {
    const u = 'api24-u';
    const to = ids('api24-u-r', 1001);
    await followedBy(s, u, to);
    await grantAll(s, [u], 'app-main');

    // Request 0 at t0 is denied (not a follower) but counts; requests 1 … 999 every 6 s (150 per 15 min).
    const denied = await api(u, 'api24-u-stranger', at(0));
    expect(denied).toMatchObject({ decision: 'deny', reason: 'recipient_not_following', rule: 'follow-gate' });
    const rest = await inFlight(to.slice(1, 1000), 32, (r, i) => api(u, r, at(seconds(6 * (i + 1)))));
    expect(tally(rest)).toEqual({ allow: 999 });

    const now = at(hours(3) + 250);
    const over = await api(u, to[0], now);
    expect(over).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-24h', sendId: null });
    expect(over.retryAfterSeconds).toBe(secondsBetween(now, t0 + day));
    expect(over.retryAfterSeconds).toBe(21 * 3600);
    // 999 counted sends: the daily cap (1000) is not what refused it.
    expect(over.quota.daily).toMatchObject({ limit: 1000, used: 999, remaining: 1 });

    const early = await api(u, to[0], new Date(t0 + day - 1000));
    expect(early).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-user-24h', retryAfterSeconds: 1 });
    const onTime = await api(u, to[0], new Date(t0 + day));
    expect(onTime).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(await apiRequests(sql`sender_id = ${u}`)).toBe(1001);
  });
});

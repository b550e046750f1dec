/**
 * R12, seed 003: "Additionally, there is a rate limit of 15000 requests per 24 hours. Note that these
 * rate limits are shared across these POST endpoints." — per app, all its users together (x-api-v2).
 * Kept apart from api-rate-limits.test.ts because it makes 15 000 real HTTP requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, hours, t0 } from '../../support/world.ts';
import { followedBy, grantAll, ids, inFlight, secondsBetween, send, seconds, tally, uniqueText } from './helpers.ts';

const day = hours(24);

describe('R12 API rate limit per app, x-api-v2', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2' }); });
  afterAll(async () => { await s.close(); });

  const apiRequests = async (where: ReturnType<typeof sql>) =>
    Number((await s.service.store.db.get<{ n: number }>(sql`select count(*) as n from decision_log where api_request = 1 and ${where}`))!.n);

  it('15 000 requests per app per 24 h across its users: the 15 001st is limited until the oldest is 24 h old', { timeout: 600_000 }, async () => {
    const app = 'app-big';
    const users = ids('apiapp-u', 76);
    await grantAll(s, users, app);
    await grantAll(s, ['apiapp-other'], 'app-small');
    await followedBy(s, users[75], ['apiapp-f']);
    await followedBy(s, 'apiapp-other', ['apiapp-f']);

    // 75 users × 200 requests (each user's at t0 + k s: 200 per 15 min is its own limit), all to an
    // account that doesn't follow them: denied, but every one is an API request of the app.
    const bodies = await inFlight(Array.from({ length: 15_000 }, (_, i) => Math.floor(i / 200)), 32, (k) =>
      send(s, { senderId: users[k], recipientIds: ['apiapp-nobody'], text: 'x', channel: 'api', appId: app }, at(seconds(k))));
    expect(tally(bodies)).toEqual({ deny: 15_000 });
    expect(bodies.every((b) => b.reason === 'recipient_not_following' && b.rule === 'follow-gate')).toBe(true);
    expect(await apiRequests(sql`app_id = ${app}`)).toBe(15_000);

    const now = at(hours(1));
    const over = await send(s, { senderId: users[75], recipientIds: ['apiapp-f'], text: uniqueText(), channel: 'api', appId: app }, now);
    expect(over).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-app-24h', sendId: null });
    expect(over.retryAfterSeconds).toBe(secondsBetween(now, t0 + day));
    expect(over.retryAfterSeconds).toBe(23 * 3600);

    // Another app is not affected.
    const otherApp = await send(s, { senderId: 'apiapp-other', recipientIds: ['apiapp-f'], text: uniqueText(), channel: 'api', appId: 'app-small' }, now);
    expect(otherApp).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });

    const early = await send(s, { senderId: users[75], recipientIds: ['apiapp-f'], text: uniqueText(), channel: 'api', appId: app }, new Date(t0 + day - 1000));
    expect(early).toMatchObject({ decision: 'limit', reason: 'api_rate_limit', rule: 'api-app-24h', retryAfterSeconds: 1 });
    // At t0 + 24 h the first user's 200 requests leave the window.
    const onTime = await send(s, { senderId: users[75], recipientIds: ['apiapp-f'], text: uniqueText(), channel: 'api', appId: app }, new Date(t0 + day));
    expect(onTime).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
  });
});

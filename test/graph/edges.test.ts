/** PUT/DELETE of the graph's edges: each lands in (or leaves) its table, idempotently; self-edges are refused. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { acceptedRequests, appGrants, blocks, follows, reports, welcomeMessages } from '../../db/schema.ts';
import { startTestService, type TestService } from '../support/service.ts';

let service: TestService;
const db = () => service.service.store.db;
const t0 = '2026-03-02T10:00:00.000Z';
const t1 = '2026-03-03T08:30:00.000Z';

beforeAll(async () => { service = await startTestService(); });
afterAll(() => service.close());

const ok = async (method: string, path: string, now = t0) => {
  const res = await service.call(method, path, { now });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};

const followRows = (from: string, to: string) => db().select().from(follows).where(and(eq(follows.followerId, from), eq(follows.followeeId, to)));
const blockRows = (from: string, to: string) => db().select().from(blocks).where(and(eq(blocks.blockerId, from), eq(blocks.blockedId, to)));
const grantRows = (account: string, app: string) => db().select().from(appGrants).where(and(eq(appGrants.accountId, account), eq(appGrants.appId, app)));

describe('following', () => {
  it('u1 follows u2, recorded at the request time', async () => {
    expect(await ok('PUT', '/v1/accounts/u1/following/u2')).toEqual({ follower: 'u1', followee: 'u2', following: true });
    expect(await followRows('u1', 'u2')).toEqual([{ followerId: 'u1', followeeId: 'u2', createdAt: Date.parse(t0) }]);
    expect(await followRows('u2', 'u1')).toEqual([]);
  });

  it('following again is idempotent and keeps the first time', async () => {
    await ok('PUT', '/v1/accounts/u1/following/u2', t1);
    expect(await followRows('u1', 'u2')).toEqual([{ followerId: 'u1', followeeId: 'u2', createdAt: Date.parse(t0) }]);
  });

  it('unfollow removes the edge, and unfollowing again is fine', async () => {
    expect(await ok('DELETE', '/v1/accounts/u1/following/u2')).toEqual({ follower: 'u1', followee: 'u2', following: false });
    expect(await followRows('u1', 'u2')).toEqual([]);
    await ok('DELETE', '/v1/accounts/u1/following/u2');
  });
});

describe('blocks', () => {
  it('block and unblock', async () => {
    expect(await ok('PUT', '/v1/accounts/u1/blocks/u3')).toEqual({ blocker: 'u1', blocked: 'u3', blocking: true });
    expect(await blockRows('u1', 'u3')).toHaveLength(1);
    expect(await ok('DELETE', '/v1/accounts/u1/blocks/u3')).toEqual({ blocker: 'u1', blocked: 'u3', blocking: false });
    expect(await blockRows('u1', 'u3')).toEqual([]);
    await ok('DELETE', '/v1/accounts/u1/blocks/u3');
  });
});

describe('reports', () => {
  it('a report is recorded, and reporting again moves it to the latest time and the next place in the recorded order', async () => {
    expect(await ok('PUT', '/v1/accounts/u4/reports/u5')).toEqual({ reporter: 'u4', reported: 'u5', reportedAt: t0 });
    const [first] = await db().select().from(reports).where(eq(reports.reporterId, 'u4'));
    await ok('PUT', '/v1/accounts/u4/reports/u5', t1);
    expect(await db().select().from(reports).where(eq(reports.reporterId, 'u4')))
      .toEqual([{ reporterId: 'u4', reportedId: 'u5', reportedAt: Date.parse(t1), seq: first.seq + 1 }]);
  });
});

describe('accepted requests', () => {
  it("u2 accepts u1's message request", async () => {
    expect(await ok('PUT', '/v1/accounts/u2/accepted/u1')).toEqual({ recipient: 'u2', sender: 'u1', accepted: true });
    await ok('PUT', '/v1/accounts/u2/accepted/u1');
    expect(await db().select().from(acceptedRequests).where(eq(acceptedRequests.recipientId, 'u2')))
      .toEqual([{ recipientId: 'u2', senderId: 'u1', createdAt: Date.parse(t0) }]);
  });
});

describe('welcome messages', () => {
  it("u6 was shown biz1's welcome message", async () => {
    expect(await ok('PUT', '/v1/accounts/u6/welcome-shown/biz1')).toEqual({ account: 'u6', business: 'biz1', welcomeShown: true });
    expect(await db().select().from(welcomeMessages).where(eq(welcomeMessages.accountId, 'u6')))
      .toEqual([{ accountId: 'u6', businessId: 'biz1', createdAt: Date.parse(t0) }]);
  });
});

describe('app grants', () => {
  it('grant and revoke', async () => {
    expect(await ok('PUT', '/v1/accounts/u7/app-grants/app7')).toEqual({ account: 'u7', app: 'app7', granted: true });
    expect(await grantRows('u7', 'app7')).toHaveLength(1);
    expect(await ok('DELETE', '/v1/accounts/u7/app-grants/app7')).toEqual({ account: 'u7', app: 'app7', granted: false });
    expect(await grantRows('u7', 'app7')).toEqual([]);
    await ok('DELETE', '/v1/accounts/u7/app-grants/app7');
  });
});

describe('refusals', () => {
  const refused = async (method: string, path: string, errorPath: string) => {
    const res = await service.call(method, path);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.path).toBe(errorPath);
  };

  it('an edge from an account to itself is refused', async () => {
    for (const segment of ['following', 'blocks', 'reports', 'accepted']) await refused('PUT', `/v1/accounts/u1/${segment}/u1`, 'params.otherId');
    await refused('DELETE', '/v1/accounts/u1/following/u1', 'params.otherId');
    await refused('PUT', '/v1/accounts/u1/welcome-shown/u1', 'params.businessId');
    expect(await followRows('u1', 'u1')).toEqual([]);
    expect(await blockRows('u1', 'u1')).toEqual([]);
  });

  it('bad ids are refused with the parameter they are in', async () => {
    await refused('PUT', '/v1/accounts/u%201/following/u2', 'params.id');
    await refused('PUT', '/v1/accounts/u1/following/u%202', 'params.otherId');
    await refused('PUT', '/v1/accounts/u1/app-grants/app%247', 'params.appId');
    await refused('PUT', `/v1/accounts/u1/welcome-shown/${'b'.repeat(129)}`, 'params.businessId');
  });

  it('reports, accepted requests and welcome messages cannot be deleted', async () => {
    for (const path of ['/v1/accounts/u4/reports/u5', '/v1/accounts/u2/accepted/u1', '/v1/accounts/u6/welcome-shown/biz1']) {
      expect((await service.call('DELETE', path)).status).toBe(404);
    }
  });
});

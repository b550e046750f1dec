// DESIGN §6: "simulator (compose a send between real or hypothetical accounts, pick the version — a draft beside the
// active one — see the decision, quota, retry-after and the trace…)". POST /v1/simulations decides by the version asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { at, minutes, world } from '../support/world.ts';

describe('simulations by a chosen version', () => {
  let s: TestService;
  let w: ReturnType<typeof world>;
  const simulate = (version: string, send: Record<string, unknown>, now = at(minutes(10))) =>
    s.call('POST', '/v1/simulations', { body: { version, send }, now });

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    w = world(s);
    // A draft of x-2023 whose daily cap is 2; sim-alice has sent 2 counted messages today.
    expect((await s.call('POST', '/v1/policies/dm/versions', { body: { from: 'x-2023', version: 'tight-cap' } })).status).toBe(201);
    expect((await s.call('PATCH', '/v1/policies/dm/versions/tight-cap', { body: { parameters: { dailyLimit: 2 } } })).status).toBe(200);
    for (const r of ['sim-bob', 'sim-carol', 'sim-dave']) await w.follow(r, 'sim-alice');
    for (const r of ['sim-bob', 'sim-carol']) expect((await w.dm('sim-alice', r, at(minutes(1)))).decision).toBe('allow');
  });
  afterAll(async () => { await s.close(); });

  it('decides by the active version and by a draft, each with its own quota, recording nothing', async () => {
    const send = { senderId: 'sim-alice', recipientIds: ['sim-dave'], text: 'hi', trace: true };
    const active = await simulate('x-2023', send);
    expect(active.status, JSON.stringify(active.body)).toBe(200);
    expect(active.body).toMatchObject({
      decision: 'allow', reason: 'allowed', rule: null, policy: { name: 'dm', version: 'x-2023', arm: null }, retryAfterSeconds: null,
      quota: { daily: { limit: 500, used: 3, remaining: 497 } }, sendId: null,
    });
    const draft = await simulate('tight-cap', send);
    expect(draft.body).toMatchObject({
      decision: 'limit', reason: 'daily_limit', rule: 'daily-cap', policy: { version: 'tight-cap' },
      quota: { daily: { limit: 2, used: 2, remaining: 0, resetsAt: '2026-03-03T00:00:00.000Z' } },
    });
    // 10:10 to the next UTC midnight.
    expect(draft.body.retryAfterSeconds).toBe((14 * 60 - 10) * 60);
    expect(draft.body.trace[0].facts.params.dailyLimit).toBe(2);
    const logged = await s.call('GET', '/v1/decisions?sender=sim-alice');
    expect(logged.body.items).toHaveLength(2);
  });

  it('lets inline facts win over the store, as /v1/sends/check does', async () => {
    const res = await simulate('x-2023', { senderId: 'sim-alice', recipientIds: ['sim-dave'], text: 'hi', facts: { relation: { blocked: true } } });
    expect(res.body).toMatchObject({ decision: 'deny', reason: 'blocked', rule: 'block' });
  });

  it('refuses an unknown version (404) and a malformed send with the path of the field', async () => {
    const unknown = await simulate('no-such-version', { senderId: 'a', recipientIds: ['b'] });
    expect([unknown.status, unknown.body.error.code, unknown.body.error.path]).toEqual([404, 'unknown_version', 'body.version']);
    const bad = await simulate('x-2023', { senderId: 'a', recipientIds: ['b'], facts: { quota: { dailyUsed: -3 } } });
    expect([bad.status, bad.body.error.path]).toEqual([400, 'body.send.facts.quota.dailyUsed']);
    const missing = await s.call('POST', '/v1/simulations', { body: { send: { senderId: 'a', recipientIds: ['b'] } } });
    expect([missing.status, missing.body.error.path]).toEqual([400, 'body.version']);
  });

  it('needs an operator or an admin token: a service token that only decides is refused', async () => {
    const created = await s.call('POST', '/v1/tokens', { body: { name: 'backend', scopes: ['decide'] } });
    const res = await s.call('POST', '/v1/simulations', { token: created.body.secret, body: { version: 'x-2023', send: { senderId: 'a', recipientIds: ['b'] } } });
    expect(res.status).toBe(403);
  });
});

// Issue 3 §8: "Operators can grant a per-account exemption from a rule with an expiry and a reason,
// and inspect and reset an account's counters, both audited."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours, minutes, world } from '../support/world.ts';

describe('account controls (x-2023: 500 a day)', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  /** Fills the sender's daily cap with 500 allowed sends to followers. */
  async function fillDailyCap(sender: string) {
    const w = world(s);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 50 }, async (_, i) => {
        const r = await w.dm(sender, `${sender}-r${batch * 50 + i}`, at(minutes(1)), { text: `note ${batch}-${i}` });
        expect(r.decision).not.toBe('limit');
      }));
    }
    expect((await w.dm(sender, `${sender}-extra`, at(minutes(2)))).reason).toBe('daily_limit');
  }

  it('exempts an account from the daily cap until the exemption expires, and audits it', async () => {
    const w = world(s);
    await fillDailyCap('bizco');
    const granted = await s.call('POST', '/v1/accounts/bizco/exemptions', {
      body: { rule: 'daily-cap', expiresAt: at(hours(1)).toISOString(), reason: 'launch campaign, ticket T-1' }, now: at(minutes(3)),
    });
    expect(granted.status).toBe(201);
    const exempted = await w.dm('bizco', 'bizco-extra', at(minutes(4)), { trace: true });
    expect(exempted.decision).toBe('request');
    const capRule = exempted.trace[0].rules.find((r: any) => r.rule === 'daily-cap');
    expect(capRule).toMatchObject({ matched: true, exempt: true });
    // The decision log keeps the exemption, so re-explaining reproduces the exempted decision.
    const logged = await s.call('GET', `/v1/decisions?sender=bizco&limit=1`);
    const explained = await s.call('GET', `/v1/decisions/${logged.body.items[0].id}/explain`);
    expect(explained.body).toMatchObject({ reproduced: true, explained: { decision: 'request' } });
    // Expired: the cap decides again.
    expect((await w.dm('bizco', 'bizco-extra', at(hours(1) + minutes(1)))).reason).toBe('daily_limit');

    const audit = await s.service.store.db.all<{ action: string; actor: string; reason: string }>(sql`select action, actor, reason from audit_log where subject = 'bizco'`);
    expect(audit).toContainEqual({ action: 'exemption.grant', actor: 'token:bootstrap', reason: 'launch campaign, ticket T-1' });
  });

  it('revokes an exemption', async () => {
    const w = world(s);
    await fillDailyCap('revokee');
    const granted = await s.call('POST', '/v1/accounts/revokee/exemptions', { body: { rule: 'daily-cap', expiresAt: at(hours(5)).toISOString(), reason: 'r' }, now: at(minutes(3)) });
    const revoked = await s.call('DELETE', `/v1/accounts/revokee/exemptions/${granted.body.id}`, { now: at(minutes(4)) });
    expect(revoked.status).toBe(200);
    expect((await w.dm('revokee', 'x', at(minutes(5)))).reason).toBe('daily_limit');
    expect((await s.call('DELETE', `/v1/accounts/revokee/exemptions/${granted.body.id}`)).status).toBe(404);
  });

  it('refuses an unknown rule, a past expiry and a missing reason, naming the path', async () => {
    const post = (body: unknown) => s.call('POST', '/v1/accounts/u1/exemptions', { body, now: at(0) });
    expect((await post({ rule: 'no-such-rule', expiresAt: at(hours(1)).toISOString(), reason: 'r' })).body.error.path).toBe('body.rule');
    expect((await post({ rule: 'daily-cap', expiresAt: at(-1).toISOString(), reason: 'r' })).body.error.path).toBe('body.expiresAt');
    expect((await post({ rule: 'daily-cap', expiresAt: at(hours(1)).toISOString() })).body.error.path).toBe('body.reason');
  });

  it('shows the counters and resets them so the sender can send again, audited', async () => {
    const w = world(s);
    await fillDailyCap('resetme');
    const before = await s.call('GET', '/v1/accounts/resetme/counters', { now: at(minutes(3)) });
    expect(before.body.daily).toEqual({ window: 'calendar-day', used: 500, limit: 500 });
    const reset = await s.call('POST', '/v1/accounts/resetme/counters/reset', { body: { reason: 'false positive' }, now: at(minutes(3)) });
    expect(reset.status).toBe(200);
    expect(reset.body.sendsUncounted).toBe(500);
    const after = await s.call('GET', '/v1/accounts/resetme/counters', { now: at(minutes(4)) });
    expect(after.body.daily.used).toBe(0);
    const again = await w.dm('resetme', 'resetme-r0', at(minutes(5)));
    expect(again.decision).toBe('request');
    expect(again.quota.daily.used).toBe(1);
    const audit = await s.service.store.db.all<{ action: string }>(sql`select action from audit_log where subject = 'resetme'`);
    expect(audit.map((a) => a.action)).toContain('counters.reset');
  });

  it('says whether the service ever saw the account: stored, or decided on as sender or recipient', async () => {
    const w = world(s);
    const seen = async (id: string) => (await s.call('GET', `/v1/accounts/${id}/counters`, { now: at(hours(2)) })).body.seen;
    expect(await seen('never-seen-anywhere')).toEqual({ stored: false, lastDecisionAt: null });
    await w.account('seen-stored', { verified: true });
    expect(await seen('seen-stored')).toEqual({ stored: true, lastDecisionAt: null });
    await w.dm('seen-sender', 'seen-recipient', at(hours(1)));
    expect(await seen('seen-sender')).toEqual({ stored: false, lastDecisionAt: at(hours(1)).toISOString() });
    expect(await seen('seen-recipient')).toEqual({ stored: false, lastDecisionAt: at(hours(1)).toISOString() });
  });
});

// DESIGN §4, Time: "Counters use the server clock. Started with DM_POLICY_CLIENT_CLOCK=1 (tests, replays,
// simulations), the service honours a header X-Simulated-Now: <ISO-8601> on any request as "now" for that
// request; without that setting the header is rejected with 400."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { world } from '../support/world.ts';

const dayMs = 86_400_000;
const nextUtcMidnight = (ms: number) => new Date((Math.floor(ms / dayMs) + 1) * dayMs).toISOString();
const iso = (s: string) => new Date(s).toISOString();

describe('with the client clock (x-2023: calendar-day quota)', () => {
  let s: TestService;
  let w: ReturnType<typeof world>;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023', clientClock: true }); w = world(s); });
  afterAll(async () => { await s.close(); });

  it('the daily quota and its resetsAt follow the simulated day', async () => {
    await w.follow('sc-bob', 'sc-alice');
    const morning = await w.dm('sc-alice', 'sc-bob', new Date('2026-03-02T10:00:00Z'));
    expect(morning.decision).toBe('allow');
    expect(morning.quota.daily).toEqual({ limit: 500, used: 1, remaining: 499, resetsAt: iso('2026-03-03T00:00:00Z') });

    const lastSecond = await w.dm('sc-alice', 'sc-bob', new Date('2026-03-02T23:59:59.999Z'));
    expect(lastSecond.quota.daily).toMatchObject({ used: 2, resetsAt: iso('2026-03-03T00:00:00Z') });

    // The simulated midnight starts a new day: yesterday's sends no longer count.
    const nextDay = await w.dm('sc-alice', 'sc-bob', new Date('2026-03-03T00:00:00Z'));
    expect(nextDay.quota.daily).toEqual({ limit: 500, used: 1, remaining: 499, resetsAt: iso('2026-03-04T00:00:00Z') });

    // Far in the simulated future.
    const later = await w.dm('sc-alice', 'sc-bob', new Date('2031-07-15T18:30:00+02:00'));
    expect(later.quota.daily).toMatchObject({ used: 1, resetsAt: iso('2031-07-16T00:00:00Z') });
  });

  it('a zone offset in the header is honoured (the day is the UTC day of that instant)', async () => {
    await w.follow('sc-dan', 'sc-carol');
    // 01:30 at +02:00 is 23:30 UTC the day before.
    const res = await w.dm('sc-carol', 'sc-dan', new Date('2026-05-10T01:30:00+02:00'));
    expect(res.quota.daily.resetsAt).toBe(iso('2026-05-10T00:00:00Z'));
    const raw = await s.call('POST', '/v1/sends/check', { body: { senderId: 'sc-carol', recipientIds: ['sc-dan'], text: 'x' }, now: '2026-05-10T01:30:00+02:00' });
    expect(raw.status).toBe(200);
    expect(raw.body.quota.daily.resetsAt).toBe(iso('2026-05-10T00:00:00Z'));
  });

  it('graph writes take the simulated time too (a report is dated by the header)', async () => {
    const res = await s.call('PUT', '/v1/accounts/sc-erin/reports/sc-frank', { now: '2027-01-02T03:04:05.678Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.reportedAt).toBe('2027-01-02T03:04:05.678Z');
  });

  it('without the header, the server clock is used', async () => {
    await w.follow('sc-hank', 'sc-gina');
    const before = Date.now();
    const res = await s.call('POST', '/v1/sends', { body: { senderId: 'sc-gina', recipientIds: ['sc-hank'], text: 'now' } });
    const after = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect([nextUtcMidnight(before), nextUtcMidnight(after)]).toContain(res.body.quota.daily.resetsAt);

    const report = await s.call('PUT', '/v1/accounts/sc-gina/reports/sc-ivan');
    const reportedAt = Date.parse(report.body.reportedAt);
    expect(reportedAt).toBeGreaterThanOrEqual(before);
    expect(reportedAt).toBeLessThanOrEqual(Date.now());
  });
});

describe('with the client clock (x-api-v2: rolling-24h quota)', () => {
  let s: TestService;
  let w: ReturnType<typeof world>;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2', clientClock: true }); w = world(s); });
  afterAll(async () => { await s.close(); });

  it('resetsAt is 24 h after the oldest counted send, in simulated time', async () => {
    await w.follow('sr-bob', 'sr-alice');
    const t = Date.parse('2026-03-02T10:00:00Z');
    const first = await w.dm('sr-alice', 'sr-bob', new Date(t));
    expect(first.quota.daily).toEqual({ limit: 1000, used: 1, remaining: 999, resetsAt: new Date(t + dayMs).toISOString() });

    const second = await w.dm('sr-alice', 'sr-bob', new Date(t + 3_600_000));
    expect(second.quota.daily).toMatchObject({ used: 2, resetsAt: new Date(t + dayMs).toISOString() });

    // 24 h after the first send, it has left the window: the second is now the oldest.
    const dayLater = await w.dm('sr-alice', 'sr-bob', new Date(t + dayMs));
    expect(dayLater.quota.daily).toMatchObject({ used: 2, resetsAt: new Date(t + 3_600_000 + dayMs).toISOString() });
  });
});

describe('time-based limits run on the simulated clock (R14 cooldown, twitter-2016)', () => {
  let s: TestService;
  let w: ReturnType<typeof world>;
  beforeAll(async () => { s = await startTestService({ preset: 'twitter-2016', clientClock: true }); w = world(s); });
  afterAll(async () => { await s.close(); });

  it('retryAfterSeconds counts down in simulated time, and the cooldown ends 30 simulated minutes after the last attempt', async () => {
    const spammer = 'st-spammer';
    const fans = Array.from({ length: 12 }, (_, i) => `st-fan${i}`);
    await Promise.all(fans.map((f) => w.follow(f, spammer)));
    const t = Date.parse('2026-03-02T10:00:00Z');
    let trippedAt: number | null = null;
    for (let i = 0; i < fans.length && trippedAt === null; i++) {
      const at = t + i * 1000;
      const res = await w.dm(spammer, fans[i], new Date(at), { text: 'buy now https://spam.example/deal' });
      if (res.decision === 'limit') trippedAt = at;
    }
    expect(trippedAt, 'the duplicate-spam limit trips').not.toBeNull();

    const min = 60_000;
    const probe = (offset: number) => w.check({ senderId: spammer, recipientIds: [fans[0]], text: 'something different' }, new Date(trippedAt! + offset));
    // Dry runs record nothing, so they don't restart the cooldown: it ends exactly 30 simulated minutes after the trip.
    expect((await probe(10 * min)).decision).toBe('limit');
    expect((await probe(30 * min - 1)).decision).toBe('limit');
    expect((await probe(30 * min)).decision).toBe('allow');

    // An enforced attempt 20 simulated minutes in restarts the 30 minutes from then…
    const attempt = await w.dm(spammer, fans[0], new Date(trippedAt! + 20 * min), { text: 'something different' });
    expect(attempt.decision).toBe('limit');
    expect(attempt.retryAfterSeconds).toBe(30 * 60);
    expect((await probe(30 * min)).decision).toBe('limit');
    expect((await probe(50 * min - 1)).decision).toBe('limit');
    // …and 30 simulated minutes after it, sending works again.
    const after = await w.dm(spammer, fans[0], new Date(trippedAt! + 50 * min), { text: 'something different' });
    expect(after.decision, JSON.stringify(after)).toBe('allow');
  });
});

describe('without the client clock', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023', clientClock: false }); });
  afterAll(async () => { await s.close(); });

  it('the server clock decides time', async () => {
    expect((await s.call('PUT', '/v1/accounts/sn-bob/following/sn-alice')).status).toBe(200);
    const before = Date.now();
    const res = await s.call('POST', '/v1/sends', { body: { senderId: 'sn-alice', recipientIds: ['sn-bob'], text: 'hi' } });
    const after = Date.now();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.quota.daily.used).toBe(1);
    expect([nextUtcMidnight(before), nextUtcMidnight(after)]).toContain(res.body.quota.daily.resetsAt);
  });

  it('the header is refused rather than silently ignored', async () => {
    const res = await s.call('POST', '/v1/sends', { body: { senderId: 'sn-alice', recipientIds: ['sn-bob'], text: 'hi' }, now: '2030-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'client_clock_disabled', path: 'headers.X-Simulated-Now' });
    // …and the refused request was not counted.
    const check = await s.call('POST', '/v1/sends/check', { body: { senderId: 'sn-alice', recipientIds: ['sn-bob'], text: 'hi' } });
    expect(check.body.quota.daily.used).toBe(2); // 1 recorded + this dry run's own
  });
});

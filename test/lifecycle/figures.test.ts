// Issue 3 §7: "Live figures for the dashboard: decisions per minute by outcome and reason over a chosen period, cheap
// to query." The figures come from the per-minute tallies kept in the deciding transaction, never from the log.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours, minutes, t0, world } from '../support/world.ts';

const days = (n: number) => n * 24 * 3_600_000;
const iso = (ms: number) => new Date(t0 + ms).toISOString();
const none = { allow: 0, request: 0, deny: 0, limit: 0 };

describe('live figures', () => {
  let s: TestService;
  let w: ReturnType<typeof world>;

  const figures = async (query: Record<string, string>, now?: Date) => {
    const res = await s.call('GET', `/v1/figures?${new URLSearchParams(query)}`, { now });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const counts = (bucket: any) => ({ allow: bucket.allow, request: bucket.request, deny: bucket.deny, limit: bucket.limit });

  // Minute X (t0+5m): 3 allows and 2 message requests. Minute Y (t0+7m): 1 denial. Two hours later: 2 allows.
  // The next day: 1 request. A dry run in minute X counts for nothing.
  const X = minutes(5);
  const Y = minutes(7);
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    w = world(s);
    for (const r of ['f1', 'f2', 'f3', 'f7', 'f8']) await w.follow(r, 'alice');
    await w.block('f6', 'alice');
    for (const [i, r] of ['f1', 'f2', 'f3'].entries()) expect((await w.dm('alice', r, at(X + i * 10_000))).decision).toBe('allow');
    for (const [i, r] of ['f4', 'f5'].entries()) expect((await w.dm('alice', r, at(X + 40_000 + i * 10_000))).decision).toBe('request');
    expect((await w.check({ senderId: 'alice', recipientIds: ['f9'], text: 'dry' }, at(X + 1_000))).decision).toBe('request');
    expect((await w.dm('alice', 'f6', at(Y + 30_000))).decision).toBe('deny');
    for (const r of ['f7', 'f8']) expect((await w.dm('alice', r, at(hours(2) + minutes(3)))).decision).toBe('allow');
    expect((await w.dm('bob', 'alice', at(days(1)))).decision).toBe('request');
    // The tallies are built off the decision path by the log indexer.
    await s.service.store.indexer.caughtUp();
  });
  afterAll(async () => { await s.close(); });

  it('counts the sends of each minute by outcome, every other minute zero', async () => {
    const f = await figures({ from: iso(0), to: iso(minutes(10)), bucket: 'minute' });
    expect(f).toMatchObject({ from: iso(0), to: iso(minutes(10)), bucket: 'minute' });
    expect(f.series.map((b: any) => b.at)).toEqual(Array.from({ length: 10 }, (_, i) => iso(minutes(i))));
    f.series.forEach((b: any, i: number) => {
      const expected = i === 5 ? { ...none, allow: 3, request: 2 } : i === 7 ? { ...none, deny: 1 } : none;
      expect(counts(b), b.at).toEqual(expected);
    });
    expect(f.totals).toEqual({ allow: 3, request: 2, deny: 1, limit: 0, all: 6 });
    expect(f.topReasons).toEqual([
      { reason: 'allowed', outcome: 'allow', count: 3 },
      { reason: 'message_request', outcome: 'request', count: 2 },
      { reason: 'blocked', outcome: 'deny', count: 1 },
    ]);
  });

  it('covers whole buckets: a period starting inside a minute includes that minute', async () => {
    const f = await figures({ from: iso(X + 30_000), to: iso(Y), bucket: 'minute' });
    expect(f.from).toBe(iso(X));
    expect(f.series.map((b: any) => [b.at, b.allow, b.request])).toEqual([[iso(X), 3, 2], [iso(minutes(6)), 0, 0]]);
  });

  it('rolls minutes up into hours and days that add up', async () => {
    const byMinute = await figures({ from: iso(0), to: iso(hours(3)), bucket: 'minute' });
    const byHour = await figures({ from: iso(0), to: iso(hours(3)), bucket: 'hour' });
    expect(byMinute.series).toHaveLength(180);
    expect(byHour.series.map((b: any) => b.at)).toEqual([iso(0), iso(hours(1)), iso(hours(2))]);
    expect(byHour.series.map(counts)).toEqual([{ ...none, allow: 3, request: 2, deny: 1 }, none, { ...none, allow: 2 }]);
    for (const [h, hour] of byHour.series.entries()) {
      const inHour = byMinute.series.slice(h * 60, (h + 1) * 60);
      for (const o of ['allow', 'request', 'deny', 'limit'] as const) {
        expect(inHour.reduce((n: number, b: any) => n + b[o], 0), `${hour.at} ${o}`).toBe(hour[o]);
      }
    }
    expect(byHour.totals).toEqual(byMinute.totals);

    const byDay = await figures({ from: '2026-03-02T00:00:00Z', to: '2026-03-04T00:00:00Z', bucket: 'day' });
    expect(byDay.series.map((b: any) => b.at)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect(byDay.series.map(counts)).toEqual([{ ...none, allow: 5, request: 2, deny: 1 }, { ...none, request: 1 }]);
    expect(byDay.totals).toEqual({ allow: 5, request: 3, deny: 1, limit: 0, all: 9 });
    expect(byDay.topReasons[0]).toEqual({ reason: 'allowed', outcome: 'allow', count: 5 });
  });

  it('defaults to the last 60 minutes in minute buckets, the current one last', async () => {
    const f = await figures({}, at(Y + 15_000));
    expect(f.bucket).toBe('minute');
    expect(f.series).toHaveLength(60);
    expect(f.series[59].at).toBe(iso(Y));
    expect(f.series[57]).toMatchObject({ at: iso(X), allow: 3, request: 2 });
    expect(f.series[59].deny).toBe(1);
    expect(f.totals.all).toBe(6);
  });

  it('names the minute of the latest decision, inside the period asked or not, so a client can open on one that has decisions', async () => {
    const empty = await figures({ from: iso(-days(3)), to: iso(-days(2)), bucket: 'hour' });
    expect(empty.totals.all).toBe(0);
    expect(empty.latestMinute).toBe(iso(days(1)));
  });

  it('filters by version and arm', async () => {
    const period = { from: iso(0), to: iso(days(2)), bucket: 'day' };
    expect((await figures({ ...period, version: 'x-2023' })).totals.all).toBe(9);
    expect((await figures({ ...period, version: 'twitter-2016' })).totals.all).toBe(0);
    expect((await figures({ ...period, arm: '' })).totals.all).toBe(9);
    expect((await figures({ ...period, arm: 'treatment' })).totals.all).toBe(0);
  });

  it('refuses more than 2000 buckets, a reversed period and a bad bucket, naming the parameter', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ from: iso(0), to: iso(days(2)), bucket: 'minute' }, 'query.from'],
      [{ from: iso(minutes(5)), to: iso(minutes(5)) }, 'query.to'],
      [{ from: iso(minutes(6)), to: iso(minutes(5)) }, 'query.to'],
      [{ bucket: 'week' }, 'query.bucket'],
      [{ from: 'an hour ago' }, 'query.from'],
      [{ top: '0' }, 'query.top'],
    ];
    for (const [query, path] of cases) {
      const res = await s.call('GET', `/v1/figures?${new URLSearchParams(query)}`);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.path, JSON.stringify(query)).toBe(path);
    }
    // 2000 minute buckets is the most a period may hold.
    expect((await figures({ from: iso(0), to: iso(minutes(2000)), bucket: 'minute' })).series).toHaveLength(2000);
  });

  it('reads the per-minute tallies, never the decision log', async () => {
    const period = { from: iso(0), to: iso(days(2)), bucket: 'hour' };
    const before = await figures(period);
    await s.service.store.writer.write(async (tx) => { await tx.run(sql`delete from decision_log`); });
    expect(await figures(period)).toEqual(before);
  });
});

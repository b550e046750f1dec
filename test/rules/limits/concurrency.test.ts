/**
 * R10 under concurrency, seed 000: "There is an account limit of 500 Direct Messages sent per day."
 * The cap stays exact when one sender's 2 000 attempts arrive at once (x-2023, DESIGN §5).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestService, type TestService } from '../../support/service.ts';
import { at } from '../../support/world.ts';
import { followedBy, ids, inFlight, post, secondsBetween, tally, uniqueText } from './helpers.ts';

describe('R10 daily cap under 2 000 concurrent sends, x-2023', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('exactly 500 are allowed, 1500 limited, and exactly 500 sends are stored', { timeout: 180_000 }, async () => {
    const sender = 'cc-sender';
    const recipients = ids('cc-r', 2000);
    await followedBy(s, sender, recipients);

    const now = at(0);
    // All 2 000 issued at once, 200 on the wire at any moment: 2 000 simultaneous connects overflow the
    // server's listen backlog (511) and get ECONNRESET, which says nothing about the cap.
    const responses = await inFlight(recipients, 200, (to, i) =>
      post(s, { senderId: sender, recipientIds: [to], text: `${uniqueText()} ${i}` }, now));
    expect(responses.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    const bodies = responses.map((r) => r.body);
    expect(tally(bodies)).toEqual({ allow: 500, limit: 1500 });

    const allowed = bodies.filter((b) => b.decision === 'allow');
    expect(allowed.every((b) => b.reason === 'allowed' && b.rule === null && typeof b.sendId === 'string')).toBe(true);
    // Each admitted send saw a different count: 1 … 500, no two alike.
    expect(allowed.map((b) => b.quota.daily.used).sort((p, q) => p - q)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(new Set(allowed.map((b) => b.sendId)).size).toBe(500);

    const limited = bodies.filter((b) => b.decision === 'limit');
    const untilMidnight = secondsBetween(now, Date.parse('2026-03-03T00:00:00.000Z'));
    expect(untilMidnight).toBe(14 * 3600);
    for (const b of limited) {
      expect(b).toMatchObject({ reason: 'daily_limit', rule: 'daily-cap', retryAfterSeconds: untilMidnight, sendId: null });
      expect(b.quota.daily).toEqual({ limit: 500, used: 500, remaining: 0, resetsAt: '2026-03-03T00:00:00.000Z' });
    }

    const db = s.service.store.db;
    const stored = await db.get<{ n: number }>(sql`select count(*) as n from decision_log where sender_id = ${sender} and decision in ('allow', 'request')`);
    expect(Number(stored!.n)).toBe(500);
    const counted = await db.get<{ n: number }>(sql`select count(*) as n from decision_log where sender_id = ${sender} and counted = 1`);
    expect(Number(counted!.n)).toBe(500);
  });
});

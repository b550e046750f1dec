// Issue 3: "a backtest of 500/day against 1000/day on the demo world reports the senders that cross
// 500". The demo world's heavy senders make 530–620 attempts a day, so x-2023 (500 a day) limits
// their last ones; a candidate allowing 1000 a day lets those through, and no one else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../server/demo/populate.ts';
import { dayMs } from '../../server/limits/windows.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { backtest } from './backtests.helpers.ts';

const start = Date.parse('2026-03-02T00:00:00.000Z');

describe('a backtest of 1000 a day against 500 a day on the demo world', () => {
  let s: TestService;
  let heavyLimited: Map<string, number>;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const summary = await seedDemo(s.service, { accounts: 700, days: 1, seed: 11, start });
    expect(summary.reasons.daily_limit).toBeGreaterThan(0);
    // Who really crossed 500: the senders refused by the daily cap, read from the decision log.
    const refused = await s.call('GET', `/v1/decisions?reason=daily_limit&limit=500`);
    heavyLimited = new Map();
    for (const item of refused.body.items) heavyLimited.set(item.sender, (heavyLimited.get(item.sender) ?? 0) + 1);
    const draft = await s.call('POST', '/v1/policies/dm/versions', { body: { from: 'x-2023', version: 'x-2023-1000' } });
    expect(draft.status).toBe(201);
    const edit = await s.call('PATCH', '/v1/policies/dm/versions/x-2023-1000', { body: { parameters: { dailyLimit: 1000 }, reason: 'what if 1000 a day' } });
    expect(edit.status).toBe(200);
  }, 300_000);
  afterAll(async () => { await s.close(); });

  it('reports exactly the senders that crossed 500, with their refused sends now admitted', async () => {
    const { report } = await backtest(s, { kind: 'replay', version: 'x-2023-1000', from: new Date(start).toISOString(), to: new Date(start + dayMs).toISOString() }, new Date(start + dayMs));
    const affected = new Map<string, any>(report.senders.map((sender: any) => [sender.senderId, sender]));
    expect([...affected.keys()].sort()).toEqual([...heavyLimited.keys()].sort());
    for (const [senderId, refusedSends] of heavyLimited) {
      expect(senderId).toMatch(/^heavy-/);
      const flips = affected.get(senderId).flips.filter((f: any) => f.from === 'limit').reduce((n: number, f: any) => n + f.count, 0);
      expect(flips).toBe(refusedSends);
    }
    expect(report.blastRadius.sendersNewlyAdmitted).toBe(heavyLimited.size);
    expect(report.blastRadius.sendersNewlyRefused).toBe(0);
  });
});

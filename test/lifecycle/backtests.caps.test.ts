// Issue 3 §6: a backtest replays the log "through a candidate version with its own counters (what it
// allows changes what it counts)". One sender sent 700 messages in a day under x-2023 (500 a day):
// a candidate allowing 1000 lets the 200 refused ones through, one allowing 300 refuses sends 301–500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertVersionIfAbsent } from '../../db/stores/policies.ts';
import type { PolicyDocument } from '../../server/policy/document.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours, minutes } from '../support/world.ts';
import { backtest, followedBy, ids, inBatches, send, uniqueText } from './backtests.helpers.ts';

/** Stores a draft of x-2023 with `dailyLimit` changed (the versions API is another suite's subject). */
async function draftWithDailyLimit(s: TestService, version: string, dailyLimit: number): Promise<void> {
  const base = (await s.service.policies.version('x-2023'))!.document;
  const document: PolicyDocument = structuredClone(base);
  document.version = version;
  document.parameters.dailyLimit = { ...document.parameters.dailyLimit, value: dailyLimit } as PolicyDocument['parameters'][string];
  await s.service.store.writer.write((tx) => insertVersionIfAbsent(tx, {
    policy: 'dm', version, document, status: 'draft', author: 'test', createdAt: at(0).getTime(), publishedAt: null,
  }));
}

describe('a backtest of another daily cap', () => {
  let s: TestService;
  const now = at(hours(12));
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const fans = ids('heavy-fan', 700);
    await followedBy(s, 'heavy', fans);
    const decisions = await inBatches(fans, 50, (to, i) => send(s, { senderId: 'heavy', recipientIds: [to], text: uniqueText() }, at(minutes(Math.floor(i / 50)))));
    expect(decisions.filter((d) => d.decision === 'allow')).toHaveLength(500);
    // Someone else's ordinary day, which no cap here touches.
    await followedBy(s, 'light', ['light-fan']);
    for (let i = 0; i < 3; i++) await send(s, { senderId: 'light', recipientIds: ['light-fan'], text: uniqueText() }, at(hours(1) + minutes(i)));
    await draftWithDailyLimit(s, 'x-2023-cap1000', 1000);
    await draftWithDailyLimit(s, 'x-2023-cap300', 300);
  });
  afterAll(async () => { await s.close(); });

  it('a cap of 1000 lets the sender\'s 200 limited sends through', async () => {
    const { report } = await backtest(s, { version: 'x-2023-cap1000' }, now);
    expect(report.candidate).toEqual({ policy: 'dm', version: 'x-2023-cap1000' });
    expect(report.attempts).toBe(703);
    expect(report.mix.actual).toEqual({ allow: 503, request: 0, deny: 0, limit: 200 });
    expect(report.mix.candidate).toEqual({ allow: 703, request: 0, deny: 0, limit: 0 });
    expect(report.transitions.limit.allow).toBe(200);
    expect(report.changed).toBe(200);
    expect(report.reasons).toEqual([{ actual: 'daily_limit', candidate: 'allowed', count: 200 }]);
    expect(report.senders).toEqual([{ senderId: 'heavy', changed: 200, flips: [{ from: 'limit', to: 'allow', count: 200 }] }]);
    expect(report.blastRadius).toEqual({ sendersNewlyRefused: 0, sendersNewlyAdmitted: 1, attemptsNewlyRefused: 0, attemptsNewlyAdmitted: 200 });
  });

  it('a cap of 300 limits sends 301–500, which really were allowed', async () => {
    const { report } = await backtest(s, { version: 'x-2023-cap300' }, now);
    expect(report.mix.candidate).toEqual({ allow: 303, request: 0, deny: 0, limit: 400 });
    expect(report.transitions.allow).toEqual({ allow: 303, request: 0, deny: 0, limit: 200 });
    expect(report.transitions.limit.limit).toBe(200);
    expect(report.reasons).toEqual([{ actual: 'allowed', candidate: 'daily_limit', count: 200 }]);
    expect(report.senders).toEqual([{ senderId: 'heavy', changed: 200, flips: [{ from: 'allow', to: 'limit', count: 200 }] }]);
    expect(report.blastRadius).toMatchObject({ sendersNewlyRefused: 1, sendersNewlyAdmitted: 0, attemptsNewlyRefused: 200 });
  });

  it('a sweep of dailyLimit draws a curve of refusals that falls as the cap rises', async () => {
    const { report } = await backtest(s, { kind: 'sweep', version: 'x-2023', parameter: 'dailyLimit', values: { from: 100, to: 1000, step: 100 } }, now);
    expect(report.parameter).toBe('dailyLimit');
    expect(report.curve.map((p: any) => p.value)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(report.curve.map((p: any) => p.limit)).toEqual([600, 500, 400, 300, 200, 100, 0, 0, 0, 0]);
    const refused = report.curve.map((p: any) => p.refused);
    for (let i = 1; i < refused.length; i++) expect(refused[i]).toBeLessThanOrEqual(refused[i - 1]);
    expect(report.curve[4]).toMatchObject({ value: 500, allow: 503, limit: 200, changed: 0 });
    expect(report.actual).toEqual({ allow: 503, request: 0, deny: 0, limit: 200 });
  });

  it('refuses a sweep value outside the parameter\'s bounds, naming it', async () => {
    const res = await s.call('POST', '/v1/backtests', { body: { kind: 'sweep', version: 'x-2023', parameter: 'dailyLimit', values: [100, 200_000] }, now });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('body.values[1]');
    const range = await s.call('POST', '/v1/backtests', { body: { kind: 'sweep', version: 'x-2023', parameter: 'dailyLimit', values: { from: 0, to: 100, step: 50 } }, now });
    expect(range.status).toBe(400);
    expect(range.body.error.path).toBe('body.values.from');
  });
});

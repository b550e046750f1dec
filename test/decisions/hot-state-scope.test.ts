/**
 * A write drops only the kept decision state it may have changed (db/writer.ts `Invalidation`): a
 * follow or an account's flags drop the entries of their accounts, writes the decision path never
 * reads (a backtest's progress, an operator's session, a draft) drop nothing, and the rest stays in
 * memory — so live traffic stays warm while the graph changes and operators work. Whether a dropped
 * entry is read again correctly is test/decisions/hot-state.test.ts's business.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

describe('what a write drops of the kept decision state', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  const send = async (senderId: string, recipientId: string) => {
    const res = await s.call('POST', '/v1/sends', { body: { senderId, recipientIds: [recipientId], text: `hi from ${senderId}` } });
    expect(res.status).toBe(200);
  };
  /** Misses (reads from the database) of the sends run by `run`. */
  const missesOf = async (run: () => Promise<void>) => {
    const before = s.service.decisions.keptState()!.misses;
    await run();
    return s.service.decisions.keptState()!.misses - before;
  };

  it('keeps what a write did not touch, and drops what it did', async () => {
    for (const id of ['k1', 'k2', 'k3', 'k4', 'k5']) expect((await s.call('PUT', `/v1/accounts/${id}`, { body: { inbox: 'everyone' } })).status).toBe(200);
    await send('k1', 'k2');
    await send('k3', 'k4');
    // Both senders and both pairs are kept now: sending again reads nothing.
    expect(await missesOf(async () => { await send('k1', 'k2'); await send('k3', 'k4'); })).toBe(0);

    // A follow between k5 and k2 drops k2's pairs (k1 -> k2) and nothing of k3's.
    expect((await s.call('PUT', '/v1/accounts/k5/following/k2')).status).toBe(200);
    expect(await missesOf(() => send('k3', 'k4'))).toBe(0);
    expect(await missesOf(() => send('k1', 'k2'))).toBe(1);

    // An account's flags drop its ledger and the pairs it is the recipient of.
    expect((await s.call('PUT', '/v1/accounts/k4', { body: { verified: true } })).status).toBe(200);
    expect(await missesOf(() => send('k1', 'k2'))).toBe(0);
    expect(await missesOf(() => send('k3', 'k4'))).toBe(1);

    // Writes the decision path never reads drop nothing: a policy draft, an operator, a backtest.
    expect((await s.call('POST', '/v1/policies/dm/versions', { body: { from: 'x-2023', version: 'scope-draft' } })).status).toBeLessThan(300);
    expect((await s.call('POST', '/v1/operators', { body: { username: 'scope-viewer', password: 'a long enough password', role: 'viewer' } })).status).toBeLessThan(300);
    const day = 86_400_000;
    const backtest = await s.call('POST', '/v1/backtests', { body: { version: 'x-2023', from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + 60_000).toISOString() } });
    expect(backtest.status).toBeLessThan(300);
    let status = '';
    for (let i = 0; i < 200 && status !== 'done'; i++) {
      if (i) await new Promise((r) => setTimeout(r, 20));
      status = (await s.call('GET', `/v1/backtests/${backtest.body.id}`)).body.status;
    }
    expect(status).toBe('done');
    expect(await missesOf(async () => { await send('k1', 'k2'); await send('k3', 'k4'); })).toBe(0);

    // A counter reset names no scope narrower than everything: both senders are read again.
    expect((await s.call('POST', '/v1/accounts/k1/counters/reset', { body: { reason: 'scope test' } })).status).toBe(200);
    expect(await missesOf(async () => { await send('k1', 'k2'); await send('k3', 'k4'); })).toBe(4);
  });
});

// Issue 3 §6: a backtest "runs as a job with progress, can be cancelled, and its report is kept"; the
// blast-radius preview is a shortcut for the draft replayed over the last 24 h. A job can't survive its
// process: after a restart, one left running has failed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBacktest } from '../../db/stores/backtests.ts';
import { insertToken } from '../../db/stores/tokens.ts';
import type { Config } from '../../server/config.ts';
import { createService } from '../../server/service.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours, minutes } from '../support/world.ts';
import { finished, followedBy, ids, inBatches, send, startBacktest, uniqueText } from './backtests.helpers.ts';

describe('backtest jobs', () => {
  let s: TestService;
  const now = at(hours(12));
  const longSweep = { kind: 'sweep', version: 'x-2023', parameter: 'dailyLimit', values: Array.from({ length: 50 }, (_, i) => 100 + 10 * i) };
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const fans = ids('job-fan', 600);
    await followedBy(s, 'job-heavy', fans);
    await inBatches(fans, 50, (to, i) => send(s, { senderId: 'job-heavy', recipientIds: [to], text: uniqueText() }, at(minutes(Math.floor(i / 50)))));
    await s.service.store.writer.write((tx) => insertToken(tx, { name: 'decider', secret: 'decide-only-token-0123456789', scopes: ['decide'], now: Date.now() }));
  });
  afterAll(async () => { await s.close(); });

  it('answers 202 at once, then reports progress up to the total and keeps the report', async () => {
    const res = await s.call('POST', '/v1/backtests', { body: { version: 'x-2023' }, now });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' });
    const job = await finished(s, res.body.id);
    expect(job).toMatchObject({ kind: 'replay', status: 'done', policy: 'dm', version: 'x-2023', error: null, createdBy: 'token:bootstrap' });
    expect(job.options).toEqual({ from: at(-hours(12)).toISOString(), to: now.toISOString() });
    expect(job.progress).toEqual({ processed: 600, total: 600 });
    expect(job.createdAt).toBe(now.toISOString());
    expect(job.report.attempts).toBe(600);

    const list = await s.call('GET', '/v1/backtests?status=done');
    expect(list.status).toBe(200);
    expect(list.body.items.map((j: any) => j.id)).toContain(job.id);
    expect(list.body.items[0]).not.toHaveProperty('report');
  });

  it('cancels a running job: it stops, its status says so, and it stays cancelled', async () => {
    const id = await startBacktest(s, longSweep, now);
    const cancelled = await s.call('POST', `/v1/backtests/${id}/cancel`, { now });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id, status: 'cancelled', report: null, finishedAt: now.toISOString() });
    const job = await finished(s, id);
    expect(job.status).toBe('cancelled');
    expect(job.report).toBeNull();
    const again = await s.call('POST', `/v1/backtests/${id}/cancel`, { now });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_finished');
  });

  it('cancels a queued job before it starts', async () => {
    const first = await startBacktest(s, longSweep, now);
    const second = await startBacktest(s, { version: 'x-2023' }, now);
    expect((await s.call('POST', `/v1/backtests/${second}/cancel`, { now })).body.status).toBe('cancelled');
    expect((await s.call('POST', `/v1/backtests/${first}/cancel`, { now })).status).toBe(200);
    const job = await finished(s, second);
    expect(job).toMatchObject({ status: 'cancelled', progress: { processed: 0 } });
  });

  it('previews the blast radius of a version over the last 24 h', async () => {
    const res = await s.call('POST', '/v1/policies/dm/versions/twitter-2016/blast-radius', { now });
    expect(res.status).toBe(202);
    const job = await finished(s, res.body.id);
    expect(job).toMatchObject({ kind: 'blast_radius', status: 'done', version: 'twitter-2016' });
    expect(job.options).toEqual({ from: at(-hours(12)).toISOString(), to: now.toISOString() });
    // twitter-2016 allows 1000 a day: the 100 sends x-2023 limited go through.
    expect(job.report.blastRadius).toEqual({ sendersNewlyRefused: 0, sendersNewlyAdmitted: 1, attemptsNewlyRefused: 0, attemptsNewlyAdmitted: 100 });
    expect((await s.call('POST', '/v1/policies/other/versions/x-2023/blast-radius', { now })).status).toBe(404);
    expect((await s.call('POST', '/v1/policies/dm/versions/nope/blast-radius', { now })).status).toBe(404);
  });

  it('refuses malformed requests with the path, and unknown versions and jobs with 404', async () => {
    const post = (body: unknown) => s.call('POST', '/v1/backtests', { body, now });
    const cases: Array<[unknown, number, string]> = [
      [{ version: 'nope' }, 404, 'body.version'],
      [{ version: 'x-2023', parameter: 'dailyLimit' }, 400, 'body.parameter'],
      [{ kind: 'sweep', version: 'x-2023', values: [1] }, 400, 'body.parameter'],
      [{ kind: 'sweep', version: 'x-2023', parameter: 'dailyLimit', values: { from: 1, to: 1000, step: 1 } }, 400, 'body.values'],
      [{ kind: 'sweep', version: 'x-2023', parameter: 'nope', values: [1] }, 400, 'body.parameter'],
      [{ kind: 'sweep', version: 'x-2023', parameter: 'dailyWindow', values: [1] }, 400, 'body.parameter'],
      [{ kind: 'blast_radius', version: 'x-2023', from: '2026-03-01T00:00:00Z' }, 400, 'body.from'],
      [{ version: 'x-2023', from: '2026-03-02T12:00:00Z', to: '2026-03-02T11:00:00Z' }, 400, 'body.to'],
      [{ version: 'x-2023', from: 'yesterday' }, 400, 'body.from'],
    ];
    for (const [body, status, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.path, JSON.stringify(body)).toBe(path);
    }
    expect((await s.call('GET', '/v1/backtests/nope')).status).toBe(404);
    expect((await s.call('POST', '/v1/backtests/nope/cancel', { now })).status).toBe(404);
  });

  it('needs an operator role: a service token that only decides may neither start nor read', async () => {
    const token = 'decide-only-token-0123456789';
    expect((await s.call('POST', '/v1/backtests', { body: { version: 'x-2023' }, now, token })).status).toBe(403);
    expect((await s.call('GET', '/v1/backtests', { token })).status).toBe(403);
    expect((await s.call('POST', '/v1/policies/dm/versions/x-2023/blast-radius', { now, token })).status).toBe(403);
    expect((await s.call('GET', '/v1/backtests', { token: null })).status).toBe(401);
  });

  it('replays through the plain function too, with no HTTP', async () => {
    const { replay } = await import('../../server/lifecycle/backtests/replay.ts');
    const policies = s.service.policies;
    const [report] = await replay(s.service.store, {
      from: at(0).getTime(), to: now.getTime(), candidates: [(await policies.version('x-2023'))!], deciding: (v) => policies.version(v), pageSize: 64,
    });
    expect(report).toMatchObject({ attempts: 600, changed: 0, mix: { actual: { allow: 500, limit: 100 } } });
  });

  it('reads the log through drizzle, as from a libSQL server, to the same report as natively from the file', async () => {
    const { replay } = await import('../../server/lifecycle/backtests/replay.ts');
    const { store, policies } = s.service;
    expect(store.localPath).not.toBeNull();
    const options = {
      from: at(0).getTime(), to: now.getTime(), candidates: [(await policies.version('x-2023'))!], deciding: (v: string) => policies.version(v), pageSize: 64,
    };
    const [native] = await replay(store, options);
    const [paged] = await replay({ db: store.db, localPath: null }, options);
    expect(paged).toEqual(native);
    expect(paged.attempts).toBe(600);
  });

  it('fails, not hangs, when the reading thread cannot open the file', async () => {
    const { replay } = await import('../../server/lifecycle/backtests/replay.ts');
    const { store, policies } = s.service;
    const unreadable = { db: store.db, localPath: join(tmpdir(), 'dm-policy-no-such-dir', 'none.db') };
    await expect(replay(unreadable, {
      from: at(0).getTime(), to: now.getTime(), candidates: [(await policies.version('x-2023'))!], deciding: (v: string) => policies.version(v),
    })).rejects.toThrow(/none\.db/);
  });
});

describe('a restart', () => {
  it('fails the jobs the previous process left running, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-policy-backtests-'));
    const config: Config = {
      port: 0, host: '127.0.0.1', databaseUrl: `file:${join(dir, 'test.db')}`, preset: 'x-2023', clientClock: true,
      bootstrapToken: 'restart-token-0123456789', busyTimeoutMs: 10_000,
    };
    try {
      const before = await createService(config);
      await before.store.writer.write((tx) => insertBacktest(tx, {
        id: 'left-running', kind: 'replay', status: 'running', policy: 'dm', version: 'x-2023', options: {}, progress: 10, total: 100,
        createdBy: 'test', createdAt: Date.now(),
      }));
      await before.close();

      const after = await createService(config);
      const { url } = await after.listen();
      const res = await fetch(`${url}/v1/backtests/left-running`, { headers: { authorization: 'Bearer restart-token-0123456789' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'failed', error: 'interrupted by restart', progress: { processed: 10, total: 100 } });
      await after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

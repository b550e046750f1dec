/**
 * Issue 10's differential test: the decision state a service holds in memory after any history
 * equals the state rebuilt from libSQL — from the log alone (before the indexer folded anything) and
 * from what the indexer folded plus the log after it. Random histories over the real API: direct,
 * group and API sends (duplicates, replies, caps), every graph edge, account settings, exemptions,
 * counter resets, a clock that mostly goes forward, sometimes jumps a day and sometimes goes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../server/demo/world.ts';
import { IdempotencyMemory } from '../../server/decisions/idempotency.ts';
import { StoredKeys } from '../../server/decisions/stored-keys.ts';
import { rebuildWorld } from '../../server/state/rebuild.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { snapshotOf } from '../support/world-snapshot.ts';
import { t0 } from '../support/world.ts';

const people = Array.from({ length: 10 }, (_, i) => `p${i}`);
const apps = ['app-a', 'app-b'];
const texts = ['same spam https://spam.example/x', 'hello there', 'ok', 'see https://news.example/a'];

/** Plays `steps` random operations through the API, in order, on a simulated clock. */
async function playHistory(s: TestService, random: Random, steps: number): Promise<{ decisions: number; groups: string[] }> {
  let now = t0;
  const groups: string[] = [];
  let decisions = 0;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await s.call(method, path, { body, now: new Date(now) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
    return res;
  };
  const two = () => {
    const a = random.pick(people);
    let b = random.pick(people);
    while (b === a) b = random.pick(people);
    return [a, b] as const;
  };
  for (let step = 0; step < steps; step++) {
    const r = random.next();
    // The clock: usually seconds, sometimes an hour or a day, and now and then back 40 minutes.
    now += r < 0.03 ? -40 * 60_000 : r < 0.06 ? 25 * 3_600_000 : r < 0.12 ? 3_600_000 : Math.floor(random.next() * 90_000);
    const op = random.next();
    const [a, b] = two();
    if (op < 0.45) {
      const api = random.next() < 0.3;
      const res = await call('POST', '/v1/sends', {
        senderId: a, recipientIds: [b], text: random.pick(texts), channel: api ? 'api' : 'web', ...(api ? { appId: random.pick(apps) } : {}),
        ...(random.next() < 0.1 ? { idempotencyKey: `k-${Math.floor(random.next() * 20)}` } : {}),
      });
      if (res.status === 200) decisions++;
    } else if (op < 0.52) {
      const res = await call('POST', '/v1/sends', { senderId: a, recipientIds: [b, random.pick(people.filter((p) => p !== a && p !== b))], kind: 'group_create', text: random.pick(texts) });
      if (res.body.conversationId) groups.push(res.body.conversationId);
      decisions++;
    } else if (op < 0.58 && groups.length) {
      await call('POST', '/v1/sends', { senderId: a, kind: 'group_message', conversationId: random.pick(groups), text: random.pick(texts) });
      decisions++;
    } else if (op < 0.62 && groups.length) {
      await call('POST', '/v1/sends', { senderId: a, kind: 'group_invite', conversationId: random.pick(groups), recipientIds: [b] });
      decisions++;
    } else if (op < 0.70) await call('PUT', `/v1/accounts/${b}/following/${a}`);
    else if (op < 0.73) await call('DELETE', `/v1/accounts/${b}/following/${a}`);
    else if (op < 0.76) await call(random.next() < 0.6 ? 'PUT' : 'DELETE', `/v1/accounts/${a}/blocks/${b}`);
    else if (op < 0.80) await call('PUT', `/v1/accounts/${a}/reports/${b}`);
    else if (op < 0.83) await call('PUT', `/v1/accounts/${a}/accepted/${b}`);
    else if (op < 0.85) await call('PUT', `/v1/accounts/${a}/welcome-shown/${b}`);
    else if (op < 0.89) await call(random.next() < 0.7 ? 'PUT' : 'DELETE', `/v1/accounts/${a}/app-grants/${random.pick(apps)}`);
    else if (op < 0.93) await call('PUT', `/v1/accounts/${a}`, { inbox: random.pick(['everyone', 'following', 'verified']), verified: random.next() < 0.3 });
    else if (op < 0.96) {
      const granted = await call('POST', `/v1/accounts/${a}/exemptions`, { rule: 'daily-cap', expiresAt: new Date(now + 3_600_000).toISOString(), reason: 'test' });
      if (random.next() < 0.5 && granted.status === 201) await call('DELETE', `/v1/accounts/${a}/exemptions/${granted.body.id}`);
    } else await call('POST', `/v1/accounts/${a}/counters/reset`, { reason: 'test' });
  }
  return { decisions, groups };
}

describe.each([
  { preset: 'x-2023' as const, seed: 7 },
  { preset: 'x-api-v2' as const, seed: 11 },
])('the state in memory equals the state rebuilt from libSQL ($preset)', ({ preset, seed }) => {
  let s: TestService;
  // Buckets of 32 log entries: the indexer's pair history and log by account span many of them.
  beforeAll(async () => { s = await startTestService({ preset, logIndexer: { bucketSize: 32 } }); });
  afterAll(async () => { await s?.close(); });

  it('after a random history of 500 steps, rebuilt from the log alone and from the indexer\'s tables', async () => {
    const played = await playHistory(s, seededRandom(seed), 500);
    expect(played.decisions).toBeGreaterThan(150); // a history that decided things, not one of refusals at the edge
    const live = snapshotOf(s.service.state.world);
    expect(Object.keys(live.perAccount).length).toBeGreaterThan(5);
    expect(live.pairs.length).toBeGreaterThan(10);
    expect(live.groups.length).toBeGreaterThan(1);

    const rebuild = async (edgesOnThread = false) => snapshotOf((await rebuildWorld(s.service.store, new IdempotencyMemory(new StoredKeys()), edgesOnThread ? { edgesOnThreadFrom: 0 } : {})).world);
    // Whatever the indexer has folded so far, and once it has folded everything: the same state —
    // with the graph's edges read in the rebuild's snapshot, or on a thread as at a start.
    expect(await rebuild()).toEqual(live);
    expect(await rebuild(true)).toEqual(live);
    await s.service.store.indexer.caughtUp();
    expect(await rebuild()).toEqual(live);
    expect(await rebuild(true)).toEqual(live);
  });
});

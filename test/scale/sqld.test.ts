// The scale-out path for real: two service instances on one libSQL server (sqld, DESIGN §5), racing
// requests to both. Caps stay exact because each sender is decided by the one instance that owns its
// shard — a request sent to the other is forwarded to it — and an owner's appends are refused once
// its lease moved (server/cluster/ownership.ts); every acknowledged send is stored exactly once; an
// idempotency key sent to both counts once; a version switched or an experiment started on one
// instance reaches the other (server/policy/sync.ts).
//
// Where the sqld binary is missing (see test/support/sqld.ts) it is skipped, saying why, and under
// CI=true it fails instead.
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestService } from '../support/service.ts';
import { skipWithout } from '../support/prerequisite.ts';
import { findSqld, startPairOnSqld, type SqldPair } from '../support/sqld.ts';
import { at } from '../support/world.ts';
import { inFlight } from '../rules/limits/helpers.ts';

const binary = findSqld();
const skipped = skipWithout('test/scale/sqld.test.ts', binary.missing);
const title = skipped ? `two instances on one sqld — SKIPPED: ${binary.missing}` : 'two instances on one sqld';

// Over WebSocket (the writer keeps a stream of its own, db/server-write-stream.ts) and over HTTP.
for (const protocol of ['ws:', 'http:'] as const) describe.skipIf(skipped)(`${title}, over ${protocol}//`, () => {
  let pair: SqldPair;
  let a: TestService;
  let b: TestService;
  let db: Client;
  const now = at(0);

  beforeAll(async () => {
    pair = await startPairOnSqld({ protocol, preset: 'x-2023', clientClock: true });
    ({ a, b } = pair);
    db = createClient({ url: pair.server.url });
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await pair?.close();
  });

  const followers = async (sender: string, count: number) => {
    const ids = Array.from({ length: count }, (_, i) => `${sender}-r${i}`);
    for (const id of ids) {
      const res = await a.call('PUT', `/v1/accounts/${id}/following/${sender}`, { body: {}, now });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    return ids;
  };

  const rows = async (query: string, args: Array<string | number> = []) => (await db.execute({ sql: query, args })).rows;

  it('2 000 racing sends for one sender split over both instances: exactly 500 allowed, 1 500 limited, each acknowledged send stored once', async () => {
    const sender = 'race-s';
    const recipients = await followers(sender, 50);
    const total = 2000;
    const started = Date.now();
    // 400 in flight at any moment, alternating instances: enough for both to race on one sender's cap
    // without overflowing a listen backlog with 2 000 connects at once.
    const answers = await inFlight(Array.from({ length: total }, (_, i) => i), 400, (i) => {
      const instance = i % 2 === 0 ? a : b;
      return instance.call('POST', '/v1/sends', {
        body: { senderId: sender, recipientIds: [recipients[i % recipients.length]], text: `race ${i}` }, now,
      }).then((res) => ({ instance: i % 2 === 0 ? 'A' : 'B', ...res }));
    });
    const elapsed = Date.now() - started;

    const failures = answers.filter((r) => r.status !== 200);
    const allowed = answers.filter((r) => r.status === 200 && r.body.decision === 'allow');
    const limited = answers.filter((r) => r.status === 200 && r.body.decision === 'limit');
    const acknowledged = allowed.map((r) => r.body.sendId as string);
    console.log(`sqld race: ${total} sends in ${elapsed} ms; allowed by A ${allowed.filter((r) => r.instance === 'A').length}, by B ${allowed.filter((r) => r.instance === 'B').length}`);

    // What the server holds, read through a third connection.
    const stored = await rows('select send_id as id, counted from decision_log where sender_id = ? and send_id is not null', [sender]);
    const storedIds = stored.map((r) => String(r.id));
    const storedSet = new Set(storedIds);
    const acknowledgedSet = new Set(acknowledged);
    const logged = await rows('select decision, count(*) as n from decision_log where sender_id = ? group by decision order by decision', [sender]);

    // One comparison, so that a failure shows every figure at once.
    expect({
      failed: failures.length,
      allowed: allowed.length,
      limited: limited.length,
      limitReasons: [...new Set(limited.map((r) => r.body.reason))],
      acknowledgedWithoutSendId: acknowledged.filter((id) => typeof id !== 'string' || !id).length,
      distinctAcknowledged: acknowledgedSet.size,
      storedTwice: storedIds.length - storedSet.size,
      acknowledgedButNotStored: acknowledged.filter((id) => !storedSet.has(id)).length,
      storedButNotAcknowledged: storedIds.filter((id) => !acknowledgedSet.has(id)).length,
      counted: stored.filter((r) => Number(r.counted) === 1).length,
      decisionLog: Object.fromEntries(logged.map((r) => [String(r.decision), Number(r.n)])),
    }, `first failures: ${failures.slice(0, 3).map((r) => `${r.instance} ${r.status} ${JSON.stringify(r.body)}`).join('; ')}`).toEqual({
      failed: 0,
      allowed: 500,
      limited: 1500,
      limitReasons: ['daily_limit'],
      acknowledgedWithoutSendId: 0,
      distinctAcknowledged: 500,
      storedTwice: 0,
      acknowledgedButNotStored: 0,
      storedButNotAcknowledged: 0,
      counted: 500,
      decisionLog: { allow: 500, limit: 1500 },
    });

    // Both instances agree on what is left.
    for (const instance of [a, b]) {
      const check = await instance.call('POST', '/v1/sends/check', { body: { senderId: sender, recipientIds: [recipients[0]], text: 'left?' }, now });
      expect(check.body.decision).toBe('limit');
      expect(check.body.quota.daily).toMatchObject({ limit: 500, used: 500, remaining: 0 });
    }
  }, 180_000);

  it('one idempotency key sent to both instances at once counts once and gets one answer', async () => {
    const sender = 'idem-s';
    const [recipient] = await followers(sender, 1);
    const [other] = await followers('idem-bg', 1);
    const body = { senderId: sender, recipientIds: [recipient], text: 'exactly once', idempotencyKey: 'k-race-1' };
    // 40 copies of one keyed request, half to each instance, inside 300 other sends so that both
    // instances have write transactions in flight when the copies arrive.
    const background = Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? b : a).call('POST', '/v1/sends', {
      body: { senderId: 'idem-bg', recipientIds: [other], text: `background ${i}` }, now,
    }));
    const copies = Array.from({ length: 40 }, (_, i) => new Promise((r) => setTimeout(r, i * 5))
      .then(() => (i % 2 === 0 ? a : b).call('POST', '/v1/sends', { body, now })));
    const [answers, others] = await Promise.all([Promise.all(copies), Promise.all(background)]);

    expect(others.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`).slice(0, 3)).toEqual([]);
    expect(answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const sendIds = new Set(answers.map((r) => r.body.sendId));
    expect(sendIds.size, 'every copy gets the first answer').toBe(1);
    expect(answers.every((r) => r.body.decision === 'allow')).toBe(true);

    const stored = await rows('select send_id as id from decision_log where sender_id = ? and send_id is not null', [sender]);
    expect(stored.map((r) => String(r.id))).toEqual([...sendIds]);
    // The log keeps the key with its one row; the answers table is built from the log off the decision path.
    expect(await rows('select count(*) as n from decision_log where sender_id = ? and idempotency_key is not null', [sender])).toEqual([expect.objectContaining({ n: 1 })]);
    await a.service.store.indexer.caughtUp();
    const kept = await rows('select count(*) as n from idempotency_keys where sender_id = ?', [sender]);
    expect(Number(kept[0].n)).toBe(1);
    // Indexed, the answer leaves both instances' memory (its provisional number placed when its batch
    // committed), and a retry to either is answered from the table.
    for (const instance of [a, b]) {
      await instance.service.store.indexer.caughtUp();
      await vi.waitFor(() => expect(instance.service.state.idempotency.find(sender, 'k-race-1', now.getTime())).toBeUndefined(), { timeout: 5000 });
    }
    for (const instance of [a, b]) {
      const retry = await instance.call('POST', '/v1/sends', { body, now });
      expect(retry.status).toBe(200);
      expect(retry.body.sendId).toBe([...sendIds][0]);
    }
    expect(await rows('select count(*) as n from decision_log where sender_id = ?', [sender])).toEqual([expect.objectContaining({ n: 1 })]);
    // A dry run that would be allowed reports the quota as if it were sent: the one stored send, plus itself.
    const check = await b.call('POST', '/v1/sends/check', { body: { senderId: sender, recipientIds: [recipient], text: 'used?' }, now });
    expect(check.body.decision).toBe('allow');
    expect(check.body.quota.daily.used).toBe(2);
  }, 120_000);

  it('the log indexes on the shared server (by account, pair history) hold every row once, whichever instance indexed it', async () => {
    const sender = 'ix-s';
    const recipients = await followers(sender, 4);
    // Twelve sends, alternating instances, so that both instances' indexer rounds find rows to index.
    for (let i = 0; i < 12; i++) {
      const res = await (i % 2 === 0 ? a : b).call('POST', '/v1/sends', { body: { senderId: sender, recipientIds: [recipients[i % 4]], text: `indexed ${i}` }, now });
      expect(res.body.decision).toBe('allow');
    }
    await Promise.all([a.service.store.indexer.caughtUp(), b.service.store.indexer.caughtUp()]);
    expect(await rows("select role, count(*) as n from decision_log_accounts where account_id = ? group by role", [sender]))
      .toEqual([expect.objectContaining({ role: 'sender', n: 12 })]);
    // Each recipient got three messages and wrote none back: its pair row counts three.
    const pairs = await rows('select recipient_id, sum(added) as added from conversation_pairs where sender_id = ? group by recipient_id order by recipient_id', [sender]);
    expect(pairs.map((r) => [String(r.recipient_id), Number(r.added)])).toEqual(recipients.map((r) => [r, 3]));
    const page = await b.call('GET', `/v1/decisions?sender=${sender}&limit=50`);
    expect(page.body.index.pending).toBe(0);
    expect(page.body.items).toHaveLength(12);
  }, 60_000);

  /** Polls `instance` with dry runs until `done(answer)`; returns the milliseconds it took. */
  const until = async (instance: TestService, sender: string, done: (answer: any) => boolean, limitMs = 2_000): Promise<number> => {
    const started = Date.now();
    for (;;) {
      const res = await instance.call('POST', '/v1/sends/check', { body: { senderId: sender, recipientIds: [`${sender}-r0`], text: 'which version?' }, now });
      expect(res.status).toBe(200);
      if (done(res.body)) return Date.now() - started;
      if (Date.now() - started > limitMs) throw new Error(`not reached within ${limitMs} ms; last answer: ${JSON.stringify(res.body.policy)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('a rollback on A reaches B within 2 s (default DM_POLICY_SYNC_MS 1000), and back', async () => {
    const sender = 'sync-s';
    await followers(sender, 1);
    await until(b, sender, (x) => x.policy.version === 'x-2023');

    const rolled = await a.call('POST', '/v1/policies/dm/rollback', { body: { version: 'twitter-2016', reason: 'scale test: sync' }, now });
    expect(rolled.status, JSON.stringify(rolled.body)).toBe(200);
    await until(a, sender, (x) => x.policy.version === 'twitter-2016', 0); // at once where it was made
    const reachedB = await until(b, sender, (x) => x.policy.version === 'twitter-2016');
    console.log(`rollback on A reached B after ${reachedB} ms`);

    const back = await b.call('POST', '/v1/policies/dm/rollback', { body: { version: 'x-2023', reason: 'scale test: sync back' }, now });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    await until(a, sender, (x) => x.policy.version === 'x-2023');
  }, 30_000);

  it('an experiment started on A reaches B within 2 s; stopping it too', async () => {
    const sender = 'exp-s';
    await followers(sender, 1);
    const started = await a.call('POST', '/v1/experiments', {
      body: { name: 'scale sync', arms: [{ name: 'old', version: 'twitter-2016', weight: 1 }] }, now,
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const reached = await until(b, sender, (x) => x.policy.arm === 'old' && x.policy.version === 'twitter-2016');
    console.log(`experiment start on A reached B after ${reached} ms`);

    const stopped = await a.call('POST', `/v1/experiments/${started.body.id}/stop`, { body: { reason: 'done' }, now });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    await until(b, sender, (x) => x.policy.arm === null && x.policy.version === 'x-2023');
  }, 30_000);
});

/**
 * DESIGN §4: "A retried request with the same `idempotencyKey` returns the first answer and counts
 * once." Checked against R10's count (x-2023, seed 000: "an account limit of 500 Direct Messages sent
 * per day"), through the real HTTP API. Where DESIGN is silent, a key is answered for a day
 * (server/decisions/idempotency.ts: idempotencyWindowMs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, hours, minutes, world, type SendInput } from '../../support/world.ts';
import { followedBy, post, send, storedSends } from './helpers.ts';

describe('idempotency keys on POST /v1/sends, x-2023', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('a retry with the same key returns the identical first answer and counts once', async () => {
    const input: SendInput = { senderId: 'idem-a', recipientIds: ['idem-a-r'], text: 'hello once', idempotencyKey: 'key-1' };
    await followedBy(s, 'idem-a', ['idem-a-r']);

    const first = await send(s, input, at(0));
    expect(first).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null });
    expect(first.sendId).toEqual(expect.any(String));
    expect(first.quota.daily).toMatchObject({ used: 1, remaining: 499 });

    const retry = await send(s, input, at(minutes(1)));
    expect(retry).toEqual(first);
    const later = await send(s, input, at(minutes(30)));
    expect(later).toEqual(first);
    expect(await storedSends(s, 'idem-a')).toBe(1);

    // The next distinct send sees one counted send before it, not three.
    const next = await send(s, { senderId: 'idem-a', recipientIds: ['idem-a-r'], text: 'another' }, at(minutes(31)));
    expect(next.quota.daily).toMatchObject({ used: 2, remaining: 498 });
  });

  it('the first answer is returned even when the state has changed since', async () => {
    const w = world(s);
    const input: SendInput = { senderId: 'idem-b', recipientIds: ['idem-b-r'], text: 'hi there', idempotencyKey: 'key-b' };
    const first = await send(s, input, at(0));
    expect(first).toMatchObject({ decision: 'request', reason: 'message_request', rule: 'inbox-setting' });
    await w.follow('idem-b-r', 'idem-b');
    expect(await send(s, input, at(minutes(1)))).toEqual(first);
    expect(await storedSends(s, 'idem-b')).toBe(1);
  });

  it('concurrent retries with the same key count once and all get the same answer', async () => {
    const input: SendInput = { senderId: 'idem-c', recipientIds: ['idem-c-r'], text: 'concurrent', idempotencyKey: 'key-c' };
    await followedBy(s, 'idem-c', ['idem-c-r']);
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(s, input, at(0))));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const first = responses[0].body;
    expect(first).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });
    expect(first.quota.daily.used).toBe(1);
    for (const r of responses) expect(r.body).toEqual(first);
    expect(await storedSends(s, 'idem-c')).toBe(1);
  });

  it('the same key with a different body is refused with 409 idempotency_key_reused', async () => {
    const input: SendInput = { senderId: 'idem-d', recipientIds: ['idem-d-r'], text: 'original', idempotencyKey: 'key-d' };
    await followedBy(s, 'idem-d', ['idem-d-r', 'idem-d-r2']);
    const first = await send(s, input, at(0));
    expect(first.decision).toBe('allow');
    const world = s.service.state.world;

    for (const changed of [{ ...input, text: 'changed' }, { ...input, recipientIds: ['idem-d-r2'] }, { ...input, channel: 'app' as const }]) {
      const res = await post(s, changed, at(minutes(1)));
      expect(res.status, JSON.stringify(changed)).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'idempotency_key_reused' });
    }
    expect(await storedSends(s, 'idem-d')).toBe(1);
    // Refused inside the writer, alone in its batch: the state was not rebuilt (a rebuild replaces it).
    expect(s.service.state.world).toBe(world);
    // The original body still gets its first answer.
    expect(await send(s, input, at(minutes(2)))).toEqual(first);
  });

  it('a retry that looked for its twin before the twin was decided, and runs after its answer left memory for the table, gets the first answer', async () => {
    const { writer, indexer } = s.service.store;
    const input: SendInput = { senderId: 'idem-g', recipientIds: ['idem-g-r'], text: 'raced', idempotencyKey: 'key-g' };
    await followedBy(s, 'idem-g', ['idem-g-r']);
    const { found } = s.service.decisions.figures().idempotencyLookups;
    // The writer held, so both requests look for the key (and miss) before either is decided…
    let open: (() => void) | undefined;
    const held = writer.write(() => new Promise<void>((resolve) => { open = resolve; }));
    await vi.waitFor(() => expect(open).toBeDefined());
    const first = post(s, input, at(0));
    await vi.waitFor(() => expect(writer.queued).toBe(1));
    // …and between their turns, the first's answer is indexed and let go from memory.
    const indexed = writer.alone(async () => {
      await indexer.caughtUp();
      await vi.waitFor(() => expect(s.service.state.idempotency.find('idem-g', 'key-g', at(0).getTime())).toBeUndefined());
    });
    const retry = post(s, input, at(minutes(1)));
    await vi.waitFor(() => expect(writer.queued).toBe(3));
    open!();
    const [a, , , b] = await Promise.all([first, held, indexed, retry]);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ decision: 'allow', reason: 'allowed' });
    expect(b.body).toEqual(a.body);
    expect(await storedSends(s, 'idem-g')).toBe(1);
    // Found in the table by the retry's job, inside the writer.
    expect(s.service.decisions.figures().idempotencyLookups.found).toBe(found + 1);
  });

  it('a check with a key records nothing', async () => {
    const input: SendInput = { senderId: 'idem-e', recipientIds: ['idem-e-r'], text: 'dry run', idempotencyKey: 'key-e' };
    await followedBy(s, 'idem-e', ['idem-e-r']);
    const checked = await post(s, input, at(0), '/v1/sends/check');
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, sendId: null });
    expect(await storedSends(s, 'idem-e')).toBe(0);

    // The key was not stored: an enforced send with it and another body is not a conflict…
    const other = await send(s, { ...input, text: 'a different text' }, at(minutes(1)));
    expect(other).toMatchObject({ decision: 'allow', reason: 'allowed' });
    expect(other.quota.daily.used).toBe(1);
    expect(other.sendId).toEqual(expect.any(String));
    expect(await storedSends(s, 'idem-e')).toBe(1);
  });
});

describe('idempotency keys whose first answer only the indexed table holds (a restart since)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-idem-'));
  const databaseUrl = `file:${join(dir, 'idem.db')}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a retry after a restart gets the first answer and counts once; another body with the key gets 409', async () => {
    const input: SendInput = { senderId: 'idem-f', recipientIds: ['idem-f-r'], text: 'before the restart', idempotencyKey: 'key-f' };
    const before = await startTestService({ preset: 'x-2023', databaseUrl });
    let first;
    try {
      await followedBy(before, 'idem-f', ['idem-f-r']);
      first = await send(before, input, at(0));
      expect(first).toMatchObject({ decision: 'allow', reason: 'allowed' });
      // Copied into the table: a restarted service holds in memory only the answers not yet copied.
      await before.service.store.indexer.caughtUp();
    } finally {
      await before.service.close();
    }
    const after = await startTestService({ preset: 'x-2023', databaseUrl });
    try {
      // A key never used is cleared by the filter of stored keys, with no look-up in the table…
      const fresh = await send(after, { ...input, text: 'after the restart', idempotencyKey: 'key-g' }, at(minutes(4)));
      expect(fresh).toMatchObject({ decision: 'allow', reason: 'allowed' });
      expect(after.service.decisions.figures().idempotencyLookups).toEqual({ skipped: 1, found: 0, absent: 0 });
      // …while the filter, read from the table at start, sends the old key's retry to the table.
      expect(await send(after, input, at(minutes(5)))).toEqual(first);
      expect(after.service.decisions.figures().idempotencyLookups).toEqual({ skipped: 1, found: 1, absent: 0 });
      expect(await storedSends(after, 'idem-f')).toBe(2);
      const reused = await post(after, { ...input, text: 'another body' }, at(minutes(6)));
      expect(reused.status).toBe(409);
      expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused' });
      expect(await storedSends(after, 'idem-f')).toBe(2);
    } finally {
      await after.service.close();
    }
  });
});

describe('idempotency keys are answered for a day', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });
  const day = hours(24);
  const storedAnswers = async (senderId: string) => Number((await s.service.store.db.get<{ n: number }>(
    sql`select count(*) as n from idempotency_keys where sender_id = ${senderId}`))!.n);

  it('a retry a millisecond before the day is over gets the first answer, from memory and from the table; one at the day\'s end is a new send', async () => {
    const input: SendInput = { senderId: 'idem-day', recipientIds: ['idem-day-r'], text: 'good morning', idempotencyKey: 'key-day' };
    await followedBy(s, 'idem-day', ['idem-day-r']);
    const first = await send(s, input, at(0));
    expect(first).toMatchObject({ decision: 'allow', reason: 'allowed' });
    expect(await send(s, input, at(day - 1))).toEqual(first);

    // Indexed and let go from memory: the table answers the same way.
    await s.service.store.indexer.caughtUp();
    await vi.waitFor(() => expect(s.service.state.idempotency.find('idem-day', 'key-day', at(0).getTime())).toBeUndefined());
    const { found } = s.service.decisions.figures().idempotencyLookups;
    expect(await send(s, input, at(day - 1))).toEqual(first);
    expect(s.service.decisions.figures().idempotencyLookups.found).toBe(found + 1);
    expect(await storedSends(s, 'idem-day')).toBe(1);

    // A day on, the key is a new send: decided again, counted again…
    const again = await send(s, input, at(day));
    expect(again).toMatchObject({ decision: 'allow', reason: 'allowed' });
    expect(again.sendId).not.toBe(first.sendId);
    expect(await storedSends(s, 'idem-day')).toBe(2);
    // …whose answer the key now gives, and whose body it now holds to.
    expect(await send(s, input, at(day + minutes(1)))).toEqual(again);
    const reused = await post(s, { ...input, text: 'another body' }, at(day + minutes(2)));
    expect(reused.status).toBe(409);
    expect(await storedSends(s, 'idem-day')).toBe(2);
  });

  it('the indexer drops the answers of the days before yesterday, by the log\'s latest time', async () => {
    const input: SendInput = { senderId: 'idem-old', recipientIds: ['idem-old-r'], text: 'long ago', idempotencyKey: 'key-old' };
    await followedBy(s, 'idem-old', ['idem-old-r']);
    await send(s, input, at(0));
    await s.service.store.indexer.caughtUp();
    expect(await storedAnswers('idem-old')).toBe(1);
    // The log reaches the next day: yesterday's answers stay (some are still given).
    await send(s, { senderId: 'idem-old', recipientIds: ['idem-old-r'], text: 'next day' }, at(day + hours(1)));
    await s.service.store.indexer.caughtUp();
    expect(await storedAnswers('idem-old')).toBe(1);
    // And the day after: none of the first day's is given any more, and they go.
    await send(s, { senderId: 'idem-old', recipientIds: ['idem-old-r'], text: 'two days on' }, at(2 * day));
    await s.service.store.indexer.caughtUp();
    expect(await storedAnswers('idem-old')).toBe(0);
  });
});

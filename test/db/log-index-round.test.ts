// The log indexer's rounds (db/log-index-round.cjs) on a real file, through its thread: the pair
// history a round folds from direct messages — in recorded order within a bucket, across buckets and
// across rounds — and the watermarks it leaves. Buckets of 4 log rows, so that one round crosses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openStore, type Store } from '../../db/client.ts';
import { runStatements } from '../../db/statements.ts';

const { roundStatements } = createRequire(import.meta.url)('../../db/log-index-round.cjs') as {
  roundStatements(bucketSize: number, rowsPerRound: number): { query: string; writes: string[] };
};

/** A log row of a direct message, with only what the indexer reads filled in. */
const direct = (seq: number, sender: string, recipient: string, decision: string) => ({
  text: `insert into decision_log (seq, id, at, sender_id, recipient_ids, kind, channel, decision, policy, version, fingerprints, text_length, request, facts)
    values (?1, ?2, ?3, ?4, ?5, 'direct', 'web', ?6, 'dm', 'x-2023', '[]', 0, '{}', '{}')`,
  params: [seq, `d${seq}`, seq * 1000, sender, JSON.stringify([recipient]), decision],
});

describe('a round of the log indexer', () => {
  let dir: string;
  let store: Store;
  const pairs = async () => (await store.client.execute(
    'select bucket, sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset from conversation_pairs order by 1, 2, 3',
  )).rows.map((row) => Array.from(row));
  const append = (...rows: ReturnType<typeof direct>[]) => store.writer.write((tx) => runStatements(tx, rows));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dm-policy-round-'));
    store = await openStore({ url: `file:${join(dir, 'r.db')}`, indexer: { bucketSize: 4, quietMs: 60_000 } });
    await store.indexer.caughtUp();
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds direct messages into each pair of each bucket: the last one sent, and how many since the last one back', async () => {
    await append(
      direct(1, 'x', 'y', 'allow'), direct(2, 'x', 'y', 'allow'), direct(3, 'y', 'x', 'allow'), // bucket 0
      direct(4, 'x', 'y', 'request'), direct(5, 'x', 'y', 'deny'), direct(6, 'y', 'z', 'allow'), // bucket 1; a denial delivers nothing
    );
    await store.indexer.caughtUp();
    expect(store.indexer.progress()).toMatchObject({ indexedThrough: 6, caughtUp: true });
    expect(await pairs()).toEqual([
      [0, 'x', 'y', 2000, 2, 0, 1], // y answered after x's two: none since, counted again from there
      [0, 'y', 'x', 3000, 3, 1, 1], // y's one, after x's (which started y's count again)
      [1, 'x', 'y', 4000, 4, 1, 0],
      [1, 'y', 'x', null, null, 0, 1],
      [1, 'y', 'z', 6000, 6, 1, 0],
      [1, 'z', 'y', null, null, 0, 1],
    ]);
  });

  it('adds a later round to the stored rows of the same bucket, and starts the next bucket\'s', async () => {
    await append(direct(7, 'y', 'x', 'allow'), direct(8, 'z', 'y', 'allow'));
    await store.indexer.caughtUp();
    expect(store.indexer.progress()).toMatchObject({ indexedThrough: 8 });
    expect(await pairs()).toEqual([
      [0, 'x', 'y', 2000, 2, 0, 1],
      [0, 'y', 'x', 3000, 3, 1, 1],
      [1, 'x', 'y', 4000, 4, 0, 1], // y answered: x's count starts again, its last message stays
      [1, 'y', 'x', 7000, 7, 1, 1], // reset in the earlier round, and one sent since
      [1, 'y', 'z', 6000, 6, 1, 0],
      [1, 'z', 'y', null, null, 0, 1],
      [2, 'y', 'z', null, null, 0, 1],
      [2, 'z', 'y', 8000, 8, 1, 0],
    ]);
    const marks = (await store.client.execute('select name, seq from log_index order by name')).rows.map((row) => Array.from(row));
    expect(marks).toEqual(['accounts', 'group_messages', 'groups', 'idempotency', 'minutes', 'pairs', 'shadows'].map((name) => [name, 8]));
  });

  it('counts on from a stored row that no message back has reset', async () => {
    await append(direct(9, 'z', 'y', 'allow'));
    await store.indexer.caughtUp();
    expect((await pairs()).filter(([bucket]) => bucket === 2)).toEqual([
      [2, 'y', 'z', null, null, 0, 1],
      [2, 'z', 'y', 9000, 9, 2, 0],
    ]);
  });

  it('writes nothing in a round that covers no log row (an idle instance on a server runs one a second)', async () => {
    const { writes } = roundStatements(4, 4096);
    const marks = async () => (await store.client.execute('select name, seq, updated_at from log_index order by name')).rows.map((row) => Array.from(row));
    const before = await marks();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const changes = await store.writer.write(async (tx) => {
      let total = 0;
      for (const text of writes) total += Number((await runStatements(tx, [{ text, params: [] }, { text: 'select changes()', params: [] }]))[1][0][0]);
      return total;
    });
    expect(changes).toBe(0);
    expect(await marks()).toEqual(before);
  });

  it('indexes each log row once: the log by account holds the sender and the recipient of every row', async () => {
    const accounts = await store.client.execute('select seq, account_id, role from decision_log_accounts order by seq, role');
    expect(accounts.rows.map((row) => Array.from(row))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((seq) => {
      const [sender, recipient] = { 3: ['y', 'x'], 6: ['y', 'z'], 7: ['y', 'x'], 8: ['z', 'y'], 9: ['z', 'y'] }[seq] ?? ['x', 'y'];
      return [[seq, recipient, 'recipient'], [seq, sender, 'sender']];
    }));
  });
});

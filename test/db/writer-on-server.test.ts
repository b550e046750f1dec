// The writer on a libSQL server (db/writer.ts with ServerWriteStream.oneShot), against a real sqld:
// another instance's decided batch (runForPeer) is sent beside this writer's own batches instead of
// waiting behind them, but never into a transaction of several round trips that is open on the
// same stream, where its BEGIN would fail.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.ts';
import type { Statement } from '../../db/statements.ts';
import { skipWithout } from '../support/prerequisite.ts';
import { findSqld, startSqld, type Sqld } from '../support/sqld.ts';

const binary = findSqld();
const skipped = skipWithout('test/db/writer-on-server.test.ts', binary.missing);
const title = skipped ? `the writer on a libSQL server — SKIPPED: ${binary.missing}` : 'the writer on a libSQL server';

const insert = (id: string): Statement => ({ text: 'insert into peer_rows values (?1)', params: [id] });
const count: Statement = { text: 'select count(*) from peer_rows', params: [] };

describe.skipIf(skipped)(title, () => {
  let server: Sqld;
  let store: Store;

  beforeAll(async () => {
    server = await startSqld();
    store = await openStore({ url: server.url.replace('http:', 'ws:') });
    await store.client.execute('create table peer_rows (id text primary key)');
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  const stored = async () => (await store.client.execute('select id from peer_rows order by id')).rows.map((r) => String(r.id));

  it("commits another instance's batch while one of its own is still being decided", async () => {
    let release!: () => void;
    const decidedLater = new Promise<void>((resolve) => { release = resolve; });
    const own = store.writer.write(async () => { await decidedLater; return 'own'; }, { inMemory: true, savepoint: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Held in the queue, it would wait for the batch above, which waits for this test: a timeout.
    expect(await store.writer.runForPeer([insert('a'), count])).toEqual([[], [[1]]]);
    release();
    expect(await own).toBe('own');
  });

  it("holds another instance's batch while a transaction of several round trips is open, then commits it", async () => {
    let release!: () => void;
    const heldOpen = new Promise<void>((resolve) => { release = resolve; });
    let began!: () => void;
    const open = new Promise<void>((resolve) => { began = resolve; });
    const holding = store.writer.write(async (tx) => {
      await tx.run(sql`insert into peer_rows values ('b')`);
      began();
      await heldOpen;
      return 'held';
    });
    await open;
    let answered = false;
    const peer = store.writer.runForPeer([insert('c'), count]).then((rows) => { answered = true; return rows; });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(false);
    release();
    expect(await holding).toBe('held');
    // Sent into the open transaction, its BEGIN would have failed; after it, it sees both rows.
    expect(await peer).toEqual([[], [[3]]]);
    expect(await stored()).toEqual(['a', 'b', 'c']);
  });
});

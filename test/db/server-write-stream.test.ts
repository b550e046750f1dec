// The writer's kept stream to a libSQL server (db/server-write-stream.ts), against a real sqld: what
// a transaction commits is stored, what one that failed wrote is not, and the stream a failure left
// behind never serves the next transaction.
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerWriteStream } from '../../db/server-write-stream.ts';
import { skipWithout } from '../support/prerequisite.ts';
import { findSqld, startSqld, type Sqld } from '../support/sqld.ts';

const binary = findSqld();
const skipped = skipWithout('test/db/server-write-stream.test.ts', binary.missing);
const title = skipped ? `the writer's kept stream — SKIPPED: ${binary.missing}` : "the writer's kept stream";

describe.skipIf(skipped)(title, () => {
  let server: Sqld;
  let reader: Client;
  let kept: ServerWriteStream;

  beforeAll(async () => {
    server = await startSqld();
    reader = createClient({ url: server.url });
    await reader.execute('create table t (id text primary key)');
    kept = new ServerWriteStream(server.url.replace('http:', 'ws:'));
  }, 60_000);
  afterAll(async () => {
    kept?.drop();
    reader?.close();
    await server?.stop();
  });

  const stored = async () => (await reader.execute('select id from t order by id')).rows.map((r) => String(r.id));

  it('commits a transaction, and one whose COMMIT rode with its last statements', async () => {
    const first = await kept.transaction();
    await first.batch([{ sql: 'insert into t values (?)', args: ['a'] }]);
    await first.commit();
    const second = await kept.transaction();
    await second.batch([{ sql: 'insert into t values (?)', args: ['b'] }, 'COMMIT']);
    second.close(true);
    expect(await stored()).toEqual(['a', 'b']);
  });

  it('stores nothing of a transaction that failed, nor of one rolled back, and the next transaction works', async () => {
    const failing = await kept.transaction();
    await failing.execute({ sql: 'insert into t values (?)', args: ['c'] });
    await expect(failing.batch([{ sql: 'insert into t values (?)', args: ['d'] }, { sql: 'insert into t values (?)', args: ['a'] }]))
      .rejects.toThrow(/UNIQUE|constraint/i);
    await failing.rollback();
    const abandoned = await kept.transaction();
    await abandoned.execute({ sql: 'insert into t values (?)', args: ['e'] });
    // Closed without COMMIT or ROLLBACK (a writer that threw): the stream is dropped, its transaction with it.
    abandoned.close();
    const next = await kept.transaction();
    await next.execute({ sql: 'insert into t values (?)', args: ['f'] });
    await next.commit();
    expect(await stored()).toEqual(['a', 'b', 'f']);
  });

  it('refuses statements after the transaction closed', async () => {
    const tx = await kept.transaction();
    await tx.commit();
    await expect(tx.execute('select 1')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  });
});

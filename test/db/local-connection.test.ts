// The writer's own connection to a local file (db/local-connection.ts): parameters reach the driver
// as one array, whether db/statements.ts passes its array or drizzle passes them one by one, and a
// boolean is bound as 0/1 either way (the driver would abort the whole process on one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openLocalConnection, type LocalConnection } from '../../db/local-connection.ts';
import { queryRows, runStatements } from '../../db/statements.ts';

describe('the local connection', () => {
  let dir: string;
  let local: LocalConnection;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dm-policy-local-'));
    local = openLocalConnection(join(dir, 'l.db'), { busyTimeoutMs: 1000, synchronous: 'normal' });
    local.native.exec('create table t (a, b, c)');
  });
  afterAll(() => {
    local.native.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = () => queryRows(local.db, 'select a, b, c from t order by rowid', []);

  it('binds an array of parameters in order, booleans as 0 and 1', async () => {
    const params = [1, 'one', true, 2, 'two', false];
    const results = await runStatements(local.db, [
      { text: 'insert into t (a, b, c) values (?1, ?2, ?3), (?4, ?5, ?6)', params },
      { text: 'select count(*) from t where c = ?1', params: [true] },
    ]);
    expect(results[1]).toEqual([[1]]);
    expect(await rows()).toEqual([[1, 'one', 1], [2, 'two', 0]]);
    // The caller's statement is left as it was given.
    expect(params).toEqual([1, 'one', true, 2, 'two', false]);
  });

  it('binds parameters given one by one (drizzle), a blob among them, booleans as 0 and 1', async () => {
    const blob = Buffer.from([1, 2, 3]);
    await local.db.run(sql`insert into t (a, b, c) values (${3}, ${blob}, ${true})`);
    const [, , last] = await rows();
    expect(last[0]).toBe(3);
    expect(Buffer.from(last[1] as ArrayBuffer)).toEqual(blob);
    expect(last[2]).toBe(1);
  });
});

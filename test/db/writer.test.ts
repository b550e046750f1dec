// The single writer (DESIGN §5): a job's failure undoes its own writes only, whether it ran alone
// in its transaction or beside others, and the others are committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../../db/client.ts';
import { accounts } from '../../db/schema.ts';

describe('writer', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dm-policy-writer-'));
    store = await openStore({ url: `file:${join(dir, 'w.db')}` });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const exists = async (id: string) => (await store.db.all(sql`select 1 from accounts where id = ${id}`)).length === 1;
  const insert = (id: string) => store.writer.write((tx) => tx.insert(accounts).values({ id, updatedAt: 1 }));
  const insertThenFail = (id: string) => store.writer.write(async (tx) => {
    await tx.insert(accounts).values({ id, updatedAt: 1 });
    throw new Error(`job ${id} failed`);
  });

  it('undoes a lone job that fails after writing', async () => {
    await expect(insertThenFail('lone')).rejects.toThrow('job lone failed');
    expect(await exists('lone')).toBe(false);
  });

  it('undoes only the failing job of a batch and commits the others', async () => {
    const results = await Promise.allSettled([insert('a1'), insertThenFail('a2'), insert('a3')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect([await exists('a1'), await exists('a2'), await exists('a3')]).toEqual([true, false, true]);
  });
});

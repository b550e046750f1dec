// The single writer (DESIGN §5): a job's failure undoes its own writes only, whether it ran alone
// in its transaction or beside others, and the others are committed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from '../../db/client.ts';
import { accounts } from '../../db/schema.ts';
import type { BatchStateKind } from '../../db/writer.ts';

class ClientMistake extends Error {}

describe('writer', () => {
  let store: Store;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dm-policy-writer-'));
    store = await openStore({ url: `file:${join(dir, 'w.db')}`, isClientError: (e) => e instanceof ClientMistake });
  });
  afterAll(async () => {
    await store.close();
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

  describe('jobs without a savepoint', () => {
    const bare = { savepoint: false };

    it('a client error thrown before writing leaves the rest of the batch to commit', async () => {
      const results = await Promise.allSettled([
        store.writer.write((tx) => tx.insert(accounts).values({ id: 'b1', updatedAt: 1 }), bare),
        store.writer.write(async () => { throw new ClientMistake('refused'); }, bare),
        store.writer.write((tx) => tx.insert(accounts).values({ id: 'b3', updatedAt: 1 }), bare),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect([await exists('b1'), await exists('b3')]).toEqual([true, true]);
    });

    it('a client error thrown by a job alone in its batch restores nothing in memory', async () => {
      let rollbacks = 0;
      store.writer.onRollback(() => { rollbacks++; });
      await expect(store.writer.write(async () => { throw new ClientMistake('refused alone'); }, bare)).rejects.toThrow('refused alone');
      expect(rollbacks).toBe(0);
      // The same mistake from a job that would have had a savepoint, after a write: alone, it ran
      // without one, so its transaction rolls back — with nothing in memory to restore.
      await expect(store.writer.write(async (tx) => {
        await tx.insert(accounts).values({ id: 'refused-lone', updatedAt: 1 });
        throw new ClientMistake('refused, savepoint');
      })).rejects.toThrow('refused, savepoint');
      expect(await exists('refused-lone')).toBe(false);
      expect(rollbacks).toBe(0);
      // Any other error from a lone job, with a savepoint or without, may have left memory ahead: restored.
      await expect(insertThenFail('lone-again')).rejects.toThrow('job lone-again failed');
      expect(rollbacks).toBe(1);
      await expect(store.writer.write(async (tx) => {
        await tx.insert(accounts).values({ id: 'bare-lone', updatedAt: 1 });
        throw new Error('disk on fire');
      }, bare)).rejects.toThrow('disk on fire');
      expect(rollbacks).toBe(2);
      expect(await exists('bare-lone')).toBe(false);
    });

    it('any other error fails the whole batch: nothing of it is committed, every job that ran is refused, the ones after it run in the next batch', async () => {
      const results = await Promise.allSettled([
        store.writer.write((tx) => tx.insert(accounts).values({ id: 'c1', updatedAt: 1 }), bare),
        store.writer.write(async (tx) => {
          await tx.insert(accounts).values({ id: 'c2', updatedAt: 1 });
          throw new Error('disk on fire');
        }, bare),
        store.writer.write((tx) => tx.insert(accounts).values({ id: 'c3', updatedAt: 1 })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
      expect([await exists('c1'), await exists('c2'), await exists('c3')]).toEqual([false, false, true]);
    });
  });

  describe('batch state', () => {
    const ids: BatchStateKind<string[]> = {
      create: () => [],
      statements: (collected) => [{ text: 'insert into accounts (id, updated_at) values (?1, 1)', params: [collected.join('+')] }],
    };

    it('is shared by the jobs of one batch and written once before it commits', async () => {
      const job = (id: string) => store.writer.write(async () => { store.writer.batchState(ids).push(id); });
      await Promise.all([job('s1'), job('s2'), job('s3')]);
      expect(await exists('s1+s2+s3')).toBe(true);
    });

    it('is dropped with a batch that rolls back', async () => {
      const failing = store.writer.write(async () => {
        store.writer.batchState(ids).push('lost');
        throw new Error('boom');
      }, { savepoint: false });
      await expect(failing).rejects.toThrow('boom');
      await store.writer.write(async () => { store.writer.batchState(ids).push('kept'); });
      expect([await exists('lost'), await exists('kept')]).toEqual([false, true]);
    });
  });

  describe('a job alone (an import writing through a thread of its own)', () => {
    it('runs once the jobs before it committed, with no transaction open, and holds the jobs after it until it ends', async () => {
      const order: string[] = [];
      const before = store.writer.write(async (tx) => { await tx.insert(accounts).values({ id: 'before-alone', updatedAt: 1 }); order.push('before'); });
      const alone = store.writer.alone(async () => {
        order.push(`alone saw before: ${await exists('before-alone')}`);
        // Another connection takes the write lock and commits: the writer's own holds no transaction.
        await store.client.batch(["insert into accounts (id, updated_at) values ('alone', 1)"], 'write');
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push('alone');
        return 'done';
      });
      const after = store.writer.write(async () => { order.push('after'); });
      expect(await alone).toBe('done');
      await Promise.all([before, after]);
      expect(order).toEqual(['before', 'alone saw before: true', 'alone', 'after']);
      expect(await exists('alone')).toBe(true);
    });

    it('that fails brings the in-memory state back: the rollback listeners run, and the writer goes on', async () => {
      let restored = 0;
      store.writer.onRollback(() => { restored++; });
      await expect(store.writer.alone(async () => { throw new Error('the import failed'); })).rejects.toThrow('the import failed');
      expect(restored).toBe(1);
      await insert('after-failed-alone');
      expect(await exists('after-failed-alone')).toBe(true);
    });
  });
});

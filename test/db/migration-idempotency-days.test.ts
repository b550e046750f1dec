/**
 * Migration 0007 (db/migrations/0007_idempotency_keys_for_a_day.sql) on a database made by 0000–0006
 * whose log holds keyed decisions of several days: the keys the indexer had copied in the last two
 * days are pointed at their log rows, and the table of copied answers is gone (a key is answered for a
 * day: server/decisions/idempotency.ts).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';

const migrations = fileURLToPath(new URL('../../db/migrations', import.meta.url));
const dayMs = 86_400_000;

describe('migration 0007: idempotency keys by day, pointing at their log rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-migration-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the last two days of the keys the indexer had copied, and drops the copied answers', async () => {
    // The migrations up to 0006, as a database made before this one has them.
    const before = join(dir, 'before');
    cpSync(migrations, before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.filter((e) => !e.tag.startsWith('0007_'));
    writeFileSync(journalPath, JSON.stringify(journal));

    const client = createClient({ url: `file:${join(dir, 'old.db')}` });
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: before });
      const day = Math.floor(Date.parse('2026-03-05T00:00:00Z') / dayMs);
      // Seq 1–4 keyed on four days, seq 5 unkeyed, seq 6 keyed but not yet copied by the indexer.
      const rows = [[1, day - 3, 'k-old'], [2, day - 2, 'k-older'], [3, day - 1, 'k-yesterday'], [4, day, 'k-today'], [5, day, null], [6, day, 'k-unindexed']] as const;
      for (const [seq, d, key] of rows) {
        const at = d * dayMs + 3_600_000 + seq;
        await client.execute({
          sql: `insert into decision_log (seq, id, at, sender_id, recipient_ids, kind, channel, decision, policy, version, fingerprints, text_length, request, facts,
            idempotency_key, request_hash, response) values (?, ?, ?, 'a1', '["b1"]', 'direct', 'web', 'allow', 'dm', 'x-2023', '[]', 0, '{}', '{}', ?, ?, ?)`,
          args: [seq, `d${seq}`, at, key, key && `hash-${key}`, key && `{"key":"${key}"}`],
        });
        if (key && seq <= 4) {
          await client.execute({ sql: 'insert into idempotent_responses (key, sender_id, request_hash, response, created_at) values (?, ?, ?, ?, ?)',
            args: [key, 'a1', `hash-${key}`, `{"key":"${key}"}`, at] });
        }
      }
      await client.execute("update log_index set seq = 5 where name = 'idempotency'");

      await migrate(db, { migrationsFolder: migrations });
      const keys = (await client.execute('select day, sender_id, key, created_at, seq from idempotency_keys order by day, key')).rows.map((r) => Array.from(r));
      expect(keys).toEqual([
        [day - 1, 'a1', 'k-yesterday', (day - 1) * dayMs + 3_600_000 + 3, 3],
        [day, 'a1', 'k-today', day * dayMs + 3_600_000 + 4, 4],
      ]);
      const tables = (await client.execute("select name from sqlite_master where type = 'table' and name like 'idempotent%'")).rows;
      expect(tables).toEqual([]);
      // Keyed by (day, sender, key): the same key on another day is an entry of its own, the same day's is refused.
      const insert = 'insert into idempotency_keys (day, sender_id, key, created_at, seq) values (?, ?, ?, ?, ?)';
      await client.execute({ sql: insert, args: [day + 1, 'a1', 'k-today', (day + 1) * dayMs, 7] });
      await expect(client.execute({ sql: insert, args: [day + 1, 'a1', 'k-today', (day + 1) * dayMs, 8] })).rejects.toThrow(/UNIQUE/);
    } finally {
      client.close();
    }
  });
});

/**
 * Migration 0007 (db/migrations/0007_idempotency_keys_for_a_day.sql) on a database made by 0000–0006
 * that holds answers of several days: the table is keyed by day from then on, and only the last two
 * days' answers are kept (a key is answered for a day: server/decisions/idempotency.ts).
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

describe('migration 0007: idempotent answers by day', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-migration-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keys the stored answers by their day and keeps the last two days of them', async () => {
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
      const answers = [[day - 3, 'k-old'], [day - 2, 'k-older-still'], [day - 1, 'k-yesterday'], [day, 'k-today']] as const;
      for (const [d, key] of answers) {
        await client.execute({ sql: 'insert into idempotent_responses (key, sender_id, request_hash, response, created_at) values (?, ?, ?, ?, ?)',
          args: [key, 'a1', `hash-${key}`, `{"key":"${key}"}`, d * dayMs + 3_600_000] });
      }

      await migrate(db, { migrationsFolder: migrations });
      const rows = (await client.execute('select day, sender_id, key, request_hash, response, created_at from idempotent_responses order by day')).rows
        .map((r) => Array.from(r));
      expect(rows).toEqual([
        [day - 1, 'a1', 'k-yesterday', 'hash-k-yesterday', '{"key":"k-yesterday"}', (day - 1) * dayMs + 3_600_000],
        [day, 'a1', 'k-today', 'hash-k-today', '{"key":"k-today"}', day * dayMs + 3_600_000],
      ]);
      // Keyed by (day, sender, key): the same key on another day is a row of its own.
      await client.execute({ sql: 'insert into idempotent_responses (day, key, sender_id, request_hash, response, created_at) values (?, ?, ?, ?, ?, ?)',
        args: [day + 1, 'k-today', 'a1', 'h', '{}', (day + 1) * dayMs] });
      await expect(client.execute({ sql: 'insert into idempotent_responses (day, key, sender_id, request_hash, response, created_at) values (?, ?, ?, ?, ?, ?)',
        args: [day + 1, 'k-today', 'a1', 'h', '{}', (day + 1) * dayMs] })).rejects.toThrow(/UNIQUE/);
    } finally {
      client.close();
    }
  });
});

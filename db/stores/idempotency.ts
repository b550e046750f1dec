/** Answers to requests that carried an idempotency key, as the log indexer stored them (db/log-indexer.ts). */
import type { Executor } from '../executor.ts';
import { queryOne } from '../statements.ts';
import { scanTable } from './world-history.ts';

/** The table keys answers by their UTC day (db/schema.ts). */
const dayMs = 86_400_000;

export interface StoredResponse {
  requestHash: string;
  /** The first answer, as JSON text. */
  response: string;
}

/**
 * The first answer to `key` from `senderId` still answered at `now`: given after `now - windowMs`.
 * The table keys answers by their UTC day; a live one is in `now`'s day or the day before (or, on a
 * clock set back, the day after): three seeks.
 */
export async function findIdempotentResponse(db: Executor, senderId: string, key: string, now: number, windowMs: number): Promise<StoredResponse | null> {
  const row = await queryOne<{ request_hash: string; response: string }>(db, `select request_hash, response from idempotent_responses
    where day in (?1 - 1, ?1, ?1 + 1) and sender_id = ?2 and key = ?3 and created_at > ?4 order by created_at desc limit 1`,
  [Math.floor(now / dayMs), senderId, key, now - windowMs]);
  return row ? { requestHash: row.request_hash, response: String(row.response) } : null;
}

/** How many answers are stored. */
export async function countStoredKeys(db: Executor): Promise<number> {
  const row = await queryOne<{ n: number }>(db, 'select count(*) as n from idempotent_responses', []);
  return Number(row?.n ?? 0);
}

/** Every stored (sender, key) with when it was answered, in pages: what a start tells server/decisions/stored-keys.ts. */
export async function scanStoredKeys(db: Executor, visit: (senderId: string, key: string, at: number) => void): Promise<number> {
  return scanTable(db, 'idempotent_responses', 'sender_id, key, created_at', ([, senderId, key, at]) => visit(String(senderId), String(key), Number(at)));
}

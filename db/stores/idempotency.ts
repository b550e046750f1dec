/**
 * Where the answers to requests that carried an idempotency key are: the log indexer (db/log-indexer.ts)
 * points each key at its decision log row, which holds the request's hash and the answer.
 */
import type { Executor } from '../executor.ts';
import { queryOne } from '../statements.ts';
import { scanByKey } from './world-history.ts';

export interface StoredResponse {
  requestHash: string;
  /** The first answer, as JSON text. */
  response: string;
}

/** The table keys answers by their UTC day (db/schema.ts). */
const dayMs = 86_400_000;

/**
 * The first answer to `key` from `senderId` still given at `now`: answered after `now - windowMs`.
 * A live one is in `now`'s day or the day before (or, on a clock set back, the day after): three
 * seeks, then its log row by its number. A key whose row was pruned has no answer any more.
 */
export async function findIdempotentResponse(db: Executor, senderId: string, key: string, now: number, windowMs: number): Promise<StoredResponse | null> {
  const row = await queryOne<{ request_hash: string; response: string }>(db, `select l.request_hash, l.response
    from idempotency_keys k join decision_log l on l.seq = k.seq
    where k.day in (?1 - 1, ?1, ?1 + 1) and k.sender_id = ?2 and k.key = ?3 and k.created_at > ?4 order by k.created_at desc limit 1`,
  [Math.floor(now / dayMs), senderId, key, now - windowMs]);
  return row ? { requestHash: row.request_hash, response: String(row.response) } : null;
}

/** How many keys are stored. */
export async function countStoredKeys(db: Executor): Promise<number> {
  const row = await queryOne<{ n: number }>(db, 'select count(*) as n from idempotency_keys', []);
  return Number(row?.n ?? 0);
}

/** Every stored (sender, key) with when it was answered, in the table's order: what a start tells server/decisions/stored-keys.ts. */
export function scanStoredKeys(db: Executor, visit: (senderId: string, key: string, at: number) => void): Promise<number> {
  return scanByKey(db, 'idempotency_keys', ['day', 'sender_id', 'key'], 'day, sender_id, key, created_at',
    ([, senderId, key, at]) => visit(String(senderId), String(key), Number(at)));
}

/** Answers to requests that carried an idempotency key, as the log indexer stored them (db/log-indexer.ts). */
import type { Executor } from '../executor.ts';
import { queryOne } from '../statements.ts';
import { scanTable } from './world-history.ts';

export interface StoredResponse {
  requestHash: string;
  /** The first answer, as JSON text. */
  response: string;
}

export async function findIdempotentResponse(db: Executor, senderId: string, key: string): Promise<StoredResponse | null> {
  const row = await queryOne<{ request_hash: string; response: string }>(db, 'select request_hash, response from idempotent_responses where sender_id = ?1 and key = ?2', [senderId, key]);
  return row ? { requestHash: row.request_hash, response: String(row.response) } : null;
}

/** How many answers are stored. */
export async function countStoredKeys(db: Executor): Promise<number> {
  const row = await queryOne<{ n: number }>(db, 'select count(*) as n from idempotent_responses', []);
  return Number(row?.n ?? 0);
}

/** Every stored (sender, key), in pages: what a start tells server/decisions/stored-keys.ts. */
export async function scanStoredKeys(db: Executor, visit: (senderId: string, key: string) => void): Promise<number> {
  return scanTable(db, 'idempotent_responses', 'sender_id, key', ([, senderId, key]) => visit(String(senderId), String(key)));
}

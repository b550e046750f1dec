/** Answers to requests that carried an idempotency key, as the log indexer stored them (db/log-indexer.ts). */
import type { Executor } from '../executor.ts';
import { queryOne } from '../statements.ts';

export interface StoredResponse {
  requestHash: string;
  /** The first answer, as JSON text. */
  response: string;
}

export async function findIdempotentResponse(db: Executor, senderId: string, key: string): Promise<StoredResponse | null> {
  const row = await queryOne<{ request_hash: string; response: string }>(db, 'select request_hash, response from idempotent_responses where sender_id = ?1 and key = ?2', [senderId, key]);
  return row ? { requestHash: row.request_hash, response: String(row.response) } : null;
}

/**
 * Idempotency keys: a retried request with the same key gets the first answer and counts once.
 * Answers are in the decision log's rows; the log indexer copies them into a table searched by
 * (sender, key). The answers it has not copied yet are held here, so every key is found: in memory
 * first, then in the table — unless the filter of stored keys says the table can't have it.
 */
import { createHash } from 'node:crypto';
import type { SendRequest } from './request.ts';
import type { StoredKeys } from './stored-keys.ts';

interface Remembered {
  seq: number;
  requestHash: string;
  response: string;
  /** When it was recorded (server clock): a forgotten answer stays a while past its indexing, see forgetIndexed. */
  recordedAt: number;
}

export class IdempotencyMemory {
  private readonly byKey = new Map<string, Remembered>();

  /**
   * `stored`: kept across rebuilds (it only gains keys), so every answer remembered here is in it.
   * `graceMs`: how long an answer stays after the table has it (forgetIndexed).
   */
  constructor(private readonly stored: StoredKeys, private readonly graceMs: number) {}

  find(senderId: string, key: string): Remembered | undefined {
    return this.byKey.get(keyOf(senderId, key));
  }

  remember(senderId: string, key: string, seq: number, requestHash: string, response: string, recordedAt = Date.now()): void {
    this.byKey.set(keyOf(senderId, key), { seq, requestHash, response, recordedAt });
    this.stored.add(senderId, key);
  }

  /** False if the indexed table can't hold an answer for the key: a look-up there would find nothing. */
  mayBeStored(senderId: string, key: string): boolean {
    return this.stored.mayHold(senderId, key);
  }

  /**
   * The table now holds every answer up to `seq`; they are kept `graceMs` longer. A request that
   * missed both here and in the table before it queued must still find its twin when it runs: on a
   * local file it looks in the table again then (no grace needed, so memory holds only what the
   * indexer has not copied); where instances share a server it doesn't, and answers numbered before
   * their batch committed keep provisional numbers, so there they stay minutes (see LiveState).
   */
  forgetIndexed(seq: number, now = Date.now()): void {
    // Kept in the order they were recorded: the first one that must stay ends the sweep.
    for (const [key, entry] of this.byKey) {
      if (entry.seq > seq || entry.recordedAt > now - this.graceMs) return;
      this.byKey.delete(key);
    }
  }

  get size(): number {
    return this.byKey.size;
  }
}

const keyOf = (senderId: string, key: string) => `${senderId}\u0000${key}`;

/** Identifies a request for idempotency: the same key with another body is a client error. */
export function hashRequest(request: SendRequest): string {
  const { trace: _trace, ...significant } = request;
  return createHash('sha256').update(JSON.stringify(significant)).digest('hex');
}

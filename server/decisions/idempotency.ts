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

/** How long an answer stays in memory after the table has it: longer than a request waits for the writer. */
const graceMs = 5 * 60_000;

export class IdempotencyMemory {
  private readonly byKey = new Map<string, Remembered>();

  /** `stored`: kept across rebuilds (it only gains keys), so every answer remembered here is in it. */
  constructor(private readonly stored: StoredKeys) {}

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
   * The table now holds every answer up to `seq`. They are kept a grace period longer: a request
   * that missed both here and in the table before it queued must still find its twin when it runs.
   */
  forgetIndexed(seq: number, now = Date.now()): void {
    // Kept in the order they were recorded: the first one that must stay ends the sweep.
    for (const [key, entry] of this.byKey) {
      if (entry.seq > seq || entry.recordedAt >= now - graceMs) return;
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

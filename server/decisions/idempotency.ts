/**
 * Idempotency keys: a retried request with the same key gets the first answer and counts once, for a
 * day after that answer (idempotencyWindowMs). Answers are in the decision log's rows; the log indexer
 * points each key at its row in a table searched by (day, sender, key). The answers it has not indexed
 * yet are held here, so every key is found: in memory first, then through the table — unless the
 * filter of stored keys says the table can't have it.
 */
import { createHash } from 'node:crypto';
import type { SendRequest } from './request.ts';
import type { StoredKeys } from './stored-keys.ts';

/**
 * How long a key's first answer is given again: a day, as payment APIs keep theirs — a retry comes
 * within seconds or minutes, and a key kept for ever grew the table, the filter of stored keys and
 * the start's read of it with every keyed send. A key used again later is a new send.
 */
export const idempotencyWindowMs = 24 * 60 * 60 * 1000;

/** Whether an answer given at `at` is still the key's answer at `now`. */
const answeredWithin = (at: number, now: number) => now - at < idempotencyWindowMs;

interface Remembered {
  /** Its log row's sequence number; provisional until `placed` (see place). */
  seq: number;
  /** When it was answered. */
  at: number;
  placed: boolean;
  requestHash: string;
  response: string;
}

export class IdempotencyMemory {
  private readonly byKey = new Map<string, Remembered>();
  /** Answers remembered at provisional sequence numbers, not yet placed. */
  private unplaced: Remembered[] = [];

  /** `stored`: kept across rebuilds, so every answer remembered here is in it (until its day is over). */
  constructor(private readonly stored: StoredKeys) {}

  /** The key's answer still given at `now`, if memory holds it. */
  find(senderId: string, key: string, now: number): Remembered | undefined {
    const entry = this.byKey.get(keyOf(senderId, key));
    return entry !== undefined && answeredWithin(entry.at, now) ? entry : undefined;
  }

  /**
   * `provisional`: `seq` is not yet the row's (a batch decided before its transaction, where
   * instances share a server): the answer stays until place() has moved it to its recorded place.
   */
  remember(senderId: string, key: string, seq: number, at: number, requestHash: string, response: string, provisional = false): void {
    const entry: Remembered = { seq, at, placed: !provisional, requestHash, response };
    const id = keyOf(senderId, key);
    // A key answered again once its day was over: the new answer goes last, where forgetIndexed's
    // sweep in recorded order expects it (a Map keeps a replaced entry's place).
    this.byKey.delete(id);
    this.byKey.set(id, entry);
    if (provisional) this.unplaced.push(entry);
    this.stored.add(senderId, key, at);
  }

  /** The answers remembered at provisional numbers were recorded `shift` places further on (LiveState.placeDecided). */
  place(shift: number): void {
    for (const entry of this.unplaced) {
      entry.seq += shift;
      entry.placed = true;
    }
    this.unplaced = [];
  }

  /** An empty memory with the same filter of stored keys: a rebuild's. */
  afresh(): IdempotencyMemory {
    return new IdempotencyMemory(this.stored);
  }

  /** The filter of stored keys: how many keys it holds, and its bytes. */
  get storedKeys(): { keys: number; bytes: number } {
    return this.stored.size;
  }

  /** False if the indexed table can't hold an answer for the key: a look-up there would find nothing. */
  mayBeStored(senderId: string, key: string): boolean {
    return this.stored.mayHold(senderId, key);
  }

  /**
   * The table now holds every answer up to `seq`: memory lets them go. A request that missed both
   * here and in the table before it queued looks in the table again when its writer job runs
   * (DecisionService), so memory holds only what the indexer has not copied. An answer at a
   * provisional number stays until it is placed.
   */
  forgetIndexed(seq: number): void {
    // Kept in the order they were recorded: the first one that must stay ends the sweep.
    for (const [key, entry] of this.byKey) {
      if (!entry.placed || entry.seq > seq) return;
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

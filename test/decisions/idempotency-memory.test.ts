/**
 * The answers of idempotency keys that the log indexer has not copied yet (server/decisions/idempotency.ts):
 * given again for a day after they were answered, then no more.
 */
import { describe, expect, it } from 'vitest';
import { IdempotencyMemory, idempotencyWindowMs } from '../../server/decisions/idempotency.ts';
import { StoredKeys } from '../../server/decisions/stored-keys.ts';

describe('IdempotencyMemory', () => {
  const answeredAt = Date.parse('2026-03-02T10:00:00.000Z');

  it('gives an answer until a millisecond before its day is over, not at its end', () => {
    const memory = new IdempotencyMemory(new StoredKeys());
    memory.remember('s', 'k', 7, answeredAt, 'hash', '{"decision":"allow"}');
    expect(memory.find('s', 'k', answeredAt)).toMatchObject({ seq: 7, response: '{"decision":"allow"}' });
    expect(memory.find('s', 'k', answeredAt + idempotencyWindowMs - 1)).toMatchObject({ seq: 7 });
    expect(memory.find('s', 'k', answeredAt + idempotencyWindowMs)).toBeUndefined();
    expect(memory.find('other', 'k', answeredAt)).toBeUndefined();
  });

  it('a key answered again after its day gives the new answer, which leaves memory in recorded order', () => {
    const memory = new IdempotencyMemory(new StoredKeys());
    memory.remember('s', 'k', 1, answeredAt, 'h1', 'first');
    memory.remember('s', 'other', 2, answeredAt + 1, 'h2', 'other');
    const later = answeredAt + idempotencyWindowMs;
    memory.remember('s', 'k', 3, later, 'h3', 'again');
    expect(memory.find('s', 'k', later)).toMatchObject({ seq: 3, response: 'again' });
    // Indexed through 2: the answer at 2 goes, the one at 3 stays.
    memory.forgetIndexed(2);
    expect(memory.find('s', 'other', answeredAt + 1)).toBeUndefined();
    expect(memory.find('s', 'k', later)).toMatchObject({ seq: 3 });
    expect(memory.size).toBe(1);
  });
});

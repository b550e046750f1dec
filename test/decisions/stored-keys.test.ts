/**
 * The filter of stored idempotency keys (server/decisions/stored-keys.ts): it may say "maybe" for a
 * key never added (rarely), never "no" for one added and still answered — across its growth in
 * layers, and as layers whose keys are all past their day go.
 */
import { describe, expect, it } from 'vitest';
import { idempotencyWindowMs } from '../../server/decisions/idempotency.ts';
import { StoredKeys } from '../../server/decisions/stored-keys.ts';

const senderOf = (i: number) => `sender-${i % 9973}`;
const keyOf = (i: number) => `key-${i.toString(36)}-${(i * 2654435761) % 1000003}`;

/** Of `count` keys never added (numbered past `from`), the share the filter says it may hold. */
function falseMaybes(filter: StoredKeys, from: number, count: number): number {
  let maybe = 0;
  for (let i = from; i < from + count; i++) if (filter.mayHold(senderOf(i), keyOf(i))) maybe++;
  return maybe / count;
}

describe('StoredKeys', () => {
  it('an empty filter holds nothing', () => {
    const filter = new StoredKeys();
    expect(falseMaybes(filter, 0, 10_000)).toBe(0);
  });

  it('never says "no" for a key added, and rarely "maybe" for one not, while its first layer fills', () => {
    const filter = new StoredKeys();
    const added = 1 << 20; // the first layer's size
    for (let i = 0; i < added; i++) filter.add(senderOf(i), keyOf(i), 0);
    for (let i = 0; i < added; i++) if (!filter.mayHold(senderOf(i), keyOf(i))) expect.fail(`key ${i} added, then not found`);
    const rate = falseMaybes(filter, added, 200_000);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(0.015);
    expect(filter.size.keys).toBe(added);
  });

  it('grows past its first layer without losing a key or letting false "maybe"s climb', () => {
    const filter = new StoredKeys();
    const added = 2_600_000; // three layers: 1 M, 2 M and part of 4 M
    for (let i = 0; i < added; i++) filter.add(senderOf(i), keyOf(i), 0);
    for (let i = 0; i < added; i++) if (!filter.mayHold(senderOf(i), keyOf(i))) expect.fail(`key ${i} added, then not found`);
    // A full first layer and a part-full second: their rates add up, under 2 %.
    expect(falseMaybes(filter, added, 200_000)).toBeLessThan(0.02);
    expect(filter.size.bytes).toBeGreaterThan(new StoredKeys().size.bytes * 2);
  });

  it('sizes its first layer for twice the keys expected at start', () => {
    expect(new StoredKeys(3_000_000).size.bytes).toBeGreaterThanOrEqual(new StoredKeys().size.bytes * 4);
  });

  it('tells the same key of two senders apart', () => {
    const filter = new StoredKeys();
    for (let i = 0; i < 1000; i++) filter.add('one-sender', `k${i}`, 0);
    let maybe = 0;
    for (let i = 0; i < 1000; i++) if (filter.mayHold('another-sender', `k${i}`)) maybe++;
    expect(maybe).toBeLessThan(10);
  });

  it('lets a layer go once the newest of its keys is a day old, keeping every key still answered', () => {
    const hour = 3_600_000;
    const filter = new StoredKeys();
    const oneLayer = filter.size.bytes;
    for (let i = 0; i < 1000; i++) filter.add(senderOf(i), keyOf(i), 0);
    // Seven hours on, past a layer's quarter-day: the keys go into a layer of their own, sized again from the minimum.
    for (let i = 1000; i < 2000; i++) filter.add(senderOf(i), keyOf(i), 7 * hour);
    expect(filter.size).toEqual({ keys: 2000, bytes: 2 * oneLayer });
    // A millisecond before the first layer's keys are a day old, they are all still there.
    filter.add('late', 'k1', idempotencyWindowMs - 1);
    for (let i = 0; i < 2000; i++) if (!filter.mayHold(senderOf(i), keyOf(i))) expect.fail(`key ${i} added, then not found`);
    expect(filter.size.keys).toBe(2001);
    // At the day's end the first layer goes; the later keys stay.
    filter.add('late', 'k2', idempotencyWindowMs);
    expect(filter.size.keys).toBe(1002);
    for (let i = 1000; i < 2000; i++) if (!filter.mayHold(senderOf(i), keyOf(i))) expect.fail(`key ${i} added, then not found`);
    let maybe = 0;
    for (let i = 0; i < 1000; i++) if (filter.mayHold(senderOf(i), keyOf(i))) maybe++;
    expect(maybe).toBeLessThan(20);
  });
});

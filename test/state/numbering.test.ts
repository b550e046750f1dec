// Pair numbers (server/state/numbering.ts): what a reservation changes — how often the table grows —
// and what it must not: the numbers pairs get and find.
import { describe, expect, it } from 'vitest';
import { PairNumbers } from '../../server/state/numbering.ts';

const pairsOf = (n: number) => Array.from({ length: n }, (_, i) => [i % 997, 1000 + Math.floor(i / 997)] as const);

describe('pair numbers', () => {
  it('numbers pairs the same with and without a reservation, and (a, b) and (b, a) side by side', () => {
    const grown = new PairNumbers(16);
    const reserved = new PairNumbers(16);
    reserved.reserve(20_000);
    const numbers = pairsOf(20_000).map(([a, b]) => [grown.of(a, b), reserved.of(a, b), reserved.of(b, a)]);
    for (const [g, r, back] of numbers) {
      expect(r).toBe(g);
      expect(back).toBe(PairNumbers.reverse(r, 0, 1));
    }
    expect(pairsOf(20_000).every(([a, b], i) => reserved.find(a, b) === numbers[i][1])).toBe(true);
    expect(reserved.find(5000, 5001)).toBe(-1);
  });

  it('a reservation makes room at once: numbering that many pairs does not grow the table', () => {
    const table = new PairNumbers(16);
    table.reserve(50_000);
    const room = table.capacity;
    expect(room).toBeGreaterThanOrEqual(50_000);
    for (const [a, b] of pairsOf(50_000)) table.of(a, b);
    expect(table.capacity).toBe(room);
    // Without one, the table grows as pairs come, past where it started.
    const grown = new PairNumbers(16);
    const start = grown.capacity;
    for (const [a, b] of pairsOf(50_000)) grown.of(a, b);
    expect(grown.capacity).toBeGreaterThan(start);
    expect(grown.capacity).toBeGreaterThanOrEqual(50_000);
  });

  it('never shrinks, and reserves no more than its ceiling whatever it is told', () => {
    const table = new PairNumbers(16);
    table.reserve(1000);
    const room = table.capacity;
    table.reserve(10);
    expect(table.capacity).toBe(room);
    table.reserve(1e9);
    expect(table.capacity).toBe((1 << 25) / 2);
  });
});

// Pair numbers (server/state/numbering.ts): what a reservation changes — how often the table grows —
// and what it must not: the numbers pairs get and find. Number rows: rows read as their empties until
// set, however the room for them was made, and room made up front is not touched until used.
import { describe, expect, it } from 'vitest';
import { NumberRows, PairNumbers } from '../../server/state/numbering.ts';

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

describe('number rows', () => {
  const empties = [NaN, -1, 0];
  const row = (rows: NumberRows, r: number) => [0, 1, 2].map((f) => rows.get(r, f));

  it('a row reads as its empties until set: below a set row, past it, past the room made, and no row (-1)', () => {
    const rows = new NumberRows(empties, 4);
    rows.set(5, 1, 7);
    expect(row(rows, 5)).toEqual([NaN, 7, 0]);
    // Rows 0–4 were skipped over: they read as empties, not as the zeros of fresh memory.
    for (const r of [0, 4]) expect(row(rows, r)).toEqual(empties);
    expect(row(rows, 6)).toEqual(empties);
    expect(row(rows, 100_000)).toEqual(empties);
    expect(row(rows, -1)).toEqual(empties);
  });

  it('keeps every row it holds when it grows, and the rows it skips on the way read as empties', () => {
    const rows = new NumberRows(empties, 4);
    for (let r = 0; r < 10; r++) rows.set(r, 0, 1000 + r);
    rows.set(5000, 2, 42);
    for (let r = 0; r < 10; r++) expect(row(rows, r)).toEqual([1000 + r, -1, 0]);
    for (const r of [10, 2047, 4999]) expect(row(rows, r)).toEqual(empties);
    expect(row(rows, 5000)).toEqual([NaN, -1, 42]);
    expect(row(rows, 5001)).toEqual(empties);
  });

  it('room made up front is not written: the process takes no memory for rows never set', () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    // 8 M rows of one field: 64 MiB of room. Filled up front, every page of it would be resident.
    const rows = new NumberRows([-1], 8_000_000);
    rows.set(0, 0, 1);
    const grew = process.memoryUsage().rss - before;
    expect(rows.get(7_999_999, 0)).toBe(-1);
    expect(grew).toBeLessThan(16 * 1024 * 1024);
  });
});

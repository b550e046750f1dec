/**
 * Dense numbers for accounts and for ordered pairs of accounts, and columns of numbers indexed by
 * them: how the decision state (live and replayed) holds millions of accounts, edges and pairs.
 * Kept in maps keyed by strings, they left millions of keys and entry objects for the garbage
 * collector to trace (a quarter of a replay's time); typed arrays it doesn't trace.
 */

export class AccountNumbers {
  private readonly numbers = new Map<string, number>();
  /** By number: the id. */
  private readonly ids: string[] = [];

  /** The number of `id`, given one if it has none yet. */
  of(id: string): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      this.numbers.set(id, (n = this.ids.length));
      this.ids.push(id);
    }
    return n;
  }

  /** The number of `id`, or -1 if it was never numbered (nothing is known of it). */
  find(id: string): number {
    return this.numbers.get(id) ?? -1;
  }

  /** The id numbered `n`. */
  id(n: number): string {
    return this.ids[n];
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * Account numbers by the numbers one scan's tapes give ids (db/json-tape.ts: an encoder numbers each
 * string as it first meets it; LoggedAttempt.senderName): an array look-up, where a look-up in
 * AccountNumbers by id missed the caches every time at a million rows. Good for one encoder's tapes only.
 */
export class NamedAccounts {
  /** By name: the account number, or -1 until met. */
  private byName = new Int32Array(1024).fill(-1);

  constructor(private readonly accounts: AccountNumbers) {}

  /** The account `id`, which the scan numbered `name`, numbered if it was not yet. */
  of(name: number, id: string): number {
    if (name >= this.byName.length) {
      const byName = new Int32Array(Math.max(name + 1, 2 * this.byName.length)).fill(-1);
      byName.set(this.byName);
      this.byName = byName;
    }
    let n = this.byName[name];
    if (n < 0) this.byName[name] = n = this.accounts.of(id);
    return n;
  }
}

/** A table sized up front never exceeds this many slots (48 MiB); it grows past it if needed. */
const maxInitialSlots = 1 << 22;

/** What `PairNumbers.reserve` makes at most (384 MiB: room for 16 M pairs); past it, the table grows as pairs come. */
const maxReservedSlots = 1 << 25;

/**
 * Ordered pairs (a, b) of account numbers, numbered as first met: (a, b) and (b, a) are two pairs, 2u
 * and 2u + 1 for the u-th pair of accounts met. A replay reads and writes both directions of a
 * conversation at each attempt: so they are found in one look-up, and their rows in NumberRows sit
 * side by side. An open-addressing hash table (linear probing, at most half full) of the unordered
 * pairs, in one Int32Array of slots [lower, higher, u], so a lookup touches one cache line.
 */
export class PairNumbers {
  private slots: Int32Array;
  private count = 0;

  /**
   * `expected`: about how many ordered pairs will be met, so the table rarely grows (each growth
   * rehashes every pair). `maxSlots`: the most slots made up front (a replay guesses; a rebuild counts).
   */
  constructor(expected: number, maxSlots = maxInitialSlots) {
    let capacity = 1 << 10;
    // Half full at most, with room for a quarter more than expected.
    while (capacity < 1.25 * expected && capacity < maxSlots) capacity *= 2;
    this.slots = emptySlots(capacity);
  }

  of(a: number, b: number): number {
    return 2 * this.unordered(Math.min(a, b), Math.max(a, b)) + (a > b ? 1 : 0);
  }

  /** The number of (a, b), or -1 if neither (a, b) nor (b, a) was ever numbered. */
  find(a: number, b: number): number {
    if (a < 0 || b < 0) return -1;
    const low = Math.min(a, b);
    const high = Math.max(a, b);
    const { slots } = this;
    const mask = slots.length / 3 - 1;
    let at = (pairHash(low, high) & mask) * 3;
    for (let first = slots[at]; first !== -1; first = slots[at]) {
      if (first === low && slots[at + 1] === high) return 2 * slots[at + 2] + (a > b ? 1 : 0);
      at = at + 3 === slots.length ? 0 : at + 3;
    }
    return -1;
  }

  /** How many unordered pairs it holds before it grows. */
  get capacity(): number {
    return this.slots.length / 6;
  }

  /** How many unordered pairs are numbered (ordered pair numbers run below twice this). */
  get size(): number {
    return this.count;
  }

  /** Every numbered unordered pair: `visit(low, high, n)`, where (low, high) is 2n and (high, low) 2n + 1. */
  forEach(visit: (low: number, high: number, n: number) => void): void {
    const { slots } = this;
    for (let at = 0; at < slots.length; at += 3) if (slots[at] !== -1) visit(slots[at], slots[at + 1], slots[at + 2]);
  }

  /** The pair (b, a), given `pair`, the number of (a, b): no look-up. */
  static reverse(pair: number, a: number, b: number): number {
    return a === b ? pair : pair ^ 1;
  }

  private unordered(low: number, high: number): number {
    const { slots } = this;
    const mask = slots.length / 3 - 1;
    let at = (pairHash(low, high) & mask) * 3;
    for (let first = slots[at]; first !== -1; first = slots[at]) {
      if (first === low && slots[at + 1] === high) return slots[at + 2];
      at = at + 3 === slots.length ? 0 : at + 3;
    }
    if ((this.count + 1) * 6 > slots.length) {
      this.rehash((slots.length / 3) * 2);
      return this.unordered(low, high);
    }
    slots[at] = low;
    slots[at + 1] = high;
    slots[at + 2] = this.count;
    return this.count++;
  }

  /**
   * Makes room for `unordered` pairs in all, so that numbering that many grows the table at most
   * once (an import that counted its lines): doubling on the way rehashes every pair each time.
   * Lines may repeat pairs already held, so it makes no more than `maxReservedSlots` up front.
   */
  reserve(unordered: number): void {
    let slotCount = this.slots.length / 3;
    while (2 * unordered >= slotCount && slotCount < maxReservedSlots) slotCount *= 2;
    if (slotCount > this.slots.length / 3) this.rehash(slotCount);
  }

  private rehash(slotCount: number): void {
    const old = this.slots;
    const slots = emptySlots(slotCount);
    const mask = slots.length / 3 - 1;
    for (let from = 0; from < old.length; from += 3) {
      if (old[from] === -1) continue;
      let at = (pairHash(old[from], old[from + 1]) & mask) * 3;
      while (slots[at] !== -1) at = at + 3 === slots.length ? 0 : at + 3;
      slots[at] = old[from];
      slots[at + 1] = old[from + 1];
      slots[at + 2] = old[from + 2];
    }
    this.slots = slots;
  }
}

/** `capacity` free slots (a first account of -1). */
function emptySlots(capacity: number): Int32Array {
  return new Int32Array(capacity * 3).fill(-1);
}

/** Mixes both numbers into all 32 bits (multiplicative hashing), so nearby pairs spread over the table. */
function pairHash(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x5bd1e995, 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Rows of numbers by index (an account or pair number), each row `empties.length` fields wide and
 * `empties` until set; grows as indexes do. A row's fields sit side by side, so reading a row is one
 * trip to memory: at a million attempts these lookups miss the caches.
 *
 * Rows are written with their empties only when a row at or past them is first set, so room made up
 * front for rows never met is never touched: a fresh page costs its first touch (~14 µs a 4 KiB page
 * on the benchmarks' machine, bench/RESULTS.md session 10), and filling a replay's tables for every
 * pair it might meet took a tenth of its time. Indexes are numbered densely, so the rows filled are
 * about the rows used.
 */
export class NumberRows {
  private values: Float64Array;
  private readonly width: number;
  /** Rows below this hold their values (or empties); rows at or past it read as empties. */
  private filled = 0;

  /** `expectedRows`: how many rows to make room for at once (growing copies every row). */
  constructor(private readonly empties: readonly number[], expectedRows = 1024) {
    this.width = empties.length;
    this.values = new Float64Array(Math.max(1024, expectedRows) * this.width);
  }

  /** A row past the filled ones, or -1 (no row), reads as empty. */
  get(row: number, field: number): number {
    return row >= 0 && row < this.filled ? this.values[row * this.width + field] : this.empties[field];
  }

  set(row: number, field: number, value: number): void {
    if (row >= this.filled) this.fill(row + 1);
    this.values[row * this.width + field] = value;
  }

  /** Rows from the filled ones up to `rows` made empty (the array grown first if need be). */
  private fill(rows: number): void {
    const { width } = this;
    if (rows * width > this.values.length) {
      let room = this.values.length / width;
      while (room < rows) room *= 2;
      const values = new Float64Array(room * width);
      values.set(this.values.subarray(0, this.filled * width));
      this.values = values;
    }
    const { values, empties } = this;
    const from = this.filled * width;
    const to = rows * width;
    if (to - from <= 8 * width) {
      // Rows are mostly reached one at a time: a plain loop, ~15 ns a row cheaper than the calls
      // below (set from an array, copyWithin) over 2 M new rows (bench/RESULTS.md, session 11).
      for (let at = from; at < to; at += width) for (let field = 0; field < width; field++) values[at + field] = empties[field];
    } else {
      values.set(empties, from);
      // The first row copied over the rest in doubling runs (a loop per field was slow).
      for (let done = width; done < to - from; done *= 2) values.copyWithin(from + done, from, from + Math.min(done, to - from - done));
    }
    this.filled = rows;
  }
}

/** An object per index (an account number), or undefined; an array that grows as indexes do, not a map. */
export class ObjectColumn<T> {
  private readonly values: Array<T | undefined> = [];

  get(i: number): T | undefined {
    return i >= 0 && i < this.values.length ? this.values[i] : undefined;
  }

  set(i: number, value: T | undefined): void {
    // Filled up to `i` one by one: an index far past the end would turn the array into a slow sparse one.
    while (this.values.length <= i) this.values.push(undefined);
    this.values[i] = value;
  }
}

/** A byte per index (an account or pair number), 0 until set; for flags. Grows as indexes do. */
export class ByteColumn {
  private values = new Uint8Array(1024);

  get(i: number): number {
    return i >= 0 && i < this.values.length ? this.values[i] : 0;
  }

  set(i: number, value: number): void {
    if (i >= this.values.length) {
      let length = this.values.length;
      while (length <= i) length *= 2;
      const values = new Uint8Array(length);
      values.set(this.values);
      this.values = values;
    }
    this.values[i] = value;
  }
}

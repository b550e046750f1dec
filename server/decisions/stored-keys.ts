/**
 * Which idempotency keys the table of stored answers may hold (db/stores/idempotency.ts): a Bloom
 * filter over (sender, key). Nearly every keyed send carries a key never seen before, and without
 * this each one was looked up in a table that grows with every key before it could queue (~20 µs a
 * send in process, more over a network; bench/RESULTS.md, session 20).
 *
 * It never answers "no" for a key whose answer the table holds and still gives: the keys already
 * there are added at start, and every key later recorded — here or, on a shared server, by another
 * instance — passes through IdempotencyMemory.remember on its way to the table. A wrong "maybe"
 * (under 1 %) costs the look-up that every key cost before. A key recorded in a batch that then
 * rolled back stays in: a "maybe" too.
 *
 * It grows in layers (a scalable Bloom filter, Almeida et al. 2007): when the newest layer holds what
 * it was sized for, one twice as large is added; a key may be stored if any layer has it. A layer
 * also takes keys for a quarter of a key's day at most, and goes once the newest of them is past
 * its day (idempotencyWindowMs): the filter holds about a day of keys, not every key ever added.
 */
import { idempotencyWindowMs } from './idempotency.ts';

/** How long one layer takes keys: so that layers go at a quarter-day's grain. */
const layerSpanMs = idempotencyWindowMs / 4;

/** Bits per key a layer is sized for (rounded up to a power of two), and probes per key: ~0.8 % false "maybe"s when full. */
const bitsPerKey = 10;
const probes = 7;
/** The smallest layer (1.25 MiB of bits at most): keys a service meets in its first hours. */
const minKeys = 1 << 20;

class Layer {
  readonly bits: Int32Array;
  private readonly mask: number;
  count = 0;
  /** When its first key and its newest key were answered. */
  since = Infinity;
  newest = -Infinity;

  constructor(readonly capacity: number) {
    let size = 32;
    while (size < capacity * bitsPerKey) size *= 2;
    this.bits = new Int32Array(size / 32);
    this.mask = size - 1;
  }

  add(h1: number, h2: number): void {
    for (let i = 0, h = h1; i < probes; i++, h = (h + h2) | 0) {
      const bit = h & this.mask;
      this.bits[bit >>> 5] |= 1 << (bit & 31);
    }
    this.count++;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0, h = h1; i < probes; i++, h = (h + h2) | 0) {
      const bit = h & this.mask;
      if (!(this.bits[bit >>> 5] & (1 << (bit & 31)))) return false;
    }
    return true;
  }
}

export class StoredKeys {
  private readonly layers: Layer[];
  /** The latest time a key was answered: the clock layers are let go by. */
  private latest = -Infinity;

  /** `expected`: about how many keys the table holds now (the first layer has room for twice as many). */
  constructor(expected = 0) {
    this.layers = [new Layer(Math.max(minKeys, 2 * expected))];
  }

  /** (senderId, key) was answered at `at`. */
  add(senderId: string, key: string, at: number): void {
    let top = this.layers[this.layers.length - 1];
    if (top.count >= top.capacity) this.layers.push((top = new Layer(2 * top.capacity)));
    // Sized for twice what the last quarter-day brought, so a quiet spell gives back what a busy one took.
    else if (at - top.since >= layerSpanMs) this.layers.push((top = new Layer(Math.max(minKeys, 2 * top.count))));
    hash(senderId, key);
    top.add(h1, h2);
    if (at < top.since) top.since = at;
    if (at > top.newest) top.newest = at;
    if (at > this.latest) this.latest = at;
    // Every key of the oldest layer is past its day (by the latest answer's clock): none is answered again.
    while (this.layers.length > 1 && this.latest - this.layers[0].newest >= idempotencyWindowMs) this.layers.shift();
  }

  /** False only if the table can't hold an answer for (senderId, key). */
  mayHold(senderId: string, key: string): boolean {
    hash(senderId, key);
    for (const layer of this.layers) if (layer.has(h1, h2)) return true;
    return false;
  }

  /** Keys added, and the filter's bytes: for the state's figures. */
  get size(): { keys: number; bytes: number } {
    return { keys: this.layers.reduce((n, l) => n + l.count, 0), bytes: this.layers.reduce((n, l) => n + l.bits.byteLength, 0) };
  }
}

// The last hash's two halves: module variables, so hashing a key makes no object.
let h1 = 0;
let h2 = 0;

/**
 * Two 32-bit hashes (FNV-1a and a murmur-style multiply) of the sender, a separator and the key, with
 * no string made; the probes are h1 + i·h2 (Kirsch and Mitzenmacher's double hashing), h2 kept odd so
 * that they differ from each other in any power-of-two layer.
 */
function hash(senderId: string, key: string): void {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ (senderId.length * 31 + key.length);
  for (let i = 0; i < senderId.length; i++) {
    const c = senderId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a = Math.imul(a ^ 0xffff, 0x01000193);
  b = Math.imul(b ^ 0xffff, 0x5bd1e995);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  // Final mixes: FNV's low bits alone spread poorly, and the probes mask them.
  a ^= a >>> 15;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 16;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  h1 = a;
  h2 = b | 1;
}

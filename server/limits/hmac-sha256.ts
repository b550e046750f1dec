/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) under one fixed key, in JavaScript, for message fingerprints
 * (fingerprint.ts). Its digests are node:crypto's `createHmac('sha256', key)` digests, byte for byte
 * (test/limits/hmac-sha256.test.ts compares them on random keys and texts). Why not node:crypto: a
 * fingerprint is one short text, and OpenSSL's per-message objects cost a decision on the service
 * 7–8 µs of CPU a fingerprint, against ~1.5 in a loop — its code and state are cold between
 * requests — where this costs ~1–2 µs (bench/RESULTS.md, session 18). With the key fixed, the key's
 * two padded blocks are hashed once; a message then costs its own blocks and one block more.
 */
import { createHash } from 'node:crypto';

/** SHA-256's round constants. */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-256's initial hash value. */
const initial = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const blockBytes = 64;
/** The message schedule, shared: nothing here is asynchronous or re-entrant. */
const schedule = new Int32Array(64);

/** Folds the 64-byte block of `bytes` at `offset` into the hash state `h`. */
function compress(h: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++) {
    const o = offset + 4 * i;
    w[i] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
  }
  for (let i = 16; i < 64; i++) {
    const w15 = w[i - 15];
    const w2 = w[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    hh = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + hh) | 0;
}

/**
 * Pads `bytes[0, length)` in place as SHA-256 does — a 1 bit, zeros, then the bit length of
 * everything hashed (`hashedBefore` bytes already folded into the state, plus these) — and returns
 * the padded length, a multiple of 64. `bytes` has room for it (length + 72).
 */
function pad(bytes: Uint8Array, length: number, hashedBefore: number): number {
  const bits = (hashedBefore + length) * 8;
  let end = length;
  bytes[end++] = 0x80;
  while (end % blockBytes !== 56) bytes[end++] = 0;
  const high = Math.floor(bits / 2 ** 32);
  const low = bits >>> 0;
  bytes[end++] = high >>> 24; bytes[end++] = (high >>> 16) & 255; bytes[end++] = (high >>> 8) & 255; bytes[end++] = high & 255;
  bytes[end++] = low >>> 24; bytes[end++] = (low >>> 16) & 255; bytes[end++] = (low >>> 8) & 255; bytes[end++] = low & 255;
  return end;
}

/** Writes the state `h` big-endian into `out` from `offset`. */
function writeState(h: Int32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++) {
    const v = h[i];
    out[offset + 4 * i] = v >>> 24; out[offset + 4 * i + 1] = (v >>> 16) & 255; out[offset + 4 * i + 2] = (v >>> 8) & 255; out[offset + 4 * i + 3] = v & 255;
  }
}

/** The state after one block of the key XORed with `mask`: where every message's hash starts. */
function keyedState(key: Uint8Array, mask: number): Int32Array {
  const block = new Uint8Array(blockBytes).fill(mask);
  for (let i = 0; i < key.length; i++) block[i] = key[i] ^ mask;
  const h = Int32Array.from(initial);
  compress(h, block, 0);
  return h;
}

const utf8 = new TextEncoder();

/** @example new HmacSha256(secret).digest('text\u0000hello')  // the same 32 bytes as createHmac('sha256', secret) */
export class HmacSha256 {
  private readonly inner: Int32Array;
  private readonly outer: Int32Array;
  private readonly state = new Int32Array(8);
  /** The message's bytes and padding; grown for a longer message. */
  private bytes = new Uint8Array(1024);
  /** The digest, overwritten by the next one. */
  private readonly out = Buffer.alloc(32);

  constructor(key: Uint8Array) {
    // A key longer than a block is hashed first, as HMAC does: once, so node:crypto's hash serves.
    const fitted = key.length > blockBytes ? createHash('sha256').update(key).digest() : key;
    this.inner = keyedState(fitted, 0x36);
    this.outer = keyedState(fitted, 0x5c);
  }

  /** The HMAC of `message` (UTF-8), in a buffer the next call overwrites. */
  digest(message: string): Buffer {
    // UTF-8 takes at most 3 bytes a UTF-16 unit; the padding at most 72 more.
    if (this.bytes.length < 3 * message.length + 72) this.bytes = new Uint8Array(3 * message.length + 72);
    const bytes = this.bytes;
    const { written } = utf8.encodeInto(message, bytes);
    const end = pad(bytes, written, blockBytes);
    const h = this.state;
    h.set(this.inner);
    for (let offset = 0; offset < end; offset += blockBytes) compress(h, bytes, offset);
    // The outer hash: the inner digest, padded after the key's block (64 + 32 bytes hashed).
    writeState(h, bytes, 0);
    const outerEnd = pad(bytes, 32, blockBytes);
    h.set(this.outer);
    for (let offset = 0; offset < outerEnd; offset += blockBytes) compress(h, bytes, offset);
    writeState(h, this.out, 0);
    return this.out;
  }
}

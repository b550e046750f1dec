/**
 * The fingerprints' HMAC-SHA-256 in JavaScript (server/limits/hmac-sha256.ts) gives node:crypto's
 * digests byte for byte: fingerprints already in a log keep matching the ones computed after it.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmacSha256 } from '../../server/limits/hmac-sha256.ts';

const reference = (key: Uint8Array, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex');

describe('HmacSha256', () => {
  it("RFC 4231's test cases 1, 2 and 6 (a key longer than a block is hashed first)", () => {
    expect(new HmacSha256(Buffer.alloc(20, 0x0b)).digest('Hi There').toString('hex'))
      .toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(new HmacSha256(Buffer.from('Jefe')).digest('what do ya want for nothing?').toString('hex'))
      .toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(new HmacSha256(Buffer.alloc(131, 0xaa)).digest('Test Using Larger Than Block-Size Key - Hash Key First').toString('hex'))
      .toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('every message length across the block and padding boundaries (0–200 bytes), keys of 16, 64 and 65 bytes', () => {
    for (const keyLength of [16, 64, 65]) {
      const key = Buffer.from(Array.from({ length: keyLength }, (_, i) => (i * 37 + keyLength) & 255));
      const hmac = new HmacSha256(key);
      for (let length = 0; length <= 200; length++) {
        const message = 'x'.repeat(length);
        expect(hmac.digest(message).toString('hex'), `key ${keyLength}, message ${length}`).toBe(reference(key, message));
      }
    }
  });

  it('a text of three-byte characters longer than the first buffer, then a short one, with the same instance', () => {
    const key = Buffer.from('fingerprint-unit-test-secret');
    const hmac = new HmacSha256(key);
    for (const message of ['€'.repeat(2000), 'ok', '€'.repeat(5000) + 'x', '']) {
      expect(hmac.digest(message).toString('hex'), `${message.length} characters`).toBe(reference(key, message));
    }
  });

  it('random keys and texts — any Unicode, lone surrogates, texts longer than the first buffer — equal createHmac', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 150 }),
      fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 1500 }), fc.string({ unit: 'binary', minLength: 400, maxLength: 900 })), { minLength: 1, maxLength: 6 }),
      (key, messages) => {
        const hmac = new HmacSha256(key);
        for (const message of messages) expect(hmac.digest(message).toString('hex')).toBe(reference(key, message));
      },
    ), { numRuns: 300 });
  });
});

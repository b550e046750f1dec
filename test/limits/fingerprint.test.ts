/**
 * Fingerprints for R14, seed 000 (X, 2023): "If you are sending duplicate Direct Messages to multiple
 * accounts (including sending the same link to multiple accounts), this may be reported as spam
 * activity". A message is compared by its text and by each of its links, without storing the text:
 * HMAC-SHA-256 keyed with the installation's secret, so short texts can't be found again by hashing
 * guesses against the log.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractLinks, Fingerprinter, normaliseText } from '../../server/limits/fingerprint.ts';

const secret = Buffer.from('fingerprint-unit-test-secret');
const fingerprints = new Fingerprinter(secret);
const shape = /^(text|link):[A-Za-z0-9_-]{22}$/;

describe('Fingerprinter', () => {
  it('needs a secret of at least 16 bytes', () => {
    expect(() => new Fingerprinter(Buffer.alloc(15))).toThrow('a fingerprint secret has at least 16 bytes');
    expect(() => new Fingerprinter(Buffer.alloc(16))).not.toThrow();
  });

  it('the same text with other case or spacing is the same text; another text is not', () => {
    const text = fingerprints.text('Win a Prize today')!;
    expect(text).toMatch(shape);
    expect(text.startsWith('text:')).toBe(true);
    expect(fingerprints.text('  win a   PRIZE\ttoday\n')).toBe(text);
    expect(fingerprints.text('Win a Prize tomorrow')).not.toBe(text);
    // Compatibility forms (NFKC): full-width letters are the same text.
    expect(fingerprints.text('Ｗｉｎ a prize today')).toBe(text);
  });

  it('keyed: the same secret gives the same fingerprints, another secret others, and no unkeyed hash finds the text', () => {
    expect(new Fingerprinter(Buffer.from(secret)).text('ok')).toBe(fingerprints.text('ok'));
    expect(new Fingerprinter(Buffer.from('another-secret-of-16+-bytes')).text('ok')).not.toBe(fingerprints.text('ok'));
    const unkeyed = createHash('sha256').update('text').update('\u0000').update('ok').digest('base64url').slice(0, 22);
    expect(fingerprints.text('ok')).not.toBe(`text:${unkeyed}`);
    expect(fingerprints.text('ok')).not.toContain('ok');
  });

  it('is HMAC-SHA-256 of the kind, a NUL and the normalised value, so fingerprints already logged keep matching', () => {
    const hmac = (message: string) => createHmac('sha256', secret).update(message, 'utf8').digest('base64url').slice(0, 22);
    expect(fingerprints.text('  Héllo  WORLD ')).toBe(`text:${hmac('text\u0000héllo world')}`);
    expect(fingerprints.message('go https://EX.am/x!')[1]).toBe(`link:${hmac('link\u0000https://ex.am/x')}`);
  });

  it('an empty or blank text has no fingerprint', () => {
    expect(fingerprints.text('')).toBeNull();
    expect(fingerprints.text(' \n\t ')).toBeNull();
    expect(fingerprints.message('   ')).toEqual([]);
  });

  it("a message: its text's first, then each distinct link's", () => {
    const [text, first, second, ...rest] = fingerprints.message('see https://ex.am/a and https://ex.am/b, again https://EX.AM/a.');
    expect(rest).toEqual([]);
    expect(text).toBe(fingerprints.text('see https://ex.am/a and https://ex.am/b, again https://EX.AM/a.'));
    expect([first, second].every((f) => /^link:/.test(f))).toBe(true);
    expect(first).not.toBe(second);
    // The same link in another text has the same link fingerprint.
    expect(fingerprints.message('https://ex.am/a is great')[1]).toBe(first);
  });

  it("a link's fingerprint is not its text's, even for a message that is only the link", () => {
    const [text, link] = fingerprints.message('https://ex.am/offer');
    expect(text.startsWith('text:')).toBe(true);
    expect(link.startsWith('link:')).toBe(true);
    expect(text.slice(5)).not.toBe(link.slice(5));
  });
});

describe('extractLinks and normaliseText', () => {
  it('links are normalised: scheme and host case, trailing punctuation; the path keeps its case', () => {
    expect(extractLinks('Go to HTTPS://Ex.Am/Offer?id=7). Or http://ex.am/x, now!')).toEqual(['https://ex.am/Offer?id=7', 'http://ex.am/x']);
    expect(extractLinks('https://ex.am/Offer and https://ex.am/offer')).toEqual(['https://ex.am/Offer', 'https://ex.am/offer']);
    expect(extractLinks('(https://ex.am/a) "https://ex.am/b" <https://ex.am/c>')).toEqual(['https://ex.am/a', 'https://ex.am/b', 'https://ex.am/c']);
  });

  it('no scheme, no link', () => {
    expect(extractLinks('visit ex.am/offer or ftp://ex.am/file')).toEqual([]);
  });

  it('text: compatibility forms, lower case, single spaces, trimmed', () => {
    expect(normaliseText('  Ｈｅｌｌｏ\n\n  WORLD\t ')).toBe('hello world');
  });
});

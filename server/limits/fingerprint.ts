/**
 * Fingerprints of a message's text and links (R14), so duplicates are found without storing text.
 * Keyed with a secret of the installation (HMAC-SHA-256) kept out of the database: an unkeyed hash
 * of a short text ("ok", "hi") could be found again by hashing guesses against the log.
 */
import { HmacSha256 } from './hmac-sha256.ts';

const linkPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

/** Links in the text, normalised so that case of the host and trailing punctuation don't hide a duplicate. */
export function extractLinks(text: string): string[] {
  const links = new Set<string>();
  for (const match of text.matchAll(linkPattern)) {
    const raw = match[0].replace(/[.,;:!?)\]]+$/, '');
    links.add(raw.replace(/^(https?:\/\/)([^/?#]+)/i, (_, scheme: string, host: string) => scheme.toLowerCase() + host.toLowerCase()));
  }
  return [...links];
}

/** Text compared case- and whitespace-insensitively: trivial edits don't make spam unique. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Computes fingerprints with the installation's secret; the same secret gives the same fingerprints. */
export class Fingerprinter {
  private readonly hmac: HmacSha256;

  constructor(secret: Buffer) {
    if (secret.length < 16) throw new Error('a fingerprint secret has at least 16 bytes');
    this.hmac = new HmacSha256(secret);
  }

  /** HMAC-SHA-256 of `kind`, a NUL and `value`, as 22 base64url characters (its first 17 bytes give them). */
  private digest(kind: string, value: string): string {
    return `${kind}:${this.hmac.digest(`${kind}\u0000${value}`).toString('base64url', 0, 17).slice(0, 22)}`;
  }

  /** The fingerprint of the text alone, or null for an empty text. */
  text(text: string): string | null {
    const normalised = normaliseText(text);
    return normalised ? this.digest('text', normalised) : null;
  }

  /** Every fingerprint a message is compared by: its text's first, then each of its links'. */
  message(text: string): string[] {
    const ofText = this.text(text);
    return [...(ofText ? [ofText] : []), ...extractLinks(text).map((link) => this.digest('link', link))];
  }
}

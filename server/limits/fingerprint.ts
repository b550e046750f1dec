/** Fingerprints of a message's text and links (R14), so duplicates are found without storing text. */
import { createHash } from 'node:crypto';

const linkPattern = /\bhttps?:\/\/[^\s<>"']+/gi;

const digest = (kind: string, value: string) => `${kind}:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;

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

/** The fingerprint of the text alone, or null for an empty text. */
export function textFingerprint(text: string): string | null {
  const normalised = normaliseText(text);
  return normalised ? digest('text', normalised) : null;
}

/** Every fingerprint a message is compared by: its text, and each of its links. */
export function messageFingerprints(text: string): string[] {
  const text_ = textFingerprint(text);
  return [...(text_ ? [text_] : []), ...extractLinks(text).map((link) => digest('link', link))];
}

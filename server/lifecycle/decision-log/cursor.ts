/** The opaque cursor of a newest-first page (the decision log, the audit log): where the next page resumes. */
import type { AuditCursor } from '../../../db/stores/audit.ts';
import type { LogCursor } from '../../../db/stores/decision-log.ts';

/** `[at, tie]` of the last entry of a page → a URL-safe token the client passes back unchanged. */
function encode(at: number, tie: number | string): string {
  return Buffer.from(JSON.stringify([at, tie])).toString('base64url');
}

/** `[at, tie]` of a token, or null when it isn't one this service issued. */
function decode(token: string): [number, unknown] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2 || !Number.isSafeInteger(value[0])) return null;
    return [value[0], value[1]];
  } catch {
    return null;
  }
}

/** A decision-log position: `{ at, seq }` of the last entry of a page. */
export function encodeCursor(cursor: LogCursor): string {
  return encode(cursor.at, cursor.seq);
}

/** The decision-log position a token stands for, or null when it isn't one this service issued. */
export function decodeCursor(token: string): LogCursor | null {
  const value = decode(token);
  if (!value || !Number.isSafeInteger(value[1])) return null;
  return { at: value[0], seq: value[1] as number };
}

/** An audit-log position: `{ at, id }` of the last entry of a page. */
export function encodeAuditCursor(cursor: AuditCursor): string {
  return encode(cursor.at, cursor.id);
}

/** The audit-log position a token stands for, or null when it isn't one this service issued. */
export function decodeAuditCursor(token: string): AuditCursor | null {
  const value = decode(token);
  if (!value || typeof value[1] !== 'string' || value[1] === '' || value[1].length > 64) return null;
  return { at: value[0], id: value[1] };
}

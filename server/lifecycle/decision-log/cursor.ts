/** The opaque cursor of a newest-first page (the decision log, the audit log): where the next page resumes. */
import type { LogCursor } from '../../../db/stores/decision-log.ts';

/** `{ at, id }` of the last entry of a page → a URL-safe token the client passes back unchanged. */
export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** The position a token stands for, or null when it isn't one this service issued. */
export function decodeCursor(token: string): LogCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value;
    if (!Number.isSafeInteger(at) || typeof id !== 'string' || !id) return null;
    return { at, id };
  } catch {
    return null;
  }
}

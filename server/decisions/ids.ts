/**
 * Ids of sends and logged decisions: UUIDv7 (RFC 9562), the creation time in the first 48 bits.
 * Both tables are keyed by id; time-ordered keys land at the right edge of their index instead of
 * at a random page, which keeps inserts in pages already cached.
 */
import { randomUUID } from 'node:crypto';

/** A UUIDv7 for `ms` (the real clock: the id orders inserts, not simulated time). */
export function timeOrderedId(ms = Date.now()): string {
  const time = ms.toString(16).padStart(12, '0');
  // randomUUID draws from a cached entropy pool; its version nibble (index 14) becomes 7, and
  // its variant bits stay as they are.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/**
 * X-style numeric ids and the service's ids, both ways.
 *
 * - Users: an X user id (`^[0-9]{1,19}$`) *is* the account id — numeric strings are valid account
 *   ids, so no table maps them. Accounts with other ids can't be addressed through /2/.
 * - 1:1 conversations: X's `<lowId>-<highId>` (numeric order) ↔ the service's `dm:<a>:<b>`.
 * - Groups: the service's `g:<uuid>` ↔ a 19-digit number, 10^18 + the uuid's first 15 hex digits
 *   (60 bits). Nothing is stored: the number is read back as a key range of `conversations.id`
 *   (db/stores/dm-events.ts). Two groups whose uuids share 15 hex digits would share a number; for
 *   random (v4) uuids that is 1 in 2^56 per pair.
 * - Events: a delivered send's id (a UUIDv7) → 42 bits of its millisecond time, then 21 of its random
 *   bits: a 63-bit number ordered by time, like X's snowflake ids. Two sends in the same millisecond
 *   share one with probability 2^-21. Event ids are only ever issued, never looked up.
 */
import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import { directConversationId } from '../decisions/record.ts';

export const XUserId = z.string().regex(/^[0-9]{1,19}$/, 'an X user id is 1–19 digits').openapi({ example: '1146654567674912769' });

/** X's conversation id pattern: a 1:1 pair, or a group's number. */
export const xConversationIdPattern = /^([0-9]{1,19}-[0-9]{1,19}|[0-9]{15,19})$/;

const groupBase = 10n ** 18n;
const groupPrefixHexDigits = 15;
const maxGroupOffset = 1n << BigInt(4 * groupPrefixHexDigits);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const decimal = /^[0-9]{1,19}$/;

/** Numeric order of two decimal ids ("9" < "10"); other ids (accounts sending through /v1) in string order. */
const numericLess = (a: string, b: string) => (decimal.test(a) && decimal.test(b) ? BigInt(a) < BigInt(b) : a < b);

/** X's id of the 1:1 conversation between two users: `<lowId>-<highId>`. */
export function xDirectConversationId(a: string, b: string): string {
  return numericLess(b, a) ? `${b}-${a}` : `${a}-${b}`;
}

/** The service's id of a group (`g:<uuid>`) as X's numeric conversation id; null for any other id. */
export function xGroupConversationId(conversationId: string): string | null {
  const uuid = conversationId.startsWith('g:') ? conversationId.slice(2) : '';
  if (!uuidPattern.test(uuid)) return null;
  const hex = uuid.replace(/-/g, '').slice(0, groupPrefixHexDigits);
  return (groupBase + BigInt(`0x${hex}`)).toString();
}

export type ParsedConversationId =
  | { kind: 'direct'; userIds: [string, string]; conversationId: string }
  /** `prefix`: every `g:<uuid>` whose number this is starts with it. */
  | { kind: 'group'; prefix: string };

/** An X conversation id as the service sees it; null when it names no conversation the service can have. */
export function parseXConversationId(id: string): ParsedConversationId | null {
  if (!xConversationIdPattern.test(id)) return null;
  const dash = id.indexOf('-');
  if (dash >= 0) {
    const a = id.slice(0, dash);
    const b = id.slice(dash + 1);
    if (a === b) return null;
    return { kind: 'direct', userIds: [a, b], conversationId: directConversationId(a, b) };
  }
  const offset = BigInt(id) - groupBase;
  if (offset < 0n || offset >= maxGroupOffset) return null;
  const hex = offset.toString(16).padStart(groupPrefixHexDigits, '0');
  return { kind: 'group', prefix: `g:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12)}` };
}

const v7Pattern = /^([0-9a-f]{8})-([0-9a-f]{4})-7([0-9a-f]{3})-([0-9a-f]{4})-[0-9a-f]{12}$/;
const timeBits = 42n;
const randomBits = 21n;

/** X's numeric id of the event a delivered send is (see the module header). */
export function xEventId(sendId: string): string {
  const v7 = v7Pattern.exec(sendId);
  if (!v7) {
    // Not time-ordered (older rows): a hash keeps the id stable, without the time order.
    const hash = createHash('sha256').update(sendId).digest();
    return (hash.readBigUInt64BE(0) >> 1n).toString();
  }
  const time = BigInt(`0x${v7[1]}${v7[2]}`) & ((1n << timeBits) - 1n);
  // rand_a (12 bits) and the 9 bits after the variant's 2.
  const random = (BigInt(`0x${v7[3]}`) << 9n) | ((BigInt(`0x${v7[4]}`) >> 5n) & 0x1ffn);
  return ((time << randomBits) | random).toString();
}

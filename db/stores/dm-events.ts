/**
 * Delivered messages read as the X API's DM events: an account's, a 1:1 pair's, or a group's, newest
 * first, in keyset pages over (at, seq). Read from the decision log through its indexes built off the
 * decision path — by account, by group — and its rows after them (no text is ever stored).
 */
import { and, eq, gt, gte, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { conversations, decisionLog } from '../schema.ts';
import { hasRecipient, indexedThrough, readIndexedLog, type IndexedPart, type LogCursor, type LogPage } from './decision-log.ts';

/** One delivered message. `recipientId` is null for a group's message. */
export interface DmEventRow {
  seq: number;
  sendId: string;
  senderId: string;
  recipientId: string | null;
  conversationId: string | null;
  kind: 'direct' | 'group_create' | 'group_message';
  textLength: number;
  at: number;
}

/**
 * Whose events: everything an account sent or received, its groups' messages included (`groupIds`,
 * the groups it is in); a 1:1 pair's, both ways; or a group's.
 */
export type DmEventScope =
  | { accountId: string; groupIds: readonly string[] }
  | { pair: readonly [string, string] }
  | { groupId: string };

export interface DmEventPageQuery {
  /** Events strictly older than this one (the next page), or strictly newer (the previous page). */
  from?: { position: LogCursor; direction: 'older' | 'newer' };
  limit: number;
}

/** Log entries that are a message delivered (to the inbox or the message requests); an invite delivers none. */
const delivered = [inArray(decisionLog.decision, ['allow', 'request']), ne(decisionLog.kind, 'group_invite')];

function partsOf(scope: DmEventScope): IndexedPart[] {
  if ('groupId' in scope) return [{ scope: { groups: [scope.groupId] }, filters: [] }];
  if ('pair' in scope) {
    const [account, peer] = scope.pair;
    // The account's direct messages whose other end is the peer: the account sent them to it, or received them from it.
    return [{ scope: { account }, filters: [...delivered, eq(decisionLog.kind, 'direct'), or(eq(decisionLog.senderId, peer), hasRecipient(peer))!] }];
  }
  return [{ scope: { account: scope.accountId }, filters: delivered }, { scope: { groups: scope.groupIds }, filters: [] }];
}

/**
 * Up to `limit` events of `scope`, newest first: the newest of all, or those older (or newer) than
 * a position. Ask for one more than a page to learn whether another follows.
 */
export async function listDmEvents(db: Executor, scope: DmEventScope, page: DmEventPageQuery): Promise<DmEventRow[]> {
  const newer = page.from?.direction === 'newer';
  const position = page.from?.position;
  const logPage: LogPage = newer ? { limit: page.limit, before: position } : { limit: page.limit, after: position };
  const entries = await readIndexedLog(db, partsOf(scope), logPage);
  const events = entries.map((e): DmEventRow => ({
    seq: e.seq, sendId: e.sendId!, senderId: e.senderId, recipientId: e.kind === 'direct' ? e.recipientIds[0] : null,
    conversationId: e.conversationId, kind: e.kind as DmEventRow['kind'], textLength: e.textLength, at: e.at,
  }));
  return newer ? events.reverse() : events;
}

/**
 * The group conversations whose id starts with `prefix` (at most two: more than one is ambiguous):
 * the groups the log indexer has built, and those created in the log's rows after its watermark.
 */
export async function groupsWithIdPrefix(db: Executor, prefix: string): Promise<string[]> {
  // A key range: every id that starts with the prefix sorts before prefix + U+FFFF.
  const end = `${prefix}\uffff`;
  const through = await indexedThrough(db, 'groups');
  const built = await db.select({ id: conversations.id }).from(conversations)
    .where(and(gte(conversations.id, prefix), lt(conversations.id, end), eq(conversations.kind, 'group'))).orderBy(conversations.id).limit(2);
  const created = await db.select({ id: sql<string>`${decisionLog.conversationId}` }).from(decisionLog)
    .where(and(gt(decisionLog.seq, through), eq(decisionLog.kind, 'group_create'), inArray(decisionLog.decision, ['allow', 'request']),
      gte(decisionLog.conversationId, prefix), lt(decisionLog.conversationId, end)))
    .limit(2);
  return [...new Set([...built, ...created].map((r) => String(r.id)))].sort().slice(0, 2);
}

/**
 * Delivered messages read as the X API's DM events: an account's, a 1:1 pair's, or a group's, newest
 * first, in keyset pages over (at, id). Reads the `sends` table (no text is ever stored).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';

/** One delivered message. `recipientId` is null for a group message. */
export interface DmEventRow {
  id: string;
  senderId: string;
  recipientId: string | null;
  conversationId: string | null;
  kind: 'direct' | 'group_create' | 'group_message';
  outcome: 'allow' | 'request';
  textLength: number;
  at: number;
}

/** Whose events: everything an account sent or received (its groups included), a pair's, or a group's. */
export type DmEventScope =
  | { accountId: string }
  | { pair: readonly [string, string] }
  | { groupId: string };

/** A position in the newest-first order: an event's (at, id). */
export interface EventPosition {
  at: number;
  id: string;
}

export interface DmEventPageQuery {
  /** Events strictly older than this one (the next page), or strictly newer (the previous page). */
  from?: { position: EventPosition; direction: 'older' | 'newer' };
  limit: number;
}

const columns = sql.raw('id, sender_id, recipient_id, conversation_id, kind, outcome, text_length, at');
const groupColumns = sql.raw('s.id, s.sender_id, s.recipient_id, s.conversation_id, s.kind, s.outcome, s.text_length, s.at');

function positionTerm(from: DmEventPageQuery['from'], table = ''): SQL {
  if (!from) return sql`1`;
  const at = sql.raw(`${table}at`);
  const id = sql.raw(`${table}id`);
  const { position } = from;
  return from.direction === 'older'
    ? sql`(${at} < ${position.at} or (${at} = ${position.at} and ${id} < ${position.id}))`
    : sql`(${at} > ${position.at} or (${at} = ${position.at} and ${id} > ${position.id}))`;
}

/** The scope as index ranges: by sender (sends_sender_at, sends_pair_at), by recipient, by group. */
function scopeBranches(scope: DmEventScope, from: DmEventPageQuery['from']): SQL[] {
  const at = positionTerm(from);
  if ('accountId' in scope) {
    const id = scope.accountId;
    return [
      sql`select ${columns} from sends where sender_id = ${id} and ${at}`,
      sql`select ${columns} from sends where recipient_id = ${id} and ${at}`,
      sql`select ${groupColumns} from participants p join sends s on s.conversation_id = p.conversation_id
        where p.account_id = ${id} and s.recipient_id is null and s.sender_id <> ${id} and ${positionTerm(from, 's.')}`,
    ];
  }
  if ('pair' in scope) {
    const [a, b] = scope.pair;
    return [
      sql`select ${columns} from sends where sender_id = ${a} and recipient_id = ${b} and ${at}`,
      sql`select ${columns} from sends where sender_id = ${b} and recipient_id = ${a} and ${at}`,
    ];
  }
  return [sql`select ${columns} from sends where conversation_id = ${scope.groupId} and recipient_id is null and ${at}`];
}

/**
 * Up to `limit` events of `scope`, newest first: the newest of all, or those older (or newer) than
 * a position. Ask for one more than a page to learn whether another follows.
 */
export async function listDmEvents(db: Executor, scope: DmEventScope, page: DmEventPageQuery): Promise<DmEventRow[]> {
  const newer = page.from?.direction === 'newer';
  const order = newer ? sql.raw('at asc, id asc') : sql.raw('at desc, id desc');
  // Each branch stops at `limit` rows of its own range; only those are merged.
  const branches = scopeBranches(scope, page.from).map((branch) => sql`select * from (${branch} order by ${order} limit ${page.limit})`);
  const rows = await db.all<Record<string, unknown>>(sql`select * from (${sql.join(branches, sql` union all `)}) order by ${order} limit ${page.limit}`);
  const events = rows.map((r) => ({
    id: String(r.id), senderId: String(r.sender_id), recipientId: r.recipient_id === null ? null : String(r.recipient_id),
    conversationId: r.conversation_id === null ? null : String(r.conversation_id), kind: r.kind as DmEventRow['kind'],
    outcome: r.outcome as DmEventRow['outcome'], textLength: Number(r.text_length), at: Number(r.at),
  }));
  return newer ? events.reverse() : events;
}

/** The group conversations whose id starts with `prefix` (at most two: more than one is ambiguous). */
export async function groupsWithIdPrefix(db: Executor, prefix: string): Promise<string[]> {
  // A key range of the primary key: every id that starts with the prefix sorts before prefix + U+FFFF.
  const rows = await db.all<{ id: string }>(sql`select id from conversations
    where id >= ${prefix} and id < ${`${prefix}\uffff`} and kind = 'group' order by id limit 2`);
  return rows.map((r) => String(r.id));
}

export async function isParticipant(db: Executor, conversationId: string, accountId: string): Promise<boolean> {
  const rows = await db.all(sql`select 1 from participants where conversation_id = ${conversationId} and account_id = ${accountId}`);
  return rows.length > 0;
}

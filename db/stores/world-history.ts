/**
 * What the in-memory decision state is rebuilt from at start (server/state/rebuild.ts): the graph's
 * tables, what the log indexer folded the log into, and the log's rows since.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { TapeNames } from '../json-tape.ts';
import { scanPages } from '../native-reader.ts';
import { queryOne, queryRows } from '../statements.ts';

/** Rows per statement: large enough that a million-row table is a few round trips from a server. */
const pageSize = 50_000;

/**
 * Every row of `table` (the columns given, from a `where` clause over `params`), in pages by rowid,
 * so a table of millions never sits in memory at once. Rows are arrays: the rowid, then the columns
 * in their order. Each page comes back as one JSON text (SQLite builds it; JSON.parse reads it):
 * stepping the driver's row iterator, a native call a row, took most of a rebuild.
 */
export async function scanTable(db: Executor, table: string, columns: string, visit: (row: unknown[]) => void, where = 'true', params: unknown[] = []): Promise<number> {
  // Rowids are 64-bit integers; the smallest is well above this (and a server refuses -Infinity).
  let after = Number.MIN_SAFE_INTEGER;
  let count = 0;
  const n = params.length;
  const text = `select json_group_array(json_array(rowid, ${columns})) from (
    select rowid, ${columns} from ${table} where rowid > ?${n + 1} and (${where}) order by rowid limit ?${n + 2})`;
  for (;;) {
    const [[page]] = await queryRows(db, text, [...params, after, pageSize]);
    const rows = JSON.parse(String(page)) as unknown[][];
    for (const row of rows) {
      visit(row);
      // The page's order is the subquery's, which its LIMIT keeps; the next page starts after the largest rowid regardless.
      if ((row[0] as number) > after) after = row[0] as number;
    }
    count += rows.length;
    if (rows.length < pageSize) return count;
  }
}

/**
 * Every row of a table WITHOUT ROWID (the columns given, its key's first), in pages of its key's order
 * — a keyset over `key`, the key's columns, whose first is a number. Rows are arrays in the columns' order.
 */
export async function scanByKey(db: Executor, table: string, key: readonly string[], columns: string, visit: (row: unknown[]) => void): Promise<number> {
  const keyList = key.join(', ');
  const text = `select ${columns} from ${table} where (${keyList}) > (${key.map((_, i) => `?${i + 1}`).join(', ')})
    order by ${keyList} limit ?${key.length + 1}`;
  let after: unknown[] = [Number.MIN_SAFE_INTEGER, ...key.slice(1).map(() => '')];
  let count = 0;
  for (;;) {
    const rows = await queryRows(db, text, [...after, pageSize]);
    for (const row of rows) visit(row);
    count += rows.length;
    if (rows.length < pageSize) return count;
    after = rows[rows.length - 1].slice(0, key.length);
  }
}

/**
 * The pair history's buckets (conversation_pairs), bucket by bucket in order, each row
 * [bucket, sender, recipient, lastSentAt | null, lastSentSeq | null, added, reset], a page at a time.
 */
export function scanPairHistory(db: Executor, visit: (row: unknown[]) => void): Promise<number> {
  return scanByKey(db, 'conversation_pairs', ['bucket', 'sender_id', 'recipient_id'],
    'bucket, sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset', visit);
}

/** The graph's tables of edges between two accounts, and their two columns, from and to. */
const edgeTables = {
  follows: ['follower_id', 'followee_id'],
  blocks: ['blocker_id', 'blocked_id'],
  welcome_messages: ['account_id', 'business_id'],
} as const;
export type EdgeTable = keyof typeof edgeTables;

/** Every row of an edge table, in the caller's snapshot: `visit(from, to)` with the two ids. */
export function scanEdges(db: Executor, table: EdgeTable, visit: (from: string, to: string) => void): Promise<number> {
  return scanTable(db, table, edgeTables[table].join(', '), ([, from, to]) => visit(String(from), String(to)));
}

/** Pages the reading thread keeps ready ahead of the caller. */
const pagesAhead = 2;

/**
 * Every row of an edge table of the local file at `path`, read by a thread of its own a few pages
 * ahead (db/native-reader.ts), so that SQLite and the reading of its pages run beside the caller's
 * work instead of inside it: `visit(from, to, idOf)` gets the ids as the scan's names (the same id,
 * the same number, for the whole scan; `idOf` gives the id). Each page is a statement of its own:
 * the rows hold together only where nothing writes the table meanwhile (a start, before anything can).
 */
export async function scanEdgesOnThread(
  path: string, table: EdgeTable, visit: (from: number, to: number, idOf: (name: number) => string) => void,
): Promise<number> {
  const [from, to] = edgeTables[table].map((column) => sql.identifier(column));
  const query = sql`select json_group_array(json_array(rowid, ${from}, ${to})) from (
    select rowid, ${from}, ${to} from ${sql.identifier(table)} where rowid > ${Number.MIN_SAFE_INTEGER} order by rowid limit ${pageSize})`;
  const names = new TapeNames();
  let count = 0;
  for await (const page of scanPages(path, query, { textColumns: [], keyset: 1, limit: pageSize, ahead: pagesAhead })) {
    const tape = names.reader(page);
    const idOf = (name: number) => tape.nameOf(name);
    for (let r = 0; r < tape.rows.length; r++) {
      tape.at = tape.rows[r];
      tape.array();
      tape.number();
      visit(tape.name(), tape.name(), idOf);
    }
    count += tape.rows.length;
  }
  return count;
}

export interface HistorySizes {
  graphPairs: number;
  conversationPairs: number;
}

/** Upper bounds of the pairs the graph and the pair history hold, to size their tables once. */
export async function historySizes(db: Executor): Promise<HistorySizes> {
  const row = await queryOne<{ graph: number; conversations: number }>(db, `select
    (select count(*) from follows) + (select count(*) from blocks) + (select count(*) from welcome_messages) as graph,
    (select count(*) from conversation_pairs) as conversations`, []);
  return { graphPairs: Number(row?.graph ?? 0), conversationPairs: Number(row?.conversations ?? 0) };
}

/** How far each thing built from the log has come, by name (0: nothing yet). */
export async function readLogIndex(db: Executor): Promise<Map<string, number>> {
  const rows = await queryRows(db, 'select name, seq from log_index', []);
  return new Map(rows.map(([name, seq]) => [String(name), Number(seq)]));
}

/** The latest sequence number anything recorded took: decisions, reports, counter resets, journaled graph events. */
export async function latestSeq(db: Executor): Promise<number> {
  const row = await queryOne<{ seq: number | null }>(db, `select max(
    coalesce((select max(seq) from decision_log), 0), coalesce((select max(seq) from reports), 0), coalesce((select max(seq) from counter_resets), 0),
    coalesce((select max(seq) from graph_events), 0)) as seq`, []);
  return Number(row?.seq ?? 0);
}

/** The latest time a decision was logged, or null for an empty log. */
export async function latestLoggedAt(db: Executor): Promise<number | null> {
  const row = await queryOne<{ at: number | null }>(db, 'select max(at) as at from decision_log', []);
  return row?.at === null || row?.at === undefined ? null : Number(row.at);
}

/** The columns of a log row the rule families fold (server/state/rebuild.ts reads them in this order). */
export const foldedLogColumns = 'seq, at, sender_id, app_id, kind, recipient_ids, decision, conversation_id, counted, api_request, cooldown_until, fingerprints, fingerprint_target, idempotency_key, request_hash, response';

/**
 * Log rows with `seq` after `afterSeq` and either after `foldedFromSeq` or at or after `since`, in
 * recorded order, page by page (`visit` may not keep a row).
 */
export async function scanLog(db: Executor, afterSeq: number, visit: (row: unknown[]) => void): Promise<number> {
  let after = afterSeq;
  let count = 0;
  for (;;) {
    const rows = await queryRows(db, `select ${foldedLogColumns} from decision_log where seq > ?1 order by seq limit ?2`, [after, pageSize]);
    for (const row of rows) visit(row);
    count += rows.length;
    if (rows.length < pageSize) return count;
    after = Number(rows[rows.length - 1][0]);
  }
}

/** The first log row at or after `since` (its seq), or null: where folding the windows starts. */
export async function firstSeqFrom(db: Executor, since: number): Promise<number | null> {
  const row = await queryOne<{ seq: number | null }>(db, 'select min(seq) as seq from decision_log where at >= ?1', [since]);
  return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
}

/**
 * The decision log read in time order, in pages, for replays — and the operator actions a replay must
 * see beside it (exemptions, counter resets), since they changed decisions without being facts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor, Store } from '../client.ts';
import { NativeReader } from '../native-reader.ts';

/** One logged enforced attempt, as a replay needs it. */
export interface LoggedAttempt {
  /** The row's insertion order: it breaks ties between attempts logged in the same millisecond. */
  seq: number;
  at: number;
  senderId: string;
  kind: string;
  channel: string;
  decision: 'allow' | 'request' | 'deny' | 'limit';
  reason: string;
  rule: string | null;
  version: string;
  /** Fingerprints of the text and of each link (R14). */
  fingerprints: string[];
  recipientIds: string[];
  /** Of the logged request (its text is never stored); the conversation only for the group kinds. */
  appId: string | null;
  conversationId: string | null;
  /** The `facts` column's JSON, parsed: server/decisions/logged-facts.ts decodes it. */
  facts: unknown;
  /** For a delivered group_create: the conversation it created (its duplicates are counted per conversation). */
  createdConversationId: string | null;
}

/** Where a page resumes: strictly after this (at, seq). */
export interface LogPosition {
  at: number;
  seq: number;
}

export interface LogWindow {
  policy: string;
  /** Inclusive. */
  from: number;
  /** Exclusive. */
  to: number;
}

/** Where the log is read from: natively when the store is a local file, else through drizzle. */
export type LogStore = Pick<Store, 'db' | 'localPath'>;

type Row = Record<string, unknown>;

/** A row as logPage's JSON text has it: `[rowid, at, [columns…], fingerprints, recipientIds, facts]`. */
type RowJson = [
  seq: number, at: number,
  columns: [
    senderId: string, kind: string, channel: string, decision: LoggedAttempt['decision'], reason: string | null, rule: string | null,
    version: string, appId: string | null, conversationId: string | null, createdConversationId: string | null,
  ],
  fingerprints: string[], recipientIds: string[], facts: unknown,
];

function attemptOf(row: RowJson): LoggedAttempt {
  const c = row[2];
  return {
    seq: row[0], at: row[1], senderId: c[0], kind: c[1], channel: c[2], decision: c[3], reason: c[4] ?? '', rule: c[5], version: c[6],
    fingerprints: row[3], recipientIds: row[4], appId: c[7], conversationId: c[8], facts: row[5], createdConversationId: c[9],
  };
}

/**
 * The attempts in [from, to) after `after` (or from the start), at most `limit`, in time order (ties
 * in the order they were logged). Keyset pagination on (at, rowid) rides the `decision_log_at` index,
 * which SQLite keys by (at, rowid): no page is re-read and no row skipped however long the log.
 *
 * Each row is one JSON text, `[rowid, at, [the short columns], fingerprints, recipient_ids, facts]`,
 * the JSON columns spliced in as stored: handing a value over from SQLite to JavaScript costs about as
 * much as reading the row, and the page is then parsed in one JSON.parse. Parsing the request's JSON
 * costs more than reading the row too, so it is parsed only where it can hold what is extracted: few
 * requests name an app, and a replay needs the conversation of the group kinds only (their duplicates
 * are counted per conversation).
 */
function logPage(q: LogWindow & { after: LogPosition | null; limit: number }): SQL {
  const after = q.after ?? { at: q.from, seq: -1 };
  return sql`select '[' || d.rowid || ',' || d.at || ',' || json_array(d.sender_id, d.kind, d.channel, d.decision, d.reason, d.rule, d.version,
        case when instr(d.request, '"appId"') then d.request ->> '$.appId' end,
        case when d.kind <> 'direct' then d.request ->> '$.conversationId' end,
        case when d.kind = 'group_create' and d.send_id is not null
          then (select s.conversation_id from sends s where s.id = d.send_id) end)
      || ',' || d.fingerprints || ',' || d.recipient_ids || ',' || d.facts || ']'
    from decision_log d
    where d.at >= ${after.at} and d.at < ${q.to} and (d.at > ${after.at} or d.rowid > ${after.seq}) and d.policy = ${q.policy}
    order by d.at, d.rowid
    limit ${q.limit}`;
}

/**
 * Rows per page. From a server, pages are round trips: large. From the local file they cost nothing
 * much, and a small page's rows die young — a page outliving the garbage collector's young generation
 * (a few MiB) got copied and promoted, which was most of a replay's GC time.
 */
const pageSizes = { server: 5000, local: 256 };

/**
 * The attempts in [from, to), page by page, in log order, the next page read while the caller works
 * on one. A local file is read on a thread of its own (db/native-reader.ts, stopped when the pages end
 * or the caller stops); a libSQL server through drizzle. Each page is its own statement, so no read
 * snapshot is held while the caller works.
 */
export async function* readDecisionLog(store: LogStore, window: LogWindow, pageSize?: number): AsyncGenerator<LoggedAttempt[]> {
  const native = store.localPath === null ? null : new NativeReader(store.localPath);
  const limit = pageSize ?? (native ? pageSizes.local : pageSizes.server);
  const read = (after: LogPosition | null): Promise<RowJson[]> => {
    const query = logPage({ ...window, after, limit });
    if (native) return native.jsonRows(query) as Promise<RowJson[]>;
    return store.db.values<[string]>(query).then((rows) => rows.map((row) => JSON.parse(row[0]) as RowJson));
  };
  let next: Promise<RowJson[]> | null = read(null);
  try {
    while (next) {
      const rows: RowJson[] = await next;
      const last = rows[rows.length - 1];
      next = rows.length < limit ? null : read({ at: last[1], seq: last[0] });
      if (rows.length) yield rows.map(attemptOf);
    }
  } finally {
    native?.close();
    next?.catch(() => undefined); // a page read ahead for a caller that stopped: nobody wants its error
  }
}

export async function countDecisionLog(db: Executor, q: LogWindow): Promise<number> {
  const row = await db.get<{ n: number }>(sql`select count(*) as n from decision_log where at >= ${q.from} and at < ${q.to} and policy = ${q.policy}`);
  return Number(row?.n ?? 0);
}

/** An operator's exemption of an account from a rule, over the time it was in force. */
export interface ExemptionSpan {
  accountId: string;
  rule: string;
  from: number;
  /** Exclusive: the earlier of its expiry and its revocation. */
  until: number;
}

/** Exemptions in force at some moment of [from, to). */
export async function readExemptionSpans(db: Executor, from: number, to: number): Promise<ExemptionSpan[]> {
  const rows = await db.all<Row>(sql`select account_id, rule, created_at, min(expires_at, coalesce(revoked_at, expires_at)) as until
    from exemptions where created_at < ${to} and min(expires_at, coalesce(revoked_at, expires_at)) > ${from}`);
  return rows.map((r) => ({ accountId: String(r.account_id), rule: String(r.rule), from: Number(r.created_at), until: Number(r.until) }));
}

/** An operator's reset of an account's counters (audited as `counters.reset`). */
export interface CounterResetEvent {
  accountId: string;
  at: number;
}

/** Counter resets in [from, to), in time order. */
export async function readCounterResets(db: Executor, from: number, to: number): Promise<CounterResetEvent[]> {
  const rows = await db.all<Row>(sql`select subject, at from audit_log
    where action = 'counters.reset' and subject is not null and at >= ${from} and at < ${to} order by at`);
  return rows.map((r) => ({ accountId: String(r.subject), at: Number(r.at) }));
}

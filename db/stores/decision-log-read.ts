/**
 * The decision log read in time order, in pages, for replays — and the operator actions a replay must
 * see beside it (exemptions, counter resets), since they changed decisions without being facts.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from '../client.ts';
import type { Executor } from '../executor.ts';
import { createTapeEncoder, TapeNames, type Tape, type TapeReader } from '../json-tape.ts';
import { scanPages } from '../native-reader.ts';

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
  /**
   * The numbers of `senderId` and each of `recipientIds` among the names of the scan's tapes
   * (db/json-tape.ts): the same for an account throughout the scan, dense enough to index arrays.
   */
  senderName: number;
  recipientNames: number[];
  /** Of the logged request (its text is never stored); the conversation only for the group kinds. */
  appId: string | null;
  conversationId: string | null;
  /** Where the `facts` column's JSON starts on `tape`: server/decisions/logged-facts.ts decodes it from there. */
  facts: number;
  /** The tape the attempt's page was read from. */
  tape: TapeReader;
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

/**
 * A row as logPage's JSON text has it:
 * `[at, rowid, [sender_id, kind, channel, decision, reason, rule, version, appId], [conversationId, createdConversationId], fingerprints, recipient_ids, facts]`.
 * The strings of the conversations and fingerprints rarely repeat: the tape carries them as texts.
 */
const textColumns = [3, 4];

/**
 * The rows of a page's tape, one at a time (they decode their facts from it later). Made as they are
 * taken, each dies before the garbage collector's next young collection: a page of attempts made at
 * once outlived it, and copying and promoting them was most of a replay's collection time.
 */
function* attemptsOn(tape: TapeReader): Generator<LoggedAttempt> {
  let lastAt = -Infinity;
  let lastSeq = -Infinity;
  for (const row of tape.rows) {
    tape.at = row;
    tape.array();
    const at = tape.number();
    const seq = tape.number();
    if (at < lastAt || (at === lastAt && seq <= lastSeq)) throw new Error(`decision log page out of order at row ${seq}`);
    lastAt = at;
    lastSeq = seq;
    tape.array();
    const senderName = tape.name();
    const kind = tape.string()!;
    const channel = tape.string()!;
    const decision = tape.string() as LoggedAttempt['decision'];
    const reason = tape.string() ?? '';
    const rule = tape.string();
    const version = tape.string()!;
    const appId = tape.string();
    tape.array();
    const conversationId = tape.string();
    const createdConversationId = tape.string();
    // Arrays made to their length: grown by push from empty, each took room for 16 (most hold one).
    const fingerprints = new Array<string>(tape.array());
    for (let i = 0; i < fingerprints.length; i++) fingerprints[i] = tape.string()!;
    const recipientIds = new Array<string>(tape.array());
    const recipientNames = new Array<number>(recipientIds.length);
    for (let i = 0; i < recipientIds.length; i++) recipientIds[i] = tape.nameOf((recipientNames[i] = tape.name()));
    yield {
      seq, at, senderId: tape.nameOf(senderName), kind, channel, decision, reason, rule, version, fingerprints, recipientIds, senderName, recipientNames,
      appId, conversationId, facts: tape.at, tape, createdConversationId,
    };
  }
}

/**
 * The attempts in [from, to) after `after` (or from the start), at most `limit`, in time order (ties
 * in the order they were logged). Keyset pagination on (at, rowid) rides the `decision_log_at` index,
 * which SQLite keys by (at, rowid): no page is re-read and no row skipped however long the log. The
 * position comes first among the parameters, and each row starts with its own (the reading thread
 * turns the pages that way, db/native-reader.ts).
 *
 * The page is one JSON text, an array of rows (`textColumns` says what a row holds), the JSON columns
 * spliced in as stored: handing a value over from SQLite to JavaScript costs about as much as reading
 * the row. group_concat takes the rows in the order the subquery gives them (its LIMIT keeps SQLite
 * from dropping that ORDER BY or flattening it away); an ORDER BY of its own sorted every page again,
 * a sixth of the reading thread's time, so attemptsOn checks the order instead. Parsing the request's
 * JSON costs more than reading the row too, so it is parsed only for the conversation a group
 * message or invite named (a replay counts their duplicates per conversation).
 */
function logPage(q: LogWindow & { after: LogPosition | null; limit: number }): SQL {
  const after = q.after ?? { at: q.from, seq: -1 };
  return sql`select concat('[', group_concat(row, ','), ']') from (
    select concat('[', d.at, ',', d.rowid, ',', json_array(d.sender_id, d.kind, d.channel, d.decision, d.reason, d.rule, d.version, d.app_id),
      ',', json_array(case when d.kind in ('group_message', 'group_invite') then d.request ->> '$.conversationId' end,
        case when d.kind = 'group_create' then d.conversation_id end),
      ',', d.fingerprints, ',', d.recipient_ids, ',', d.facts, ']') as row
    from decision_log d
    where (d.at, d.rowid) > (${after.at}, ${after.seq}) and d.at < ${q.to} and d.policy = ${q.policy}
    order by d.at, d.rowid
    limit ${q.limit})`;
}

/**
 * Rows per page. From a server, pages are round trips: large. From the local file, the reading
 * thread hands pages over as it reads them, a few ahead, and small: a page's text (~380 bytes a row)
 * must stay under V8's largest regular object (128 KiB). A larger string gets pages of its own from
 * the system, fresh every time; at 1 024 rows a page their first touches were ~110 000 page faults
 * in a million-row replay, a fifth of the reading thread's CPU (bench/RESULTS.md, session 16).
 */
const pageSizes = { server: 5000, local: 256 };
const localPagesAhead = 8;

/**
 * The attempts in [from, to), page by page, in log order, the next pages read while the caller works
 * on one; each page's attempts are made as the caller takes them. A local file is read on a thread
 * of its own (db/native-reader.ts, stopped when the pages end or the caller stops); a libSQL server
 * through drizzle. Each page is its own statement, so no read snapshot is held while the caller works.
 */
export async function* readDecisionLog(store: LogStore, window: LogWindow, pageSize?: number): AsyncGenerator<Iterable<LoggedAttempt>> {
  const native = store.localPath !== null;
  const limit = pageSize ?? (native ? pageSizes.local : pageSizes.server);
  const tapes = native
    ? scanPages(store.localPath!, logPage({ ...window, after: null, limit }), { textColumns, keyset: 2, limit, ahead: localPagesAhead })
    : serverPages(store.db, window, limit);
  const names = new TapeNames();
  for await (const tape of tapes) {
    if (tape.rows.length) yield attemptsOn(names.reader(tape));
  }
}

interface ServerPage {
  tape: Tape;
  /** Its last row's position (where the next page starts), null when it has no rows. */
  last: LogPosition | null;
  /** Whether it has `limit` rows: there may be more. */
  full: boolean;
}

/** The pages from a libSQL server, each asked for once the one before has come, encoded here. */
async function* serverPages(db: Executor, window: LogWindow, limit: number): AsyncGenerator<Tape> {
  const encode = createTapeEncoder();
  const read = async (after: LogPosition | null): Promise<ServerPage> => {
    const rows = await db.values<[string]>(logPage({ ...window, after, limit }));
    const tape = encode(rows[0][0], textColumns);
    const lastRow = tape.rows.length ? tape.rows[tape.rows.length - 1] : -1;
    return { tape, last: lastRow < 0 ? null : { at: tape.values[lastRow + 1], seq: tape.values[lastRow + 2] }, full: tape.rows.length === limit };
  };
  let next: Promise<ServerPage> | null = read(null);
  try {
    while (next) {
      const page: ServerPage = await next;
      next = page.full ? read(page.last) : null;
      yield page.tape;
    }
  } finally {
    next?.catch(() => undefined); // a page read ahead for a caller that stopped: nobody wants its error
  }
}

/**
 * How many entries of any policy lie in [from, to): counted on the `at` index alone, so no table row
 * is read (a policy's own count read every row, ~0.5 s a million) — an upper bound of one policy's.
 */
export async function countDecisionLogAtMost(db: Executor, q: Omit<LogWindow, 'policy'>): Promise<number> {
  const row = await db.get<{ n: number }>(sql`select count(*) as n from decision_log where at >= ${q.from} and at < ${q.to}`);
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

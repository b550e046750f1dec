/** The decision log: appending a decision, and reading it as operators do (search, entries, figures, pruning). */
import { and, asc, desc, eq, getTableColumns, gt, gte, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn, AnySQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Executor } from '../executor.ts';
import { decisionLog, decisionLogAccounts, decisionLogGroups, decisionMinutes, logIndex, shadowDecisions } from '../schema.ts';
import type { Statement } from '../statements.ts';
import { changedRows, leasesStillHeld } from './shard-leases.ts';

export type DecisionLogRow = typeof decisionLog.$inferInsert & { seq: number };

const appendStatement = `insert into decision_log (seq, id, at, sender_id, recipient_ids, kind, channel, app_id, conversation_id, decision, reason, rule,
  policy, version, experiment_id, arm, text_fingerprint, fingerprints, text_length, request, facts, send_id, counted, api_request, cooldown_until,
  fingerprint_target, idempotency_key, request_hash, response, shadows)
  values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)`;

const columnCount = 30;

/**
 * The statement that appends one decision at its sequence number, on the writer's local connection
 * (where it is kept prepared): the table's last pages, and the last pages of the `id` and `at`
 * indexes (both grow with time), are all it writes. Each decision's job runs it as soon as it has
 * decided, inside its batch's transaction. Rows held for one multi-row statement at the batch's end
 * were alive whenever a young collection came, and V8 promoted them with what they point to (the
 * facts text, the request): ~40 % of what a decision promoted (bench/RESULTS.md, session 14).
 */
export function appendDecision(row: DecisionLogRow): Statement {
  return { text: appendStatement, params: appendParams(row) };
}

/**
 * The same insert on a server shared by instances that own their senders: the rows take the sequence
 * numbers after the latest recorded by any instance (in the log or the graph journal), in the order
 * given, and are written only while every (shard, epoch) they were decided under is still `owner`'s.
 */
const appendOwnedStatement = appendStatement.replace(/values \(.*\)$/s,
  `select base.seq + j.key + 1, ${Array.from({ length: columnCount - 1 }, (_, c) => `j.value->>${c + 1}`).join(', ')}
  from json_each(?1) j, (select max(s) as seq from (select coalesce(max(seq), 0) as s from decision_log
    union all select coalesce(max(seq), 0) from graph_events)) base
  where ${leasesStillHeld(2)}`);

/**
 * An owner's append (server/cluster/ownership.ts): the rows, whatever sequence numbers they were
 * decided at, take the next ones in the server's order; `leases` are the [shard, epoch] pairs they
 * were decided under. The rows travel as one JSON text (encoding thousands of arguments cost the
 * client ~90 µs a row, one text ~30). The second statement answers how many rows were written: none
 * if a lease moved.
 */
export function appendOwnedDecisions(rows: readonly DecisionLogRow[], leases: ReadonlyArray<[number, number]>, owner: string): Statement[] {
  if (!rows.length) return [];
  return [{ text: appendOwnedStatement, params: [JSON.stringify(rows.map(appendParams)), JSON.stringify(leases), owner] }, changedRows];
}

/** A row's values in appendStatement's order. */
function appendParams(row: DecisionLogRow): unknown[] {
  return [
    row.seq, row.id, row.at, row.senderId, JSON.stringify(row.recipientIds), row.kind, row.channel, row.appId ?? null, row.conversationId ?? null,
    row.decision, row.reason ?? null, row.rule ?? null, row.policy, row.version, row.experimentId ?? null, row.arm ?? null,
    row.textFingerprint ?? null, JSON.stringify(row.fingerprints), row.textLength, JSON.stringify(row.request), row.facts, row.sendId ?? null,
    row.counted ? 1 : 0, row.apiRequest ? 1 : 0, row.cooldownUntil ?? null, row.fingerprintTarget ?? null, row.idempotencyKey ?? null,
    row.requestHash ?? null, row.response ?? null, row.shadows ?? null,
  ];
}

/** An entry with its `facts` column as stored: server/decisions/logged-facts.ts decodes it. */
export type DecisionLogEntry = Omit<typeof decisionLog.$inferSelect, 'facts'> & { facts: string };

/** Where a page of a newest-first search resumes: strictly after this (at, seq). */
export interface LogCursor {
  at: number;
  seq: number;
}

/**
 * A page of entries in time order (ties in recorded order): newest first, strictly before `after`;
 * or, given `before`, oldest first, strictly after it. `from` (inclusive) and `to` (exclusive) bound
 * the times.
 */
export interface LogPage {
  from?: number;
  to?: number;
  after?: LogCursor;
  before?: LogCursor;
  limit: number;
}

export interface DecisionLogQuery extends Omit<LogPage, 'before'> {
  /** Entries where the account is the sender or one of the recipients. */
  account?: string;
  sender?: string;
  /** Entries where the account is one of the recipients. */
  recipient?: string;
  decision?: string;
  reason?: string;
  /** The deciding rule's name (entries the policy default decided have none). */
  rule?: string;
  kind?: string;
  channel?: string;
  version?: string;
  arm?: string;
}

/** The list columns: everything but the logged request and facts, which only a single entry carries. */
const summaryColumns = {
  seq: decisionLog.seq, id: decisionLog.id, at: decisionLog.at, senderId: decisionLog.senderId, recipientIds: decisionLog.recipientIds,
  kind: decisionLog.kind, channel: decisionLog.channel, decision: decisionLog.decision, reason: decisionLog.reason,
  rule: decisionLog.rule, policy: decisionLog.policy, version: decisionLog.version, experimentId: decisionLog.experimentId,
  arm: decisionLog.arm, textLength: decisionLog.textLength, textFingerprint: decisionLog.textFingerprint, sendId: decisionLog.sendId,
  conversationId: decisionLog.conversationId,
};

export type DecisionLogSummary = Pick<DecisionLogEntry, keyof typeof summaryColumns>;

// The id is bound as a parameter and compared to json_each's values: no pattern matching, so an id
// containing `%`, `_` or `"` can't match anything but itself.
export const hasRecipient = (account: string) =>
  sql`exists (select 1 from json_each(${decisionLog.recipientIds}) where json_each.value = ${account})`;

/** The filters on the log's own columns (the page's position apart). */
function logFilters(q: DecisionLogQuery): SQL[] {
  const where: SQL[] = [];
  if (q.account !== undefined) where.push(or(eq(decisionLog.senderId, q.account), hasRecipient(q.account))!);
  if (q.sender !== undefined) where.push(eq(decisionLog.senderId, q.sender));
  if (q.recipient !== undefined) where.push(hasRecipient(q.recipient));
  if (q.decision !== undefined) where.push(eq(decisionLog.decision, q.decision));
  if (q.reason !== undefined) where.push(eq(decisionLog.reason, q.reason));
  if (q.rule !== undefined) where.push(eq(decisionLog.rule, q.rule));
  if (q.kind !== undefined) where.push(eq(decisionLog.kind, q.kind));
  if (q.channel !== undefined) where.push(eq(decisionLog.channel, q.channel));
  if (q.version !== undefined) where.push(eq(decisionLog.version, q.version));
  if (q.arm !== undefined) where.push(eq(decisionLog.arm, q.arm));
  return where;
}

/** A page's times and position on the log's own columns. */
function pageFilters(page: LogPage): SQL[] {
  const where: SQL[] = [];
  if (page.from !== undefined) where.push(gte(decisionLog.at, page.from));
  if (page.to !== undefined) where.push(lt(decisionLog.at, page.to));
  // The redundant `at <= ?` (`at >= ?`) lets SQLite seek the (at) index instead of filtering.
  if (page.after) where.push(lte(decisionLog.at, page.after.at), or(lt(decisionLog.at, page.after.at), lt(decisionLog.seq, page.after.seq))!);
  if (page.before) where.push(gte(decisionLog.at, page.before.at), or(gt(decisionLog.at, page.before.at), gt(decisionLog.seq, page.before.seq))!);
  return where;
}

/** How far the log by account is built: rows after this are read from the log itself. */
export async function indexedThrough(db: Executor, name = 'accounts'): Promise<number> {
  const [row] = await db.select({ seq: logIndex.seq }).from(logIndex).where(eq(logIndex.name, name));
  return row?.seq ?? 0;
}

export interface IndexFreshness {
  /** Every log row up to this sequence number is in the index. */
  indexedThrough: number;
  /** Log rows recorded after it, not indexed yet. */
  pending: number;
}

/** How fresh one of the things built from the log is (log_index's `name`). */
export async function indexFreshness(db: Executor, name: string): Promise<IndexFreshness> {
  const through = await indexedThrough(db, name);
  return { indexedThrough: through, pending: await logRowsAfter(db, through) };
}

/** How many log rows were recorded after `seq`: a range of the key, short while the indexer keeps up. */
export async function logRowsAfter(db: Executor, seq: number): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(decisionLog).where(gt(decisionLog.seq, seq));
  return Number(row?.n ?? 0);
}

/**
 * What one of the indexes built off the decision path holds for a key: an account's entries (as
 * sender, as recipient, or either), or the messages delivered to some groups.
 */
export type IndexedScope = { account: string; role?: 'sender' | 'recipient' } | { groups: readonly string[] };

/** An index of the log: its table (bucket first, then the key), its watermark in log_index, and what it holds as a filter on the log. */
interface LogIndex {
  name: string;
  table: AnySQLiteTable;
  bucket: AnySQLiteColumn;
  at: AnySQLiteColumn;
  seq: AnySQLiteColumn;
  /** The key, on the index's columns. */
  keys: SQL[];
  /** The same entries, on the log's columns: for the rows after the watermark. */
  onLog: SQL;
}

function logIndexOf(scope: IndexedScope): LogIndex {
  if ('groups' in scope) {
    const t = decisionLogGroups;
    const groups = [...scope.groups];
    const onLog = and(inArray(decisionLog.conversationId, groups), inArray(decisionLog.kind, ['group_create', 'group_message']),
      inArray(decisionLog.decision, ['allow', 'request']))!;
    return { name: 'group_messages', table: t, bucket: t.bucket, at: t.at, seq: t.seq, keys: [inArray(t.conversationId, groups)], onLog };
  }
  const t = decisionLogAccounts;
  const { account, role } = scope;
  const keys = [eq(t.accountId, account), ...(role ? [eq(t.role, role)] : [])];
  const onLog = role === 'sender' ? eq(decisionLog.senderId, account)
    : role === 'recipient' ? hasRecipient(account) : or(eq(decisionLog.senderId, account), hasRecipient(account))!;
  return { name: 'accounts', table: t, bucket: t.bucket, at: t.at, seq: t.seq, keys, onLog };
}

const newestFirst = (a: DecisionLogSummary, b: DecisionLogSummary) => b.at - a.at || b.seq - a.seq;
const oldestFirst = (a: DecisionLogSummary, b: DecisionLogSummary) => a.at - b.at || a.seq - b.seq;

/** The entries an index holds for `scope` that pass `filters` (on the log's columns). */
export interface IndexedPart {
  scope: IndexedScope;
  filters: SQL[];
}

/**
 * One page of the entries of `parts` together (an entry in several counts once): each part read
 * from its index for what the indexer has built, and from the log itself for the few rows after the
 * index's watermark, so every entry is found however fresh.
 */
export async function readIndexedLog(db: Executor, parts: readonly IndexedPart[], page: LogPage): Promise<DecisionLogSummary[]> {
  const olderFirst = page.before !== undefined;
  const read = await Promise.all(parts.map(async ({ scope, filters }) => {
    if ('groups' in scope && scope.groups.length === 0) return [];
    const index = logIndexOf(scope);
    const through = await indexedThrough(db, index.name);
    const onPage = [...filters, ...pageFilters(page)];
    // Every bucket is sought (the key starts with it); each holds the entries of its part of the log.
    // The buckets are counted in SQL: thousands of them would not fit as parameters.
    const buckets = sql`(with recursive b(n) as (select min(${index.bucket}) from ${index.table}
      union all select n + 1 from b where n < (select max(${index.bucket}) from ${index.table})) select n from b)`;
    const byIndex: SQL[] = [sql`${index.bucket} in ${buckets}`, ...index.keys];
    if (page.from !== undefined) byIndex.push(gte(index.at, page.from));
    if (page.to !== undefined) byIndex.push(lt(index.at, page.to));
    if (page.after) byIndex.push(lte(index.at, page.after.at));
    if (page.before) byIndex.push(gte(index.at, page.before.at));
    const indexed = await db.select(summaryColumns).from(index.table)
      .innerJoin(decisionLog, eq(decisionLog.seq, index.seq))
      .where(and(...byIndex, ...onPage))
      .orderBy(...(olderFirst ? [asc(index.at), asc(index.seq)] : [desc(index.at), desc(index.seq)])).limit(page.limit);
    const tail = await db.select(summaryColumns).from(decisionLog).where(and(gt(decisionLog.seq, through), index.onLog, ...onPage))
      .orderBy(...(olderFirst ? [asc(decisionLog.at), asc(decisionLog.seq)] : [desc(decisionLog.at), desc(decisionLog.seq)])).limit(page.limit);
    return [...indexed, ...tail];
  }));
  const seen = new Set<number>();
  return read.flat().sort(olderFirst ? oldestFirst : newestFirst).filter((e) => !seen.has(e.seq) && seen.add(e.seq)).slice(0, page.limit);
}

/**
 * One page of entries, newest first (ties by recorded order, latest first), resuming after `q.after`.
 * By account, it reads the log by account (decision_log_accounts) for what the indexer has built and
 * the log itself for the few rows after, so every entry is found however fresh.
 */
export async function searchDecisions(db: Executor, q: DecisionLogQuery): Promise<DecisionLogSummary[]> {
  const filters = logFilters(q);
  const account = q.account ?? q.sender ?? q.recipient;
  if (account === undefined) {
    const where = [...filters, ...pageFilters(q)];
    return db.select(summaryColumns).from(decisionLog).where(where.length ? and(...where) : undefined)
      .orderBy(desc(decisionLog.at), desc(decisionLog.seq)).limit(q.limit);
  }
  const role = q.account !== undefined ? undefined : q.sender !== undefined ? 'sender' : 'recipient';
  return readIndexedLog(db, [{ scope: { account, role }, filters }], q);
}

/** Every column, `facts` as its text (selected raw, so no column mode can decode it on the way). */
const entryColumns = { ...getTableColumns(decisionLog), facts: sql<string>`${decisionLog.facts}` };

export async function findDecision(db: Executor, id: string): Promise<DecisionLogEntry | null> {
  const [row] = await db.select(entryColumns).from(decisionLog).where(eq(decisionLog.id, id)).limit(1);
  return row ?? null;
}

export interface PruneResult {
  decisions: number;
  minutes: number;
  shadowDecisions: number;
}

/**
 * Deletes entries logged before `before` (those the log indexer has folded in), their rows in the
 * log by account and by group, the shadow decisions taken beside them, and the minute
 * tallies that lie wholly before it (a minute that straddles `before` still counts newer decisions).
 * Call it inside one writer transaction.
 */
export async function pruneDecisions(tx: Executor, before: number, minuteMs: number): Promise<PruneResult> {
  // Only what the indexer has folded in: the pair history and groups a rebuild starts from must not lose a row.
  const folded = sql`(select coalesce(min(${logIndex.seq}), 0) from ${logIndex})`;
  const decisions = await tx.delete(decisionLog).where(and(lt(decisionLog.at, before), lte(decisionLog.seq, folded))).returning({ id: decisionLog.id });
  await tx.delete(decisionLogAccounts).where(and(lt(decisionLogAccounts.at, before), lte(decisionLogAccounts.seq, folded)));
  await tx.delete(decisionLogGroups).where(and(lt(decisionLogGroups.at, before), lte(decisionLogGroups.seq, folded)));
  const shadows = await tx.delete(shadowDecisions).where(lt(shadowDecisions.at, before)).returning({ at: shadowDecisions.at });
  const minutes = await tx.delete(decisionMinutes).where(lt(decisionMinutes.minute, before - minuteMs + 1)).returning({ minute: decisionMinutes.minute });
  return { decisions: decisions.length, minutes: minutes.length, shadowDecisions: shadows.length };
}

export interface FiguresQuery {
  /** Inclusive; a multiple of `bucketMs`. */
  from: number;
  /** Exclusive. */
  to: number;
  bucketMs: number;
  version?: string;
  arm?: string;
}

export interface BucketCount {
  bucket: number;
  outcome: string;
  count: number;
}

export interface ReasonCount {
  reason: string;
  outcome: string;
  count: number;
}

function minuteFilter(q: FiguresQuery): SQL {
  const where: SQL[] = [gte(decisionMinutes.minute, q.from), lt(decisionMinutes.minute, q.to)];
  if (q.version !== undefined) where.push(eq(decisionMinutes.version, q.version));
  if (q.arm !== undefined) where.push(eq(decisionMinutes.arm, q.arm));
  return and(...where)!;
}

/**
 * Decisions per bucket and outcome, summed from the minute tallies (never the log). Buckets are
 * aligned to the epoch, i.e. to UTC minutes, hours and days.
 */
export async function decisionsPerBucket(db: Executor, q: FiguresQuery): Promise<BucketCount[]> {
  // Inlined, not bound: a bound JS number may arrive as a REAL and turn the division fractional.
  const size = sql.raw(String(Math.trunc(q.bucketMs)));
  const bucket = sql<number>`(${decisionMinutes.minute} / ${size}) * ${size}`;
  return db.select({ bucket, outcome: decisionMinutes.outcome, count: sql<number>`sum(${decisionMinutes.count})` })
    .from(decisionMinutes).where(minuteFilter(q)).groupBy(bucket, decisionMinutes.outcome);
}

/** The start of the latest minute that tallied a decision (of any version), null when none did: a seek on the key. */
export async function latestTallyMinute(db: Executor): Promise<number | null> {
  const [row] = await db.select({ minute: sql<number | null>`max(${decisionMinutes.minute})` }).from(decisionMinutes);
  return row?.minute === null || row?.minute === undefined ? null : Number(row.minute);
}

/** The most frequent (reason, outcome) pairs over the period. */
export async function topReasons(db: Executor, q: FiguresQuery, limit: number): Promise<ReasonCount[]> {
  const count = sql<number>`sum(${decisionMinutes.count})`;
  return db.select({ reason: decisionMinutes.reason, outcome: decisionMinutes.outcome, count })
    .from(decisionMinutes).where(minuteFilter(q)).groupBy(decisionMinutes.reason, decisionMinutes.outcome)
    .orderBy(desc(count), decisionMinutes.reason, decisionMinutes.outcome).limit(limit);
}

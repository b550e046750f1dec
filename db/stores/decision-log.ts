/** The decision log as operators read it: search, single entries, pruning by age, and live figures. */
import { and, desc, eq, getTableColumns, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { decisionLog, decisionMinutes, shadowDecisions } from '../schema.ts';

/** An entry with its `facts` column as stored: server/decisions/logged-facts.ts decodes it. */
export type DecisionLogEntry = Omit<typeof decisionLog.$inferSelect, 'facts'> & { facts: string };

/** Where a page of a newest-first search resumes: strictly after this (at, id). */
export interface LogCursor {
  at: number;
  id: string;
}

export interface DecisionLogQuery {
  /** Entries where the account is the sender or one of the recipients. */
  account?: string;
  sender?: string;
  /** Entries where the account is one of the recipients. */
  recipient?: string;
  /** Inclusive. */
  from?: number;
  /** Exclusive. */
  to?: number;
  decision?: string;
  reason?: string;
  /** The deciding rule's name (entries the policy default decided have none). */
  rule?: string;
  kind?: string;
  channel?: string;
  version?: string;
  arm?: string;
  after?: LogCursor;
  limit: number;
}

/** The list columns: everything but the logged request and facts, which only a single entry carries. */
const summaryColumns = {
  id: decisionLog.id, at: decisionLog.at, senderId: decisionLog.senderId, recipientIds: decisionLog.recipientIds,
  kind: decisionLog.kind, channel: decisionLog.channel, decision: decisionLog.decision, reason: decisionLog.reason,
  rule: decisionLog.rule, policy: decisionLog.policy, version: decisionLog.version, experimentId: decisionLog.experimentId,
  arm: decisionLog.arm, textLength: decisionLog.textLength, textFingerprint: decisionLog.textFingerprint, sendId: decisionLog.sendId,
};

export type DecisionLogSummary = Pick<DecisionLogEntry, keyof typeof summaryColumns>;

// The id is bound as a parameter and compared to json_each's values: no pattern matching, so an id
// containing `%`, `_` or `"` can't match anything but itself.
const hasRecipient = (account: string) =>
  sql`exists (select 1 from json_each(${decisionLog.recipientIds}) where json_each.value = ${account})`;

/** One page of entries, newest first (ties by id, descending), resuming after `q.after`. */
export async function searchDecisions(db: Executor, q: DecisionLogQuery): Promise<DecisionLogSummary[]> {
  const where: SQL[] = [];
  if (q.account !== undefined) where.push(or(eq(decisionLog.senderId, q.account), hasRecipient(q.account))!);
  if (q.sender !== undefined) where.push(eq(decisionLog.senderId, q.sender));
  if (q.recipient !== undefined) where.push(hasRecipient(q.recipient));
  if (q.from !== undefined) where.push(gte(decisionLog.at, q.from));
  if (q.to !== undefined) where.push(lt(decisionLog.at, q.to));
  if (q.decision !== undefined) where.push(eq(decisionLog.decision, q.decision));
  if (q.reason !== undefined) where.push(eq(decisionLog.reason, q.reason));
  if (q.rule !== undefined) where.push(eq(decisionLog.rule, q.rule));
  if (q.kind !== undefined) where.push(eq(decisionLog.kind, q.kind));
  if (q.channel !== undefined) where.push(eq(decisionLog.channel, q.channel));
  if (q.version !== undefined) where.push(eq(decisionLog.version, q.version));
  if (q.arm !== undefined) where.push(eq(decisionLog.arm, q.arm));
  if (q.after) {
    // The redundant `at <= ?` lets SQLite seek the (sender, at) and (at) indexes instead of filtering.
    where.push(lte(decisionLog.at, q.after.at), or(lt(decisionLog.at, q.after.at), lt(decisionLog.id, q.after.id))!);
  }
  return db.select(summaryColumns).from(decisionLog).where(where.length ? and(...where) : undefined)
    .orderBy(desc(decisionLog.at), desc(decisionLog.id)).limit(q.limit);
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
 * Deletes entries logged before `before`, the shadow decisions taken beside them, and the minute
 * tallies that lie wholly before it (a minute that straddles `before` still counts newer decisions).
 * Call it inside one writer transaction.
 */
export async function pruneDecisions(tx: Executor, before: number, minuteMs: number): Promise<PruneResult> {
  const decisions = await tx.delete(decisionLog).where(lt(decisionLog.at, before)).returning({ id: decisionLog.id });
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

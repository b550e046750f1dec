/**
 * The decision log read in time order, in pages, for replays — and the operator actions a replay must
 * see beside it (exemptions, counter resets), since they changed decisions without being facts.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';

/** One logged enforced attempt, as a replay needs it. */
export interface LoggedAttempt {
  /** The row's insertion order: it breaks ties between attempts logged in the same millisecond. */
  seq: number;
  id: string;
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
  /** The send request as received, without its text. */
  request: Record<string, unknown>;
  facts: Array<{ subject: string | null; facts: Record<string, Record<string, unknown>> }>;
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

type Row = Record<string, unknown>;

const parse = <T>(value: unknown, fallback: T): T => (typeof value === 'string' ? JSON.parse(value) as T : (value as T) ?? fallback);

function attemptOf(row: Row): LoggedAttempt {
  return {
    seq: Number(row.seq), id: String(row.id), at: Number(row.at), senderId: String(row.sender_id), kind: String(row.kind),
    channel: String(row.channel), decision: row.decision as LoggedAttempt['decision'], reason: String(row.reason ?? ''),
    rule: (row.rule as string | null) ?? null, version: String(row.version),
    fingerprints: parse(row.fingerprints, []), request: parse(row.request, {}), facts: parse(row.facts, []),
    createdConversationId: (row.created_conversation_id as string | null) ?? null,
  };
}

/**
 * The next page of attempts in [from, to) in time order (ties in the order they were logged), after
 * `after` (or from the start). Keyset pagination on (at, rowid) rides the `decision_log_at` index,
 * which SQLite keys by (at, rowid): no page is re-read and no row skipped however long the log.
 */
export async function readDecisionLogPage(db: Executor, q: LogWindow & { after: LogPosition | null; limit: number }): Promise<LoggedAttempt[]> {
  const after = q.after ?? { at: q.from, seq: -1 };
  const rows = await db.all<Row>(sql`select d.rowid as seq, d.id, d.at, d.sender_id, d.kind, d.channel, d.decision, d.reason, d.rule,
      d.version, d.fingerprints, d.request, d.facts,
      case when d.kind = 'group_create' and d.send_id is not null
        then (select s.conversation_id from sends s where s.id = d.send_id) end as created_conversation_id
    from decision_log d
    where d.at >= ${after.at} and d.at < ${q.to} and (d.at > ${after.at} or d.rowid > ${after.seq}) and d.policy = ${q.policy}
    order by d.at, d.rowid
    limit ${q.limit}`);
  return rows.map(attemptOf);
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

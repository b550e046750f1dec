/**
 * Reads everything a decision needs in a handful of statements: one for the sender, one per
 * recipient pair, one for duplicates, one for a group — never one per rule condition.
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Executor } from '../client.ts';

export interface AccountState {
  id: string;
  verified: boolean;
  phoneVerified: boolean;
  protected: boolean;
  suspended: boolean;
  inbox: 'everyone' | 'following' | 'verified';
}

export interface SenderState {
  account: AccountState;
  cooldownUntil: number | null;
  dailyUsed: number;
  /** The oldest counted send still inside the daily window. */
  dailyOldestAt: number | null;
  apiUser15m: number;
  apiUser24h: number;
  apiApp24h: number;
  appGranted: boolean;
  /** Rules an operator exempted the sender from, unexpired. */
  exemptRules: Set<string>;
}

export interface PairState {
  recipient: AccountState;
  blocked: boolean;
  recipientFollowsSender: boolean;
  senderFollowsRecipient: boolean;
  accepted: boolean;
  welcomeShown: boolean;
  reportedAt: number | null;
  /** The recipient's latest delivered direct message to the sender. */
  lastReceivedAt: number | null;
  /** Direct messages from sender to recipient after `lastReceivedAt` (all of them if never). */
  repliesSinceReceived: number;
}

export interface GroupState {
  exists: boolean;
  creatorId: string | null;
  participants: string[];
}

const defaults = { verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' as const };

const bool = (v: unknown) => v === 1 || v === true || v === '1';
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function account(id: string, json: unknown): AccountState {
  if (typeof json !== 'string') return { id, ...defaults };
  const a = JSON.parse(json);
  return { id, verified: bool(a.v), phoneVerified: bool(a.p), protected: bool(a.pr), suspended: bool(a.s), inbox: a.i };
}

const accountJson = (id: unknown) => sql`(select json_object('v', verified, 'p', phone_verified, 'pr', protected, 's', suspended, 'i', inbox) from accounts where id = ${id})`;

export async function loadSenderState(db: Executor, q: {
  senderId: string; appId: string | null; now: number; dailySince: number; since15m: number; since24h: number;
}): Promise<SenderState> {
  const row = await db.get<Record<string, unknown>>(sql`select
    ${accountJson(q.senderId)} as account,
    (select until from cooldowns where sender_id = ${q.senderId}) as cooldown_until,
    (select count(*) from sends where sender_id = ${q.senderId} and counted = 1 and at >= ${q.dailySince}) as daily_used,
    (select min(at) from sends where sender_id = ${q.senderId} and counted = 1 and at >= ${q.dailySince}) as daily_oldest,
    (select count(*) from api_requests where sender_id = ${q.senderId} and at >= ${q.since15m}) as api_user_15m,
    (select count(*) from api_requests where sender_id = ${q.senderId} and at >= ${q.since24h}) as api_user_24h,
    (select count(*) from api_requests where app_id = ${q.appId} and at >= ${q.since24h}) as api_app_24h,
    exists(select 1 from app_grants where account_id = ${q.senderId} and app_id = ${q.appId}) as app_granted,
    (select json_group_array(rule) from exemptions where account_id = ${q.senderId} and expires_at > ${q.now} and revoked_at is null) as exempt_rules`);
  return {
    account: account(q.senderId, row!.account),
    cooldownUntil: numOrNull(row!.cooldown_until),
    dailyUsed: Number(row!.daily_used),
    dailyOldestAt: numOrNull(row!.daily_oldest),
    apiUser15m: Number(row!.api_user_15m),
    apiUser24h: Number(row!.api_user_24h),
    apiApp24h: q.appId === null ? 0 : Number(row!.api_app_24h),
    appGranted: q.appId === null ? true : bool(row!.app_granted),
    exemptRules: new Set(JSON.parse(String(row!.exempt_rules ?? '[]')) as string[]),
  };
}

export async function loadPairState(db: Executor, senderId: string, recipientId: string): Promise<PairState> {
  const s = senderId;
  const r = recipientId;
  const row = await db.get<Record<string, unknown>>(sql`select
    ${accountJson(r)} as account,
    exists(select 1 from follows where follower_id = ${r} and followee_id = ${s}) as r_follows_s,
    exists(select 1 from follows where follower_id = ${s} and followee_id = ${r}) as s_follows_r,
    exists(select 1 from blocks where (blocker_id = ${s} and blocked_id = ${r}) or (blocker_id = ${r} and blocked_id = ${s})) as blocked,
    exists(select 1 from accepted_requests where recipient_id = ${r} and sender_id = ${s}) as accepted,
    exists(select 1 from welcome_messages where account_id = ${r} and business_id = ${s}) as welcome,
    (select reported_at from reports where reporter_id = ${r} and reported_id = ${s}) as reported_at,
    (select max(at) from sends where sender_id = ${r} and recipient_id = ${s}) as last_received,
    (select count(*) from sends where sender_id = ${s} and recipient_id = ${r}
       and at > coalesce((select max(at) from sends where sender_id = ${r} and recipient_id = ${s}), -1)) as replies`);
  return {
    recipient: account(r, row!.account),
    blocked: bool(row!.blocked),
    recipientFollowsSender: bool(row!.r_follows_s),
    senderFollowsRecipient: bool(row!.s_follows_r),
    accepted: bool(row!.accepted),
    welcomeShown: bool(row!.welcome),
    reportedAt: numOrNull(row!.reported_at),
    lastReceivedAt: numOrNull(row!.last_received),
    repliesSinceReceived: Number(row!.replies),
  };
}

/** Targets (recipients or conversations) that got each fingerprint from the sender since `since`. */
export async function loadFingerprintTargets(db: Executor, senderId: string, fingerprints: string[], since: number): Promise<Map<string, Set<string>>> {
  const targets = new Map<string, Set<string>>(fingerprints.map((f) => [f, new Set()]));
  if (!fingerprints.length) return targets;
  const rows = await db.all<{ fingerprint: string; target: string }>(sql`select distinct fingerprint, target from send_fingerprints
    where sender_id = ${senderId} and at >= ${since} and fingerprint in (${sql.join(fingerprints.map((f) => sql`${f}`), sql`, `)})`);
  for (const row of rows) targets.get(row.fingerprint)!.add(row.target);
  return targets;
}

export async function loadGroupState(db: Executor, conversationId: string): Promise<GroupState> {
  const conversation = await firstRow<{ creator_id: string }>(db, sql`select creator_id from conversations where id = ${conversationId} and kind = 'group'`);
  if (!conversation) return { exists: false, creatorId: null, participants: [] };
  const rows = await db.all<{ account_id: string }>(sql`select account_id from participants where conversation_id = ${conversationId}`);
  return { exists: true, creatorId: conversation.creator_id, participants: rows.map((r) => r.account_id) };
}

/** Which of `candidates` are blocked by at least one of `blockers`. */
export async function loadBlockedBy(db: Executor, blockers: string[], candidates: string[]): Promise<Set<string>> {
  if (!blockers.length || !candidates.length) return new Set();
  const list = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const rows = await db.all<{ blocked_id: string }>(sql`select distinct blocked_id from blocks
    where blocker_id in (${list(blockers)}) and blocked_id in (${list(candidates)})`);
  return new Set(rows.map((r) => r.blocked_id));
}

/** The k-th oldest (0-based) counted send of the sender at or after `since`: when the daily cap reopens. */
export async function nthOldestCountedSend(db: Executor, senderId: string, since: number, k: number): Promise<number | null> {
  const row = await firstRow<{ at: number }>(db, sql`select at from sends where sender_id = ${senderId} and counted = 1 and at >= ${since}
    order by at limit 1 offset ${k}`);
  return row ? Number(row.at) : null;
}

/** The k-th oldest (0-based) API request at or after `since`, by sender or by app. */
export async function nthOldestApiRequest(db: Executor, by: { senderId: string } | { appId: string }, since: number, k: number): Promise<number | null> {
  const where = 'senderId' in by ? sql`sender_id = ${by.senderId}` : sql`app_id = ${by.appId}`;
  const row = await firstRow<{ at: number }>(db, sql`select at from api_requests where ${where} and at >= ${since} order by at limit 1 offset ${k}`);
  return row ? Number(row.at) : null;
}

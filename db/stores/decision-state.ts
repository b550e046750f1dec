/**
 * Reads everything a decision needs in a handful of statements: one for the sender, one per
 * recipient pair, one for duplicates, one for a group — never one per rule condition.
 */
import { sql } from 'drizzle-orm';
import { firstRow, type Executor } from '../client.ts';
import { queryAll, queryOne } from '../statements.ts';

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
  /** The sender's latest delivered direct message to the recipient. */
  lastSentAt: number | null;
}

export interface GroupState {
  exists: boolean;
  creatorId: string | null;
  participants: string[];
}

const bool = (v: unknown) => v === 1 || v === true || v === '1' || v === 1n;
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Account columns of a row that left-joined `accounts` as `a`; an account never PUT has the defaults. */
const accountColumns = `a.id is not null as found, a.verified, a.phone_verified, a.protected, a.suspended, a.inbox`;

function account(id: string, row: Record<string, unknown>): AccountState {
  if (!bool(row.found)) return { id, verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' };
  return {
    id, verified: bool(row.verified), phoneVerified: bool(row.phone_verified), protected: bool(row.protected),
    suspended: bool(row.suspended), inbox: row.inbox as AccountState['inbox'],
  };
}

// ?1 sender, ?2 app, ?3 now, ?4 start of the daily window, ?5 15 minutes ago, ?6 24 hours ago.
const senderStatement = `select ${accountColumns},
  (select until from cooldowns where sender_id = ?1) as cooldown_until,
  (select count(*) from sends where sender_id = ?1 and counted = 1 and at >= ?4) as daily_used,
  (select min(at) from sends where sender_id = ?1 and counted = 1 and at >= ?4) as daily_oldest,
  (select count(*) from api_requests where sender_id = ?1 and at >= ?5) as api_user_15m,
  (select count(*) from api_requests where sender_id = ?1 and at >= ?6) as api_user_24h,
  (select count(*) from api_requests where app_id = ?2 and at >= ?6) as api_app_24h,
  exists(select 1 from app_grants where account_id = ?1 and app_id = ?2) as app_granted,
  (select json_group_array(rule) from exemptions where account_id = ?1 and expires_at > ?3 and revoked_at is null) as exempt_rules
  from (select 1) left join accounts a on a.id = ?1`;

export async function loadSenderState(db: Executor, q: {
  senderId: string; appId: string | null; now: number; dailySince: number; since15m: number; since24h: number;
}): Promise<SenderState> {
  const row = (await queryOne<Record<string, unknown>>(db, senderStatement, [q.senderId, q.appId, q.now, q.dailySince, q.since15m, q.since24h]))!;
  const exempt = String(row.exempt_rules ?? '[]');
  return {
    account: account(q.senderId, row),
    cooldownUntil: numOrNull(row.cooldown_until),
    dailyUsed: Number(row.daily_used),
    dailyOldestAt: numOrNull(row.daily_oldest),
    apiUser15m: Number(row.api_user_15m),
    apiUser24h: Number(row.api_user_24h),
    apiApp24h: q.appId === null ? 0 : Number(row.api_app_24h),
    appGranted: q.appId === null ? true : bool(row.app_granted),
    exemptRules: exempt === '[]' ? new Set() : new Set(JSON.parse(exempt) as string[]),
  };
}

// ?1 sender, ?2 recipient. Each lookup is its own indexed probe (an OR across the two block
// directions would scan the table).
const pairStatement = `select ${accountColumns},
  exists(select 1 from follows where follower_id = ?2 and followee_id = ?1) as r_follows_s,
  exists(select 1 from follows where follower_id = ?1 and followee_id = ?2) as s_follows_r,
  exists(select 1 from blocks where blocker_id = ?1 and blocked_id = ?2) or exists(select 1 from blocks where blocker_id = ?2 and blocked_id = ?1) as blocked,
  exists(select 1 from accepted_requests where recipient_id = ?2 and sender_id = ?1) as accepted,
  exists(select 1 from welcome_messages where account_id = ?2 and business_id = ?1) as welcome,
  (select reported_at from reports where reporter_id = ?2 and reported_id = ?1) as reported_at,
  r.last_received,
  (select count(*) from sends where sender_id = ?1 and recipient_id = ?2 and at > coalesce(r.last_received, -1)) as replies,
  (select max(at) from sends where sender_id = ?1 and recipient_id = ?2) as last_sent
  from (select max(at) as last_received from sends where sender_id = ?2 and recipient_id = ?1) r
  left join accounts a on a.id = ?2`;

export async function loadPairState(db: Executor, senderId: string, recipientId: string): Promise<PairState> {
  const row = (await queryOne<Record<string, unknown>>(db, pairStatement, [senderId, recipientId]))!;
  return {
    recipient: account(recipientId, row),
    blocked: bool(row.blocked),
    recipientFollowsSender: bool(row.r_follows_s),
    senderFollowsRecipient: bool(row.s_follows_r),
    accepted: bool(row.accepted),
    welcomeShown: bool(row.welcome),
    reportedAt: numOrNull(row.reported_at),
    lastReceivedAt: numOrNull(row.last_received),
    repliesSinceReceived: Number(row.replies),
    lastSentAt: numOrNull(row.last_sent),
  };
}

/** Targets (recipients or conversations) that got each fingerprint from the sender since `since`. */
export async function loadFingerprintTargets(db: Executor, senderId: string, fingerprints: string[], since: number): Promise<Map<string, Set<string>>> {
  const targets = new Map<string, Set<string>>(fingerprints.map((f) => [f, new Set()]));
  if (!fingerprints.length) return targets;
  const list = fingerprints.map((_, i) => `?${i + 3}`).join(', ');
  const rows = await queryAll<{ fingerprint: string; target: string }>(db, `select distinct fingerprint, target from send_fingerprints
    where sender_id = ?1 and at >= ?2 and fingerprint in (${list})`, [senderId, since, ...fingerprints]);
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

/**
 * Everything about a sender that the decision path keeps in memory on a local database
 * (server/decisions/hot-state.ts): the account, the cooldown, app grants, unrevoked exemptions, and
 * the times of counted sends, API requests and fingerprints from `since` on, each in time order.
 */
export interface SenderLedgerRows {
  account: AccountState;
  cooldownUntil: number | null;
  grantedApps: string[];
  exemptions: Array<{ rule: string; expiresAt: number }>;
  countedSendTimes: number[];
  apiRequestTimes: number[];
  fingerprints: Array<{ fingerprint: string; target: string; at: number }>;
}

// ?1 sender, ?2 since. One statement (a cold sender is the common case under load): the lists come
// back as JSON arrays, each in time order (an aggregate's ORDER BY, SQLite 3.44+; libsql has 3.45).
const senderLedgerStatement = `select ${accountColumns},
  (select until from cooldowns where sender_id = ?1) as cooldown_until,
  (select json_group_array(app_id) from app_grants where account_id = ?1) as granted_apps,
  (select json_group_array(json_array(rule, expires_at)) from exemptions where account_id = ?1 and revoked_at is null) as exemptions,
  (select json_group_array(at order by at) from sends where sender_id = ?1 and counted = 1 and at >= ?2) as counted,
  (select json_group_array(at order by at) from api_requests where sender_id = ?1 and at >= ?2) as api,
  (select json_group_array(json_array(fingerprint, target, at) order by at) from send_fingerprints where sender_id = ?1 and at >= ?2) as fingerprints
  from (select 1) left join accounts a on a.id = ?1`;

const jsonList = <T>(value: unknown): T[] => (value === '[]' || value === null || value === undefined ? [] : JSON.parse(String(value)) as T[]);

export async function loadSenderLedger(db: Executor, senderId: string, since: number): Promise<SenderLedgerRows> {
  const row = (await queryOne<Record<string, unknown>>(db, senderLedgerStatement, [senderId, since]))!;
  return {
    account: account(senderId, row),
    cooldownUntil: numOrNull(row.cooldown_until),
    grantedApps: jsonList<string>(row.granted_apps),
    exemptions: jsonList<[string, number]>(row.exemptions).map(([rule, expiresAt]) => ({ rule, expiresAt })),
    countedSendTimes: jsonList<number>(row.counted),
    apiRequestTimes: jsonList<number>(row.api),
    fingerprints: jsonList<[string, string, number]>(row.fingerprints).map(([fingerprint, target, at]) => ({ fingerprint, target, at })),
  };
}

/** Times of an app's API requests from `since` on, in time order (R12's per-app window). */
export async function loadAppRequestTimes(db: Executor, appId: string, since: number): Promise<number[]> {
  return (await queryAll<{ at: number }>(db, 'select at from api_requests where app_id = ?1 and at >= ?2 order by at', [appId, since])).map((r) => Number(r.at));
}

/** The drizzle schema: every table dm-policy keeps. Times are epoch milliseconds. */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const flag = (name: string) => integer(name, { mode: 'boolean' }).notNull().default(false);

/** Accounts that were PUT; any other id exists implicitly with the defaults below. */
export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  verified: flag('verified'),
  phoneVerified: flag('phone_verified'),
  protected: flag('protected'),
  suspended: flag('suspended'),
  inbox: text('inbox', { enum: ['everyone', 'following', 'verified'] }).notNull().default('following'),
  updatedAt: integer('updated_at').notNull(),
});

/** `followerId` follows `followeeId`. */
export const follows = sqliteTable('follows', {
  followerId: text('follower_id').notNull(),
  followeeId: text('followee_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.followerId, t.followeeId] }), index('follows_followee').on(t.followeeId)]);

/** `blockerId` blocks `blockedId`. */
export const blocks = sqliteTable('blocks', {
  blockerId: text('blocker_id').notNull(),
  blockedId: text('blocked_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] }), index('blocks_blocked').on(t.blockedId)]);

/** `reporterId` reported `reportedId` at `reportedAt` (the latest report counts). */
export const reports = sqliteTable('reports', {
  reporterId: text('reporter_id').notNull(),
  reportedId: text('reported_id').notNull(),
  reportedAt: integer('reported_at').notNull(),
}, (t) => [primaryKey({ columns: [t.reporterId, t.reportedId] })]);

/** `recipientId` accepted the message request of `senderId`. */
export const acceptedRequests = sqliteTable('accepted_requests', {
  recipientId: text('recipient_id').notNull(),
  senderId: text('sender_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.recipientId, t.senderId] })]);

/** `accountId` was shown the welcome message of business `businessId` (grants nothing, R8). */
export const welcomeMessages = sqliteTable('welcome_messages', {
  accountId: text('account_id').notNull(),
  businessId: text('business_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.accountId, t.businessId] })]);

/** `accountId` lets `appId` send direct messages on its behalf. */
export const appGrants = sqliteTable('app_grants', {
  accountId: text('account_id').notNull(),
  appId: text('app_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.accountId, t.appId] })]);

/**
 * Group conversations. A direct conversation is its id (`dm:<a>:<b>`) and its sends; rows of kind
 * 'direct' are only in databases written before 2026-11-23, and nothing reads them.
 */
export const conversations = sqliteTable('conversations', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
  creatorId: text('creator_id').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Members of group conversations; a direct conversation's two are in its id (`dm:<a>:<b>`). */
export const participants = sqliteTable('participants', {
  conversationId: text('conversation_id').notNull(),
  accountId: text('account_id').notNull(),
  joinedAt: integer('joined_at').notNull(),
}, (t) => [
  primaryKey({ columns: [t.conversationId, t.accountId] }),
  // The groups an account is in: the X API's event listing (db/stores/dm-events.ts).
  index('participants_account').on(t.accountId),
]);

/**
 * Every delivered send (allowed or delivered as a request). `counted` says whether it counts
 * toward the daily cap (a reply inside the reply window does not). `recipientId` is null for
 * group messages.
 */
export const sends = sqliteTable('sends', {
  id: text('id').primaryKey(),
  senderId: text('sender_id').notNull(),
  recipientId: text('recipient_id'),
  conversationId: text('conversation_id'),
  kind: text('kind').notNull(),
  channel: text('channel').notNull(),
  appId: text('app_id'),
  outcome: text('outcome', { enum: ['allow', 'request'] }).notNull(),
  counted: flag('counted'),
  textLength: integer('text_length').notNull(),
  at: integer('at').notNull(),
}, (t) => [
  index('sends_sender_at').on(t.senderId, t.at),
  index('sends_pair_at').on(t.senderId, t.recipientId, t.at),
  // The X API's event listing (db/stores/dm-events.ts): direct messages an account received, and a
  // group's messages. Each send lands in one of the two (a group message has no recipient).
  index('sends_recipient_at').on(t.recipientId, t.at).where(sql`recipient_id is not null`),
  index('sends_group_at').on(t.conversationId, t.at).where(sql`recipient_id is null`),
]);

/** One row per fingerprint (text or link) of a delivered send, for duplicate detection (R14). */
export const sendFingerprints = sqliteTable('send_fingerprints', {
  senderId: text('sender_id').notNull(),
  fingerprint: text('fingerprint').notNull(),
  target: text('target').notNull(),
  at: integer('at').notNull(),
}, (t) => [index('send_fingerprints_lookup').on(t.senderId, t.fingerprint, t.at)]);

/** API send requests (R12), counted whatever their outcome except a refusal by R12 itself. */
export const apiRequests = sqliteTable('api_requests', {
  senderId: text('sender_id').notNull(),
  appId: text('app_id'),
  at: integer('at').notNull(),
}, (t) => [index('api_requests_sender_at').on(t.senderId, t.at), index('api_requests_app_at').on(t.appId, t.at)]);

/** A sender's duplicate-spam cooldown (R14): it ends at `until` unless another attempt restarts it. */
export const cooldowns = sqliteTable('cooldowns', {
  senderId: text('sender_id').primaryKey(),
  until: integer('until').notNull(),
});

export const policyVersions = sqliteTable('policy_versions', {
  policy: text('policy').notNull(),
  version: text('version').notNull(),
  document: text('document', { mode: 'json' }).notNull(),
  status: text('status', { enum: ['draft', 'active', 'retired'] }).notNull(),
  author: text('author').notNull(),
  /** The version this one was drafted from. */
  basedOn: text('based_on'),
  /** Policy tests the version carries; publishing is refused while any fails. */
  tests: text('tests', { mode: 'json' }).$type<unknown[]>().notNull().default([]),
  /** A second person's approval; editing the draft clears it. */
  approvedBy: text('approved_by'),
  approvedAt: integer('approved_at'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at'),
  publishedAt: integer('published_at'),
}, (t) => [primaryKey({ columns: [t.policy, t.version] })]);

/**
 * Bearer tokens: only a SHA-256 of the secret is stored. A token may stand for an app (`appId`) and
 * one of its users (`userId`, an X-style numeric account id): the X API v2 surface sends as that user
 * through that app. A token with an app and no user is app-only.
 */
export const tokens = sqliteTable('tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  secretHash: text('secret_hash').notNull().unique(),
  scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
  userId: text('user_id'),
  appId: text('app_id'),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
});

/** The first answer to a request carrying an idempotency key, replayed on retries. */
export const idempotentResponses = sqliteTable('idempotent_responses', {
  key: text('key').notNull(),
  senderId: text('sender_id').notNull(),
  requestHash: text('request_hash').notNull(),
  response: text('response', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.senderId, t.key] })]);

/** Every enforced decision, with the facts it saw. Message text is never stored. */
export const decisionLog = sqliteTable('decision_log', {
  id: text('id').primaryKey(),
  at: integer('at').notNull(),
  senderId: text('sender_id').notNull(),
  recipientIds: text('recipient_ids', { mode: 'json' }).$type<string[]>().notNull(),
  kind: text('kind').notNull(),
  channel: text('channel').notNull(),
  decision: text('decision').notNull(),
  reason: text('reason'),
  rule: text('rule'),
  policy: text('policy').notNull(),
  version: text('version').notNull(),
  experimentId: text('experiment_id'),
  arm: text('arm'),
  textFingerprint: text('text_fingerprint'),
  /** Fingerprints of the text and of each link (R14), so replays can count duplicates. */
  fingerprints: text('fingerprints', { mode: 'json' }).$type<string[]>().notNull(),
  textLength: integer('text_length').notNull(),
  request: text('request', { mode: 'json' }).notNull(),
  /** Encoded by server/decisions/logged-facts.ts (older rows: plain JSON); read through decodeLoggedFacts. */
  facts: text('facts').notNull(),
  sendId: text('send_id'),
}, (t) => [index('decision_log_sender_at').on(t.senderId, t.at), index('decision_log_at').on(t.at)]);


/** People who operate the dashboard. Passwords are stored as scrypt hashes. */
export const operators = sqliteTable('operators', {
  id: text('id').primaryKey(),
  username: text('username').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['viewer', 'editor', 'publisher', 'admin'] }).notNull(),
  createdAt: integer('created_at').notNull(),
  disabledAt: integer('disabled_at'),
});

/** Dashboard sessions: only a hash of the cookie value is stored. */
export const sessions = sqliteTable('sessions', {
  idHash: text('id_hash').primaryKey(),
  operatorId: text('operator_id').notNull(),
  csrfToken: text('csrf_token').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** Append-only: every change to policies, experiments, tokens, exemptions and counters. */
export const auditLog = sqliteTable('audit_log', {
  id: text('id').primaryKey(),
  at: integer('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  policy: text('policy'),
  subject: text('subject'),
  diff: text('diff', { mode: 'json' }),
  reason: text('reason'),
}, (t) => [index('audit_log_at').on(t.at), index('audit_log_policy_at').on(t.policy, t.at), index('audit_log_actor_at').on(t.actor, t.at)]);

/** A split of senders between policy versions; `arms` is [{ name, version, weight, shadow }]. */
export const experiments = sqliteTable('experiments', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  policy: text('policy').notNull(),
  salt: text('salt').notNull(),
  status: text('status', { enum: ['running', 'stopped'] }).notNull(),
  arms: text('arms', { mode: 'json' }).notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  stoppedAt: integer('stopped_at'),
});

/** What a shadow arm would have decided beside an enforced decision (never enforced). */
export const shadowDecisions = sqliteTable('shadow_decisions', {
  decisionId: text('decision_id').notNull(),
  experimentId: text('experiment_id').notNull(),
  arm: text('arm').notNull(),
  version: text('version').notNull(),
  at: integer('at').notNull(),
  decision: text('decision').notNull(),
  reason: text('reason'),
  rule: text('rule'),
  enforcedDecision: text('enforced_decision').notNull(),
  enforcedReason: text('enforced_reason'),
}, (t) => [primaryKey({ columns: [t.decisionId, t.arm] }), index('shadow_decisions_experiment_at').on(t.experimentId, t.at)]);

/** Backtest jobs (replays, blast-radius previews, threshold sweeps) and their kept reports. */
export const backtests = sqliteTable('backtests', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['replay', 'blast_radius', 'sweep'] }).notNull(),
  status: text('status', { enum: ['queued', 'running', 'done', 'cancelled', 'failed'] }).notNull(),
  policy: text('policy').notNull(),
  version: text('version').notNull(),
  options: text('options', { mode: 'json' }).notNull(),
  progress: integer('progress').notNull().default(0),
  total: integer('total').notNull().default(0),
  report: text('report', { mode: 'json' }),
  error: text('error'),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  finishedAt: integer('finished_at'),
});

/** An operator's exemption of one account from one rule, until it expires. */
export const exemptions = sqliteTable('exemptions', {
  id: text('id').primaryKey(),
  accountId: text('account_id').notNull(),
  rule: text('rule').notNull(),
  expiresAt: integer('expires_at').notNull(),
  reason: text('reason').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  revokedAt: integer('revoked_at'),
}, (t) => [index('exemptions_account').on(t.accountId)]);

/**
 * Enforced decisions counted per minute, version, arm, outcome and reason, maintained in the
 * deciding transaction, so that live figures never scan the decision log. `arm` is '' outside
 * experiments (a NULL would make every row distinct in the key).
 */
export const decisionMinutes = sqliteTable('decision_minutes', {
  minute: integer('minute').notNull(),
  version: text('version').notNull(),
  arm: text('arm').notNull(),
  outcome: text('outcome').notNull(),
  reason: text('reason').notNull(),
  count: integer('count').notNull(),
}, (t) => [primaryKey({ columns: [t.minute, t.version, t.arm, t.outcome, t.reason] })]);

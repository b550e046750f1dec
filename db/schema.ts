/** The drizzle schema: every table dm-policy keeps. Times are epoch milliseconds. */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

/**
 * `followerId` follows `followeeId`. Decisions read the graph in memory (server/graph/social-graph.ts),
 * so the table has only its key: an import writes one tree, not two.
 */
export const follows = sqliteTable('follows', {
  followerId: text('follower_id').notNull(),
  followeeId: text('followee_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.followerId, t.followeeId] })]);

/** `blockerId` blocks `blockedId` (read in memory too, as follows are). */
export const blocks = sqliteTable('blocks', {
  blockerId: text('blocker_id').notNull(),
  blockedId: text('blocked_id').notNull(),
  createdAt: integer('created_at').notNull(),
}, (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] })]);

/**
 * `reporterId` reported `reportedId` at `reportedAt` (the latest report counts); `seq` places it
 * among recorded events, so a message in the same millisecond still comes before or after it (R7).
 */
export const reports = sqliteTable('reports', {
  reporterId: text('reporter_id').notNull(),
  reportedId: text('reported_id').notNull(),
  reportedAt: integer('reported_at').notNull(),
  seq: integer('seq').notNull().default(0),
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
 * Group conversations, built from the decision log off the decision path (up to `log_index`'s
 * `groups` watermark). A direct conversation is its id (`dm:<a>:<b>`) and its messages; rows of kind
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
}, (t) => [primaryKey({ columns: [t.conversationId, t.accountId] })]);

/**
 * The pair history (server/limits/pair-history.ts) as the log indexer (db/log-indexer.worker.cjs)
 * folded the decision log, up to `log_index`'s `pairs` watermark, in buckets of recorded order
 * (`bucket` = seq ÷ 65 536): the indexer writes only the current bucket, whose rows stay in cache,
 * and never reads older ones. Per bucket and ordered pair that exchanged direct messages: the
 * sender's latest message to the recipient in the bucket (null if none), and how many it sent there
 * — after a message from the recipient (`reset`), or on top of the buckets before. A rebuild folds
 * the buckets in order.
 */
export const conversationPairs = sqliteTable('conversation_pairs', {
  bucket: integer('bucket').notNull(),
  senderId: text('sender_id').notNull(),
  recipientId: text('recipient_id').notNull(),
  lastSentAt: integer('last_sent_at'),
  lastSentSeq: integer('last_sent_seq'),
  added: integer('added').notNull(),
  reset: flag('reset'),
}, (t) => [primaryKey({ columns: [t.bucket, t.senderId, t.recipientId] })]);

/**
 * Changes to the graph, settings, grants, exemptions and counters (server/graph/graph-events.ts), in
 * the recorded order with the decisions: written only when several instances share a libSQL server,
 * so that each applies the others' changes to its in-memory state (server/state/shared-log.ts).
 */
export const graphEvents = sqliteTable('graph_events', {
  seq: integer('seq').primaryKey(),
  at: integer('at').notNull(),
  event: text('event').notNull(),
});

/** An operator reset an account's counters: an event in the recorded order, like a decision. */
export const counterResets = sqliteTable('counter_resets', {
  seq: integer('seq').primaryKey(),
  accountId: text('account_id').notNull(),
  at: integer('at').notNull(),
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
  /** Why the approver approved it, as they wrote it (also in the audit log). */
  approvalReason: text('approval_reason'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at'),
  publishedAt: integer('published_at'),
}, (t) => [primaryKey({ columns: [t.policy, t.version] })]);

/** Per-policy lifecycle settings an admin changes (audited); a policy without a row has the defaults. */
export const policySettings = sqliteTable('policy_settings', {
  policy: text('policy').primaryKey(),
  /** Publishing a draft needs a second person's approval. */
  requireApproval: flag('require_approval'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

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

/**
 * Where the first answer to a request carrying an idempotency key is: its decision log row (`seq`),
 * which holds the request's hash and the answer, replayed on retries for a day
 * (server/decisions/idempotency.ts: idempotencyWindowMs). Indexed off the decision path from the log
 * (db/log-index-round.cjs); the newest, not yet indexed, are in memory. Keyed by the UTC day of the
 * answer first: a retry looks in its own day and the ones either side, and the log indexer drops
 * whole days once they are past the window, so the table, and the filter a start reads from it, hold
 * about two days of keys. WITHOUT ROWID (db/migrations/0007): a key is one entry of ~60 bytes.
 */
export const idempotencyKeys = sqliteTable('idempotency_keys', {
  day: integer('day').notNull(),
  senderId: text('sender_id').notNull(),
  key: text('key').notNull(),
  createdAt: integer('created_at').notNull(),
  seq: integer('seq').notNull(),
}, (t) => [primaryKey({ columns: [t.day, t.senderId, t.key] })]);

/**
 * The decision log: every enforced decision, appended in the order it was recorded (`seq`), with the
 * facts it saw and what it left behind for the rule families (counted, apiRequest, cooldownUntil,
 * fingerprintTarget) — the decision state is rebuilt from it. Nothing but `seq`, the time-ordered
 * `id` and `at` is indexed here, so an append touches the tree's last pages only; the indexes that
 * searches need are built off the decision path (`decision_log_accounts`). Message text is never stored.
 */
export const decisionLog = sqliteTable('decision_log', {
  seq: integer('seq').primaryKey(),
  id: text('id').notNull(),
  at: integer('at').notNull(),
  senderId: text('sender_id').notNull(),
  recipientIds: text('recipient_ids', { mode: 'json' }).$type<string[]>().notNull(),
  kind: text('kind').notNull(),
  channel: text('channel').notNull(),
  appId: text('app_id'),
  /** Where it was delivered (the conversation a group_create created); null when nothing was. */
  conversationId: text('conversation_id'),
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
  counted: flag('counted'),
  apiRequest: flag('api_request'),
  cooldownUntil: integer('cooldown_until'),
  fingerprintTarget: text('fingerprint_target'),
  idempotencyKey: text('idempotency_key'),
  requestHash: text('request_hash'),
  response: text('response'),
  /** What shadow arms decided beside it: [{ experimentId, arm, version, decision, reason, rule }]. */
  shadows: text('shadows'),
}, (t) => [uniqueIndex('decision_log_id').on(t.id), index('decision_log_at').on(t.at)]);

/**
 * The log by account, as sender or as recipient: built off the decision path, in buckets of
 * recorded order (`bucket` = seq ÷ 65 536) so that the indexer's inserts land in the current
 * bucket's pages, not all over one tree; a search reads the buckets newest first.
 */
export const decisionLogAccounts = sqliteTable('decision_log_accounts', {
  bucket: integer('bucket').notNull(),
  accountId: text('account_id').notNull(),
  at: integer('at').notNull(),
  seq: integer('seq').notNull(),
  role: text('role', { enum: ['sender', 'recipient'] }).notNull(),
}, (t) => [primaryKey({ columns: [t.bucket, t.accountId, t.at, t.seq, t.role] })]);

/**
 * The log by group conversation: its delivered messages (a group_create's first message and every
 * group_message), built off the decision path in buckets of recorded order like the log by account,
 * for the X API's DM event listings (db/stores/dm-events.ts).
 */
export const decisionLogGroups = sqliteTable('decision_log_groups', {
  bucket: integer('bucket').notNull(),
  conversationId: text('conversation_id').notNull(),
  at: integer('at').notNull(),
  seq: integer('seq').notNull(),
}, (t) => [primaryKey({ columns: [t.bucket, t.conversationId, t.at, t.seq] })]);

/** How far each thing built from the log has come: everything up to `seq` is in it. */
export const logIndex = sqliteTable('log_index', {
  name: text('name').primaryKey(),
  seq: integer('seq').notNull(),
  /** When it last caught up (server time). */
  updatedAt: integer('updated_at').notNull(),
});

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
 * Enforced decisions counted per minute, version, arm, outcome and reason, built from the log off
 * the decision path, so that live figures never scan it. `arm` is '' outside experiments (a NULL
 * would make every row distinct in the key).
 */
export const decisionMinutes = sqliteTable('decision_minutes', {
  minute: integer('minute').notNull(),
  version: text('version').notNull(),
  arm: text('arm').notNull(),
  outcome: text('outcome').notNull(),
  reason: text('reason').notNull(),
  count: integer('count').notNull(),
}, (t) => [primaryKey({ columns: [t.minute, t.version, t.arm, t.outcome, t.reason] })]);

/**
 * Instances sharing a libSQL server (server/cluster/): each one's address for forwarded decisions,
 * the secret a forwarded decision carries, and when it last said it was alive.
 */
export const instances = sqliteTable('instances', {
  id: text('id').primaryKey(),
  peerUrl: text('peer_url').notNull(),
  secret: text('secret').notNull(),
  seenAt: integer('seen_at').notNull(),
});

/**
 * Who decides for each shard of senders (server/cluster/shards.ts) on a shared libSQL server: the
 * owning instance, the lease's epoch (one more at every change of owner; an owner's appends carry
 * the epochs they were decided under and are refused once one moved), and when the lease runs out.
 */
export const shardLeases = sqliteTable('shard_leases', {
  shard: integer('shard').primaryKey(),
  owner: text('owner'),
  epoch: integer('epoch').notNull().default(0),
  expiresAt: integer('expires_at').notNull().default(0),
});

/** What an enforced decision writes: sends, fingerprints, API requests, cooldowns, conversations, the log. */
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { execute, queryOne } from '../statements.ts';
import { decisionLog, sends } from '../schema.ts';

export type SendRow = typeof sends.$inferInsert;
export type DecisionLogRow = typeof decisionLog.$inferInsert;

const insertSendStatement = `insert into sends (id, sender_id, recipient_id, conversation_id, kind, channel, app_id, outcome, counted, text_length, at)
  values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`;
const insertFingerprintStatement = 'insert into send_fingerprints (sender_id, fingerprint, target, at) values (?1, ?2, ?3, ?4)';

export async function insertSend(db: Executor, send: SendRow, fingerprints: string[], target: string): Promise<void> {
  await execute(db, insertSendStatement, [
    send.id, send.senderId, send.recipientId ?? null, send.conversationId ?? null, send.kind, send.channel, send.appId ?? null,
    send.outcome, send.counted ? 1 : 0, send.textLength, send.at,
  ]);
  for (const fingerprint of fingerprints) await execute(db, insertFingerprintStatement, [send.senderId, fingerprint, target, send.at]);
}

export async function insertApiRequest(db: Executor, senderId: string, appId: string | null, at: number): Promise<void> {
  await execute(db, 'insert into api_requests (sender_id, app_id, at) values (?1, ?2, ?3)', [senderId, appId, at]);
}

/** Starts or restarts the sender's cooldown so that it ends at `until`. */
export async function restartCooldown(db: Executor, senderId: string, until: number): Promise<void> {
  await execute(db, 'insert into cooldowns (sender_id, until) values (?1, ?2) on conflict (sender_id) do update set until = excluded.until', [senderId, until]);
}

/** Group conversations only: a direct one is its id and its sends (see the schema). */
export async function createGroupConversation(db: Executor, c: { id: string; creatorId: string; at: number }, members: string[]): Promise<void> {
  await execute(db, "insert into conversations (id, kind, creator_id, created_at) values (?1, 'group', ?2, ?3) on conflict do nothing", [c.id, c.creatorId, c.at]);
  await addParticipants(db, c.id, members, c.at);
}

const insertParticipantStatement = 'insert into participants (conversation_id, account_id, joined_at) values (?1, ?2, ?3) on conflict do nothing';

export async function addParticipants(db: Executor, conversationId: string, members: string[], at: number): Promise<void> {
  for (const accountId of members) await execute(db, insertParticipantStatement, [conversationId, accountId, at]);
}

const insertDecisionLogStatement = `insert into decision_log (id, at, sender_id, recipient_ids, kind, channel, decision, reason, rule, policy, version,
  experiment_id, arm, text_fingerprint, fingerprints, text_length, request, facts, send_id)
  values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)`;

/** `facts` is already encoded (server/decisions/logged-facts.ts). */
export async function insertDecisionLog(db: Executor, row: DecisionLogRow): Promise<void> {
  await execute(db, insertDecisionLogStatement, [
    row.id, row.at, row.senderId, JSON.stringify(row.recipientIds), row.kind, row.channel, row.decision, row.reason ?? null, row.rule ?? null,
    row.policy, row.version, row.experimentId ?? null, row.arm ?? null, row.textFingerprint ?? null, JSON.stringify(row.fingerprints),
    row.textLength, JSON.stringify(row.request), row.facts, row.sendId ?? null,
  ]);
}

/** One minute's tally of one outcome and reason, for one version and arm (live figures). */
export interface MinuteTally {
  minute: number;
  version: string;
  arm: string;
  outcome: string;
  reason: string;
  count: number;
}

/** Adds `count` decisions to their minute's tally. */
export async function addToMinuteTally(db: Executor, t: MinuteTally): Promise<void> {
  await execute(db, `insert into decision_minutes (minute, version, arm, outcome, reason, count) values (?1, ?2, ?3, ?4, ?5, ?6)
    on conflict (minute, version, arm, outcome, reason) do update set count = count + excluded.count`, [t.minute, t.version, t.arm, t.outcome, t.reason, t.count]);
}

export interface StoredResponse {
  requestHash: string;
  response: unknown;
}

export async function findIdempotentResponse(db: Executor, senderId: string, key: string): Promise<StoredResponse | null> {
  const row = await queryOne<{ request_hash: string; response: string }>(db, 'select request_hash, response from idempotent_responses where sender_id = ?1 and key = ?2', [senderId, key]);
  return row ? { requestHash: row.request_hash, response: JSON.parse(row.response) } : null;
}

export async function insertIdempotentResponse(db: Executor, r: { senderId: string; key: string; requestHash: string; response: unknown; at: number }): Promise<void> {
  await execute(db, 'insert into idempotent_responses (sender_id, key, request_hash, response, created_at) values (?1, ?2, ?3, ?4, ?5)',
    [r.senderId, r.key, r.requestHash, JSON.stringify(r.response), r.at]);
}

/** Counted sends of a sender, for tests and operators inspecting an account. */
export async function countSends(db: Executor, senderId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(sends).where(eq(sends.senderId, senderId));
  return row.n;
}

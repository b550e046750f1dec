/** What an enforced decision writes: sends, fingerprints, API requests, cooldowns, conversations, the log. */
import { eq, sql } from 'drizzle-orm';
import { firstRow, type Executor } from '../client.ts';
import { apiRequests, conversations, cooldowns, decisionLog, decisionMinutes, idempotentResponses, participants, sendFingerprints, sends } from '../schema.ts';

export type SendRow = typeof sends.$inferInsert;
export type DecisionLogRow = typeof decisionLog.$inferInsert;

export async function insertSend(db: Executor, send: SendRow, fingerprints: string[], target: string): Promise<void> {
  await db.insert(sends).values(send);
  if (fingerprints.length) {
    await db.insert(sendFingerprints).values(fingerprints.map((fingerprint) => ({ senderId: send.senderId, fingerprint, target, at: send.at })));
  }
}

export async function insertApiRequest(db: Executor, senderId: string, appId: string | null, at: number): Promise<void> {
  await db.insert(apiRequests).values({ senderId, appId, at });
}

/** Starts or restarts the sender's cooldown so that it ends at `until`. */
export async function restartCooldown(db: Executor, senderId: string, until: number): Promise<void> {
  await db.insert(cooldowns).values({ senderId, until }).onConflictDoUpdate({ target: cooldowns.senderId, set: { until } });
}

export async function ensureConversation(db: Executor, c: { id: string; kind: 'direct' | 'group'; creatorId: string; at: number }, members: string[]): Promise<void> {
  await db.insert(conversations).values({ id: c.id, kind: c.kind, creatorId: c.creatorId, createdAt: c.at }).onConflictDoNothing();
  await addParticipants(db, c.id, members, c.at);
}

export async function addParticipants(db: Executor, conversationId: string, members: string[], at: number): Promise<void> {
  if (!members.length) return;
  await db.insert(participants).values(members.map((accountId) => ({ conversationId, accountId, joinedAt: at }))).onConflictDoNothing();
}

export async function insertDecisionLog(db: Executor, row: DecisionLogRow): Promise<void> {
  await db.insert(decisionLog).values(row);
}

/** Adds one decision to its minute's tally (live figures). */
export async function countDecisionMinute(db: Executor, row: { minute: number; version: string; arm: string; outcome: string; reason: string }): Promise<void> {
  await db.insert(decisionMinutes).values({ ...row, count: 1 })
    .onConflictDoUpdate({ target: [decisionMinutes.minute, decisionMinutes.version, decisionMinutes.arm, decisionMinutes.outcome, decisionMinutes.reason], set: { count: sql`${decisionMinutes.count} + 1` } });
}

export interface StoredResponse {
  requestHash: string;
  response: unknown;
}

export async function findIdempotentResponse(db: Executor, senderId: string, key: string): Promise<StoredResponse | null> {
  const row = await firstRow<{ request_hash: string; response: string }>(db, sql`select request_hash, response from idempotent_responses
    where sender_id = ${senderId} and key = ${key}`);
  return row ? { requestHash: row.request_hash, response: JSON.parse(row.response) } : null;
}

export async function insertIdempotentResponse(db: Executor, r: { senderId: string; key: string; requestHash: string; response: unknown; at: number }): Promise<void> {
  await db.insert(idempotentResponses).values({ senderId: r.senderId, key: r.key, requestHash: r.requestHash, response: r.response, createdAt: r.at });
}

/** Counted sends of a sender, for tests and operators inspecting an account. */
export async function countSends(db: Executor, senderId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(sends).where(eq(sends.senderId, senderId));
  return row.n;
}

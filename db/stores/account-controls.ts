/** Operator controls on one account: rule exemptions and the reset of its counters. */
import { and, eq, gt, gte, isNull } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { apiRequests, cooldowns, exemptions, sendFingerprints, sends } from '../schema.ts';

export type Exemption = typeof exemptions.$inferSelect;

export async function insertExemption(db: Executor, exemption: Exemption): Promise<void> {
  await db.insert(exemptions).values(exemption);
}

export async function listExemptions(db: Executor, accountId: string, now: number): Promise<Exemption[]> {
  return db.select().from(exemptions)
    .where(and(eq(exemptions.accountId, accountId), isNull(exemptions.revokedAt), gt(exemptions.expiresAt, now)));
}

/** Revokes one exemption of the account; says whether there was one to revoke. */
export async function revokeExemption(db: Executor, accountId: string, id: string, at: number): Promise<boolean> {
  const rows = await db.update(exemptions).set({ revokedAt: at })
    .where(and(eq(exemptions.id, id), eq(exemptions.accountId, accountId), isNull(exemptions.revokedAt)))
    .returning({ id: exemptions.id });
  return rows.length > 0;
}

export interface CounterReset {
  sendsUncounted: number;
  apiRequestsCleared: number;
  fingerprintsCleared: number;
  cooldownCleared: boolean;
}

/**
 * Resets what the sender's limits count since `since`: its sends stop counting toward the daily cap
 * (they stay delivered, so conversations and reply windows are untouched), and its API requests,
 * duplicate fingerprints and cooldown are cleared.
 */
export async function resetCounters(db: Executor, senderId: string, since: number): Promise<CounterReset> {
  const uncounted = await db.update(sends).set({ counted: false })
    .where(and(eq(sends.senderId, senderId), eq(sends.counted, true), gte(sends.at, since))).returning({ id: sends.id });
  const api = await db.delete(apiRequests).where(and(eq(apiRequests.senderId, senderId), gte(apiRequests.at, since))).returning({ at: apiRequests.at });
  const prints = await db.delete(sendFingerprints).where(and(eq(sendFingerprints.senderId, senderId), gte(sendFingerprints.at, since))).returning({ at: sendFingerprints.at });
  const cooldown = await db.delete(cooldowns).where(eq(cooldowns.senderId, senderId)).returning({ until: cooldowns.until });
  return { sendsUncounted: uncounted.length, apiRequestsCleared: api.length, fingerprintsCleared: prints.length, cooldownCleared: cooldown.length > 0 };
}

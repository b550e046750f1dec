/** Operator controls on one account: rule exemptions and the reset of its counters. */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { counterResets, exemptions } from '../schema.ts';

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

/** Records an operator's reset of the account's counters at `seq` of the recorded order. */
export async function insertCounterReset(db: Executor, reset: { seq: number; accountId: string; at: number }): Promise<void> {
  await db.insert(counterResets).values(reset);
}

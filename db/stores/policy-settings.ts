/** Per-policy lifecycle settings (whether publishing needs a second person's approval). */
import { eq } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { policySettings } from '../schema.ts';

export interface PolicySettings {
  policy: string;
  requireApproval: boolean;
  /** Who last changed them and when; null while the policy has the defaults. */
  updatedBy: string | null;
  updatedAt: number | null;
}

/** A policy's settings; the defaults (no approval required) when none were ever stored. */
export async function readPolicySettings(db: Executor, policy: string): Promise<PolicySettings> {
  const [row] = await db.select().from(policySettings).where(eq(policySettings.policy, policy)).limit(1);
  return row ?? { policy, requireApproval: false, updatedBy: null, updatedAt: null };
}

export async function writePolicySettings(db: Executor, settings: { policy: string; requireApproval: boolean; updatedBy: string; updatedAt: number }): Promise<void> {
  const { policy, ...change } = settings;
  await db.insert(policySettings).values(settings).onConflictDoUpdate({ target: policySettings.policy, set: change });
}

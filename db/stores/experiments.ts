/** Experiments and the shadow decisions logged beside enforced ones. */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { decisionMinutes, experiments, shadowDecisions } from '../schema.ts';

export interface Arm {
  name: string;
  version: string;
  weight: number;
  shadow: boolean;
}

export interface StoredExperiment {
  id: string;
  name: string;
  policy: string;
  salt: string;
  status: 'running' | 'stopped';
  arms: Arm[];
  createdBy: string;
  createdAt: number;
  stoppedAt: number | null;
}

export async function insertExperiment(db: Executor, e: StoredExperiment): Promise<void> {
  await db.insert(experiments).values(e);
}

export async function listExperiments(db: Executor): Promise<StoredExperiment[]> {
  return (await db.select().from(experiments).orderBy(desc(experiments.createdAt))) as StoredExperiment[];
}

export async function findExperiment(db: Executor, id: string): Promise<StoredExperiment | null> {
  const [row] = await db.select().from(experiments).where(eq(experiments.id, id)).limit(1);
  return (row as StoredExperiment | undefined) ?? null;
}

export async function findRunningExperiment(db: Executor, policy: string): Promise<StoredExperiment | null> {
  const [row] = await db.select().from(experiments).where(and(eq(experiments.policy, policy), eq(experiments.status, 'running'))).limit(1);
  return (row as StoredExperiment | undefined) ?? null;
}

export async function stopExperiment(db: Executor, id: string, at: number): Promise<void> {
  await db.update(experiments).set({ status: 'stopped', stoppedAt: at }).where(eq(experiments.id, id));
}

export type ShadowDecisionRow = typeof shadowDecisions.$inferInsert;

export async function insertShadowDecision(db: Executor, row: ShadowDecisionRow): Promise<void> {
  await db.insert(shadowDecisions).values(row);
}

/** Enforced decisions per arm, outcome and reason since `since` (from the per-minute tallies). */
export async function armDecisionMix(db: Executor, arms: string[], since: number): Promise<Array<{ arm: string; outcome: string; reason: string; count: number }>> {
  if (!arms.length) return [];
  return db.select({ arm: decisionMinutes.arm, outcome: decisionMinutes.outcome, reason: decisionMinutes.reason, count: sql<number>`sum(${decisionMinutes.count})` })
    .from(decisionMinutes)
    .where(and(gte(decisionMinutes.minute, since - (since % 60_000)), sql`${decisionMinutes.arm} in (${sql.join(arms.map((a) => sql`${a}`), sql`, `)})`))
    .groupBy(decisionMinutes.arm, decisionMinutes.outcome, decisionMinutes.reason);
}

/** Shadow decisions of an experiment: per arm, shadow outcome against the enforced one. */
export async function shadowMix(db: Executor, experimentId: string): Promise<Array<{ arm: string; decision: string; reason: string | null; enforcedDecision: string; enforcedReason: string | null; count: number }>> {
  return db.select({
    arm: shadowDecisions.arm, decision: shadowDecisions.decision, reason: shadowDecisions.reason,
    enforcedDecision: shadowDecisions.enforcedDecision, enforcedReason: shadowDecisions.enforcedReason, count: sql<number>`count(*)`,
  }).from(shadowDecisions).where(eq(shadowDecisions.experimentId, experimentId))
    .groupBy(shadowDecisions.arm, shadowDecisions.decision, shadowDecisions.reason, shadowDecisions.enforcedDecision, shadowDecisions.enforcedReason);
}

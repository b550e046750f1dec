/** Policy versions: the stored documents, their lifecycle status and which one is active. */
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { auditLog, policyVersions } from '../schema.ts';

export type VersionStatus = 'draft' | 'active' | 'retired';

export interface StoredVersion {
  policy: string;
  version: string;
  document: unknown;
  status: VersionStatus;
  author: string;
  /** The version this one was drafted from; null for seeded presets. */
  basedOn?: string | null;
  /** The policy tests the version carries (see server/lifecycle/versions/policy-tests.ts). */
  tests?: unknown[];
  approvedBy?: string | null;
  approvedAt?: number | null;
  approvalReason?: string | null;
  createdAt: number;
  updatedAt?: number | null;
  publishedAt: number | null;
}

/** A row as read back: every column present. */
export type VersionRow = Required<StoredVersion>;

const byVersion = (policy: string, version: string) => and(eq(policyVersions.policy, policy), eq(policyVersions.version, version));

export async function findActiveVersion(db: Executor, policy: string): Promise<VersionRow | null> {
  const [row] = await db.select().from(policyVersions)
    .where(and(eq(policyVersions.policy, policy), eq(policyVersions.status, 'active'))).limit(1);
  return (row as VersionRow | undefined) ?? null;
}

export async function findVersion(db: Executor, policy: string, version: string): Promise<VersionRow | null> {
  const [row] = await db.select().from(policyVersions).where(byVersion(policy, version)).limit(1);
  return (row as VersionRow | undefined) ?? null;
}

/** Every version of a policy, oldest first (ties by name, so the order is stable). */
export async function listVersions(db: Executor, policy: string): Promise<VersionRow[]> {
  return (await db.select().from(policyVersions).where(eq(policyVersions.policy, policy))
    .orderBy(asc(policyVersions.createdAt), asc(policyVersions.version))) as VersionRow[];
}

/** Inserts a version unless one with the same policy and version exists; says whether it did. */
export async function insertVersionIfAbsent(db: Executor, v: StoredVersion): Promise<boolean> {
  const inserted = await db.insert(policyVersions).values(v).onConflictDoNothing().returning({ version: policyVersions.version });
  return inserted.length > 0;
}

/**
 * Replaces a draft's document and tests and clears its approval. Only a row that is still a draft
 * is touched, so a version published meanwhile stays as it was; says whether the draft was updated.
 */
export async function updateDraft(db: Executor, policy: string, version: string, change: { document: unknown; tests: unknown[]; now: number }): Promise<boolean> {
  const updated = await db.update(policyVersions)
    .set({ document: change.document, tests: change.tests, approvedBy: null, approvedAt: null, approvalReason: null, updatedAt: change.now })
    .where(and(byVersion(policy, version), eq(policyVersions.status, 'draft')))
    .returning({ version: policyVersions.version });
  return updated.length > 0;
}

/** Records a second person's approval of a draft, unless it changed since `seenUpdatedAt`; says whether it did. */
export async function approveDraft(
  db: Executor, policy: string, version: string, approval: { approvedBy: string; reason: string | null; now: number; seenUpdatedAt: number | null },
): Promise<boolean> {
  const unchanged = approval.seenUpdatedAt === null ? isNull(policyVersions.updatedAt) : eq(policyVersions.updatedAt, approval.seenUpdatedAt);
  const updated = await db.update(policyVersions)
    .set({ approvedBy: approval.approvedBy, approvedAt: approval.now, approvalReason: approval.reason })
    .where(and(byVersion(policy, version), eq(policyVersions.status, 'draft'), unchanged))
    .returning({ version: policyVersions.version });
  return updated.length > 0;
}

/** Deletes a draft (never a published version); says whether one was deleted. */
export async function deleteDraft(db: Executor, policy: string, version: string): Promise<boolean> {
  const deleted = await db.delete(policyVersions)
    .where(and(byVersion(policy, version), eq(policyVersions.status, 'draft')))
    .returning({ version: policyVersions.version });
  return deleted.length > 0;
}

/**
 * Makes `version` the active one: the active version (if any) becomes retired, and `version` (a
 * draft being published, or a retired one rolled back to) becomes active. `publishedAt` is set only
 * on a first publish. Run it inside one transaction; says whether `version` was in an expected status.
 */
export async function makeActive(db: Executor, policy: string, version: string, options: { from: VersionStatus; now: number }): Promise<boolean> {
  await db.update(policyVersions).set({ status: 'retired' })
    .where(and(eq(policyVersions.policy, policy), eq(policyVersions.status, 'active')));
  const updated = await db.update(policyVersions)
    .set({ status: 'active', publishedAt: sql`coalesce(${policyVersions.publishedAt}, ${options.now})` })
    .where(and(byVersion(policy, version), eq(policyVersions.status, options.from)))
    .returning({ version: policyVersions.version });
  return updated.length > 0;
}

/**
 * The people who edited a draft, from the audit log: a second person's approval must come from
 * someone who did not write any of it.
 */
export async function draftEditors(db: Executor, policy: string, version: string): Promise<string[]> {
  const rows = await db.selectDistinct({ actor: auditLog.actor }).from(auditLog)
    .where(and(eq(auditLog.policy, policy), eq(auditLog.subject, version), eq(auditLog.action, 'draft.edit')));
  return rows.map((r) => r.actor);
}

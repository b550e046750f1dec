/** Policy versions: the stored documents and which one is active. */
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { policyVersions } from '../schema.ts';

export type VersionStatus = 'draft' | 'active' | 'retired';

export interface StoredVersion {
  policy: string;
  version: string;
  document: unknown;
  status: VersionStatus;
  author: string;
  createdAt: number;
  publishedAt: number | null;
}

export async function findActiveVersion(db: Executor, policy: string): Promise<StoredVersion | null> {
  const [row] = await db.select().from(policyVersions)
    .where(and(eq(policyVersions.policy, policy), eq(policyVersions.status, 'active'))).limit(1);
  return (row as StoredVersion | undefined) ?? null;
}

export async function findVersion(db: Executor, policy: string, version: string): Promise<StoredVersion | null> {
  const [row] = await db.select().from(policyVersions)
    .where(and(eq(policyVersions.policy, policy), eq(policyVersions.version, version))).limit(1);
  return (row as StoredVersion | undefined) ?? null;
}

/** Inserts a version unless one with the same policy and version exists; says whether it did. */
export async function insertVersionIfAbsent(db: Executor, v: StoredVersion): Promise<boolean> {
  const inserted = await db.insert(policyVersions).values(v).onConflictDoNothing().returning({ version: policyVersions.version });
  return inserted.length > 0;
}

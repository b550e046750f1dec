/** The audit log: append-only, queried by policy, actor and time. */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { auditLog } from '../schema.ts';

export interface AuditEntry {
  id: string;
  at: number;
  actor: string;
  action: string;
  policy: string | null;
  subject: string | null;
  diff: unknown;
  reason: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'policy' | 'subject' | 'diff' | 'reason'> & Partial<Pick<AuditEntry, 'policy' | 'subject' | 'diff' | 'reason'>>;

/** Appends one entry; there is deliberately no update or delete. */
export async function appendAudit(db: Executor, entry: NewAuditEntry): Promise<AuditEntry> {
  const row: AuditEntry = { id: randomUUID(), policy: null, subject: null, diff: null, reason: null, ...entry };
  await db.insert(auditLog).values(row);
  return row;
}

export interface AuditQuery {
  policy?: string;
  actor?: string;
  from?: number;
  to?: number;
  limit: number;
}

export async function queryAudit(db: Executor, q: AuditQuery): Promise<AuditEntry[]> {
  const where: SQL[] = [];
  if (q.policy) where.push(eq(auditLog.policy, q.policy));
  if (q.actor) where.push(eq(auditLog.actor, q.actor));
  if (q.from !== undefined) where.push(gte(auditLog.at, q.from));
  if (q.to !== undefined) where.push(lte(auditLog.at, q.to));
  return (await db.select().from(auditLog).where(where.length ? and(...where) : undefined).orderBy(desc(auditLog.at)).limit(q.limit)) as AuditEntry[];
}

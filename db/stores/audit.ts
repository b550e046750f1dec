/** The audit log: append-only, queried by policy, actor, action, version and time, with the names behind its ids. */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, gte, like, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
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

/** Where a page of a newest-first query resumes: strictly after this (at, id). */
export interface AuditCursor {
  at: number;
  id: string;
}

export interface AuditQuery {
  policy?: string;
  actor?: string;
  /** e.g. `version.publish`. */
  action?: string;
  /** Entries about this policy version: its draft's creation and edits, approval, publication, rollback to it. */
  version?: string;
  /** Inclusive. */
  from?: number;
  /** Inclusive. */
  to?: number;
  after?: AuditCursor;
  limit: number;
}

/** An entry with the names an operator knows its ids by (operators, tokens, experiments, exemptions). */
export interface NamedAuditEntry extends AuditEntry {
  names: Record<string, string>;
}

// The subjects that are ids: `operator:<id>`, `token:<id>`, an experiment's id; and the exemption a revoke names in its diff.
const operatorName = sql<string | null>`case when ${auditLog.action} like 'operator.%'
  then (select username from operators where 'operator:' || operators.id = ${auditLog.subject}) end`;
const tokenName = sql<string | null>`case when ${auditLog.action} like 'token.%'
  then (select name from tokens where 'token:' || tokens.id = ${auditLog.subject}) end`;
const experimentName = sql<string | null>`case when ${auditLog.action} like 'experiment.%'
  then (select name from experiments where experiments.id = ${auditLog.subject}) end`;
const exemptionId = sql<string | null>`case when ${auditLog.action} = 'exemption.revoke' then json_extract(${auditLog.diff}, '$.exemptionId') end`;
const exemptionRule = sql<string | null>`(select rule from exemptions where exemptions.id = ${exemptionId})`;

export async function queryAudit(db: Executor, q: AuditQuery): Promise<NamedAuditEntry[]> {
  const where: SQL[] = [];
  if (q.policy) where.push(eq(auditLog.policy, q.policy));
  if (q.actor) where.push(eq(auditLog.actor, q.actor));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.version) where.push(eq(auditLog.subject, q.version), or(like(auditLog.action, 'draft.%'), like(auditLog.action, 'version.%'))!);
  if (q.from !== undefined) where.push(gte(auditLog.at, q.from));
  if (q.to !== undefined) where.push(lte(auditLog.at, q.to));
  if (q.after) where.push(lte(auditLog.at, q.after.at), or(lt(auditLog.at, q.after.at), lt(auditLog.id, q.after.id))!);
  const rows = await db.select({
    id: auditLog.id, at: auditLog.at, actor: auditLog.actor, action: auditLog.action, policy: auditLog.policy,
    subject: auditLog.subject, diff: auditLog.diff, reason: auditLog.reason,
    operatorName, tokenName, experimentName, exemptionId, exemptionRule,
  }).from(auditLog).where(where.length ? and(...where) : undefined).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(q.limit);
  return rows.map(({ operatorName: operator, tokenName: token, experimentName: experiment, exemptionId: exemption, exemptionRule: rule, ...entry }) => {
    const names: Record<string, string> = {};
    const subjectName = operator ?? token ?? experiment;
    if (entry.subject !== null && subjectName !== null) names[entry.subject] = subjectName;
    if (exemption !== null && rule !== null) names[exemption] = `exemption from ${rule}`;
    return { ...(entry as AuditEntry), names };
  });
}

/** The actors and actions the log holds, for filters to offer. */
export async function auditFacets(db: Executor): Promise<{ actors: string[]; actions: string[] }> {
  const [actors, actions] = await Promise.all([
    db.selectDistinct({ value: auditLog.actor }).from(auditLog).orderBy(auditLog.actor),
    db.selectDistinct({ value: auditLog.action }).from(auditLog).orderBy(auditLog.action),
  ]);
  return { actors: actors.map((r) => r.value), actions: actions.map((r) => r.value) };
}

/**
 * Operators of the dashboard and their sessions; also the administration of bearer tokens
 * (listing, revoking) that the operator routes need beside `tokens.ts`'s lookup and insert.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, lte, ne, sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { operators, sessions, tokens } from '../schema.ts';
import type { Scope } from './tokens.ts';

export type OperatorRole = 'viewer' | 'editor' | 'publisher' | 'admin';

export interface Operator {
  id: string;
  username: string;
  role: OperatorRole;
  createdAt: number;
  disabledAt: number | null;
}

const operatorColumns = {
  id: operators.id, username: operators.username, role: operators.role, createdAt: operators.createdAt, disabledAt: operators.disabledAt,
};

export async function countOperators(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(operators);
  return row.n;
}

/** Inserts an operator; null when the username is taken. */
export async function insertOperator(
  db: Executor, input: { username: string; passwordHash: string; role: OperatorRole; now: number },
): Promise<Operator | null> {
  const row: Operator = { id: randomUUID(), username: input.username, role: input.role, createdAt: input.now, disabledAt: null };
  const inserted = await db.insert(operators).values({ ...row, passwordHash: input.passwordHash })
    .onConflictDoNothing({ target: operators.username }).returning({ id: operators.id });
  return inserted.length ? row : null;
}

export async function listOperators(db: Executor): Promise<Operator[]> {
  return db.select(operatorColumns).from(operators).orderBy(asc(operators.createdAt), asc(operators.username));
}

export async function getOperator(db: Executor, id: string): Promise<Operator | null> {
  const [row] = await db.select(operatorColumns).from(operators).where(eq(operators.id, id)).limit(1);
  return row ?? null;
}

/** The operator and its password hash, for signing in. */
export async function findOperatorCredentials(db: Executor, username: string): Promise<(Operator & { passwordHash: string }) | null> {
  const [row] = await db.select({ ...operatorColumns, passwordHash: operators.passwordHash }).from(operators)
    .where(eq(operators.username, username)).limit(1);
  return row ?? null;
}

export interface OperatorChange {
  role?: OperatorRole;
  passwordHash?: string;
  disabledAt?: number | null;
}

export async function updateOperator(db: Executor, id: string, change: OperatorChange): Promise<Operator | null> {
  const [row] = await db.update(operators).set(change).where(eq(operators.id, id)).returning(operatorColumns);
  return row ?? null;
}

/** Enabled admins other than `exceptId`: the guard against locking every admin out. */
export async function countOtherEnabledAdmins(db: Executor, exceptId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(operators)
    .where(and(eq(operators.role, 'admin'), isNull(operators.disabledAt), ne(operators.id, exceptId)));
  return row.n;
}

export interface NewSession {
  idHash: string;
  operatorId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertSession(db: Executor, session: NewSession): Promise<void> {
  await db.insert(sessions).values(session);
}

export interface ActiveSession {
  operator: Operator;
  csrfToken: string;
  expiresAt: number;
}

/** The session with this hash, if it has not expired and its operator is not disabled. */
export async function findActiveSession(db: Executor, idHash: string, now: number): Promise<ActiveSession | null> {
  const [row] = await db.select({ ...operatorColumns, csrfToken: sessions.csrfToken, expiresAt: sessions.expiresAt })
    .from(sessions).innerJoin(operators, eq(operators.id, sessions.operatorId))
    .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now), isNull(operators.disabledAt))).limit(1);
  if (!row) return null;
  const { csrfToken, expiresAt, ...operator } = row;
  return { operator, csrfToken, expiresAt };
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
}

/** Ends every session of an operator, except (optionally) the one making the change. */
export async function deleteSessionsOf(db: Executor, operatorId: string, keepIdHash?: string): Promise<void> {
  const own = eq(sessions.operatorId, operatorId);
  await db.delete(sessions).where(keepIdHash ? and(own, ne(sessions.idHash, keepIdHash)) : own);
}

export async function deleteExpiredSessions(db: Executor, now: number): Promise<void> {
  await db.delete(sessions).where(lte(sessions.expiresAt, now));
}

export interface TokenRecord {
  id: string;
  name: string;
  scopes: Scope[];
  userId: string | null;
  appId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

const tokenColumns = {
  id: tokens.id, name: tokens.name, scopes: tokens.scopes, userId: tokens.userId, appId: tokens.appId, createdAt: tokens.createdAt, revokedAt: tokens.revokedAt,
};

export async function listTokens(db: Executor): Promise<TokenRecord[]> {
  const rows = await db.select(tokenColumns).from(tokens).orderBy(asc(tokens.createdAt), asc(tokens.name));
  return rows.map((r) => ({ ...r, scopes: r.scopes as Scope[] }));
}

export async function getToken(db: Executor, id: string): Promise<TokenRecord | null> {
  const [row] = await db.select(tokenColumns).from(tokens).where(eq(tokens.id, id)).limit(1);
  return row ? { ...row, scopes: row.scopes as Scope[] } : null;
}

/** Revokes a token that is not revoked yet; null when there was nothing to revoke. */
export async function revokeToken(db: Executor, id: string, now: number): Promise<TokenRecord | null> {
  const [row] = await db.update(tokens).set({ revokedAt: now }).where(and(eq(tokens.id, id), isNull(tokens.revokedAt))).returning(tokenColumns);
  return row ? { ...row, scopes: row.scopes as Scope[] } : null;
}

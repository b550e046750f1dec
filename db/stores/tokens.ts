/** Bearer tokens: stored as SHA-256 hashes, looked up by hash. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { tokens } from '../schema.ts';

export type Scope = 'decide' | 'graph' | 'admin';

export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const newSecret = () => `dmp_${randomBytes(24).toString('base64url')}`;

export async function findTokenBySecret(db: Executor, secret: string): Promise<TokenInfo | null> {
  const [row] = await db.select({ id: tokens.id, name: tokens.name, scopes: tokens.scopes }).from(tokens)
    .where(and(eq(tokens.secretHash, hashSecret(secret)), isNull(tokens.revokedAt))).limit(1);
  return row ? { ...row, scopes: row.scopes as Scope[] } : null;
}

export async function insertToken(db: Executor, token: { name: string; secret: string; scopes: Scope[]; now: number }): Promise<TokenInfo> {
  const id = randomUUID();
  await db.insert(tokens).values({ id, name: token.name, secretHash: hashSecret(token.secret), scopes: token.scopes, createdAt: token.now })
    .onConflictDoNothing();
  return { id, name: token.name, scopes: token.scopes };
}

export async function countTokens(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(tokens);
  return row.n;
}

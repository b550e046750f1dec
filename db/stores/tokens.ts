/** Bearer tokens: stored as SHA-256 hashes, looked up by hash. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import { tokens } from '../schema.ts';

/**
 * `decide` (/v1/sends), `graph` (accounts, edges, import), `admin` (everything), `metrics` (GET
 * /metrics only, for a Prometheus scraper), `dm.write` and `dm.read` (the X API v2 Direct Message
 * endpoints: sending, and listing events).
 */
export const scopes = ['decide', 'graph', 'admin', 'metrics', 'dm.write', 'dm.read'] as const;
export type Scope = (typeof scopes)[number];

export interface TokenInfo {
  id: string;
  name: string;
  scopes: Scope[];
  /** The user the token acts for (an X-style numeric account id); null for a service or app-only token. */
  userId: string | null;
  /** The app the token belongs to; null for a service token. */
  appId: string | null;
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const newSecret = () => `dmp_${randomBytes(24).toString('base64url')}`;

export async function findTokenBySecret(db: Executor, secret: string): Promise<TokenInfo | null> {
  const [row] = await db.select({ id: tokens.id, name: tokens.name, scopes: tokens.scopes, userId: tokens.userId, appId: tokens.appId }).from(tokens)
    .where(and(eq(tokens.secretHash, hashSecret(secret)), isNull(tokens.revokedAt))).limit(1);
  return row ? { ...row, scopes: row.scopes as Scope[] } : null;
}

export interface NewToken {
  name: string;
  secret: string;
  scopes: Scope[];
  userId?: string | null;
  appId?: string | null;
  now: number;
}

export async function insertToken(db: Executor, token: NewToken): Promise<TokenInfo> {
  const id = randomUUID();
  const userId = token.userId ?? null;
  const appId = token.appId ?? null;
  await db.insert(tokens).values({ id, name: token.name, secretHash: hashSecret(token.secret), scopes: token.scopes, userId, appId, createdAt: token.now })
    .onConflictDoNothing();
  return { id, name: token.name, scopes: token.scopes, userId, appId };
}

export async function countTokens(db: Executor): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(tokens);
  return row.n;
}

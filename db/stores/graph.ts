/** The social graph the rules read: accounts and their edges (follows, blocks, reports, grants…). */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../executor.ts';
import type { Statement } from '../statements.ts';
import { acceptedRequests, accounts, appGrants, blocks, follows, reports, welcomeMessages } from '../schema.ts';

export type Inbox = 'everyone' | 'following' | 'verified';

export interface Account {
  id: string;
  verified: boolean;
  phoneVerified: boolean;
  protected: boolean;
  suspended: boolean;
  inbox: Inbox;
}

/** The fields of an account a caller may set; any field left out keeps its current value. */
export type AccountPatch = Partial<Omit<Account, 'id'>>;

/** What an account that was never PUT looks like (DESIGN §4). */
export const accountDefaults: Omit<Account, 'id'> = { verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' };

const patchFields = ['verified', 'phoneVerified', 'protected', 'suspended', 'inbox'] as const;
type PatchField = (typeof patchFields)[number];

const accountColumns = { id: accounts.id, verified: accounts.verified, phoneVerified: accounts.phoneVerified, protected: accounts.protected, suspended: accounts.suspended, inbox: accounts.inbox };

const sqlValue = (v: boolean | string) => (typeof v === 'boolean' ? Number(v) : v);

/** `excluded.<column>` for each field: in an upsert, "the value this row tried to insert". */
const excludedValue = (field: PatchField | 'updatedAt') => sql.raw(`excluded.${accounts[field].name}`);

/** The account `id`, or the defaults when it was never PUT. */
export async function getAccount(db: Executor, id: string): Promise<Account> {
  const [row] = await db.select(accountColumns).from(accounts).where(eq(accounts.id, id)).limit(1);
  return row ?? { id, ...accountDefaults };
}

/**
 * Creates the account or changes only the fields in `patch`, and returns it whole.
 * @example await store.writer.write((tx) => upsertAccount(tx, 'u1', { verified: true }, now))
 */
export async function upsertAccount(db: Executor, id: string, patch: AccountPatch, now: number): Promise<Account> {
  const [row] = await db.insert(accounts).values({ id, ...patch, updatedAt: now })
    .onConflictDoUpdate({ target: accounts.id, set: { ...patch, updatedAt: now } })
    .returning(accountColumns);
  return row;
}

/**
 * Upserts many accounts in a few statements (the import), returned to be run where the import writes.
 * Rows that set the same fields share one INSERT … SELECT over `json_each` whose conflict clause
 * copies exactly those fields, so a partial row never resets the fields it leaves out. Later rows
 * for the same id win. `db` only builds them.
 */
export function upsertAccountsStatements(db: Executor, rows: ReadonlyArray<{ id: string } & AccountPatch>, now: number): Statement[] {
  const merged = new Map<string, { id: string } & AccountPatch>();
  for (const row of rows) {
    const earlier = merged.get(row.id);
    merged.set(row.id, earlier ? { ...earlier, ...row } : row);
  }
  const byShape = new Map<string, Array<{ id: string } & AccountPatch>>();
  for (const row of merged.values()) {
    const shape = patchFields.filter((f) => row[f] !== undefined).join(',');
    let group = byShape.get(shape);
    if (!group) byShape.set(shape, (group = []));
    group.push(row);
  }
  return [...byShape].map(([shape, group]) => {
    const fields = new Set(shape ? (shape.split(',') as PatchField[]) : []);
    // `->>` turns JSON true/false into 1/0, what the boolean columns hold.
    const value = (f: PatchField) => (fields.has(f) ? sql.raw(`value->>'${f}'`) : sql`${sqlValue(accountDefaults[f])}`);
    const set: Record<string, SQL> = { updatedAt: excludedValue('updatedAt') };
    for (const f of fields) set[f] = excludedValue(f);
    return statementOf(db.insert(accounts)
      .select(sql`select value->>'id', ${value('verified')}, ${value('phoneVerified')}, ${value('protected')}, ${value('suspended')}, ${value('inbox')}, ${now}
        from json_each(${JSON.stringify(group)}) where true`)
      .onConflictDoUpdate({ target: accounts.id, set }));
  });
}

/** A query drizzle built, as the text and parameters that run it anywhere (db/statements.ts). */
function statementOf(query: { toSQL(): { sql: string; params: unknown[] } }): Statement {
  const { sql: text, params } = query.toSQL();
  return { text, params };
}

/** A directed edge between two ids: `from` follows / blocks / reports / accepts / was shown / grants `to`. */
export interface Edge {
  from: string;
  to: string;
}

export async function follow(db: Executor, edge: Edge, now: number): Promise<void> {
  await db.insert(follows).values({ followerId: edge.from, followeeId: edge.to, createdAt: now }).onConflictDoNothing();
}

export async function unfollow(db: Executor, edge: Edge): Promise<void> {
  await db.delete(follows).where(and(eq(follows.followerId, edge.from), eq(follows.followeeId, edge.to)));
}

export async function block(db: Executor, edge: Edge, now: number): Promise<void> {
  await db.insert(blocks).values({ blockerId: edge.from, blockedId: edge.to, createdAt: now }).onConflictDoNothing();
}

export async function unblock(db: Executor, edge: Edge): Promise<void> {
  await db.delete(blocks).where(and(eq(blocks.blockerId, edge.from), eq(blocks.blockedId, edge.to)));
}

/** `from` reports `to` at `seq` of the recorded order; reporting again moves the report (the latest counts, R7). */
export async function report(db: Executor, edge: Edge, now: number, seq: number): Promise<void> {
  await db.insert(reports).values({ reporterId: edge.from, reportedId: edge.to, reportedAt: now, seq })
    .onConflictDoUpdate({ target: [reports.reporterId, reports.reportedId], set: { reportedAt: now, seq } });
}

/** `from` accepts the message request of `to` (R6; it then counts as a prior conversation, R5). */
export async function acceptRequest(db: Executor, edge: Edge, now: number): Promise<void> {
  await db.insert(acceptedRequests).values({ recipientId: edge.from, senderId: edge.to, createdAt: now }).onConflictDoNothing();
}

/** Account `from` was shown the welcome message of business `to`: recorded, but grants nothing (R8). */
export async function markWelcomeShown(db: Executor, edge: Edge, now: number): Promise<void> {
  await db.insert(welcomeMessages).values({ accountId: edge.from, businessId: edge.to, createdAt: now }).onConflictDoNothing();
}

/** Account `from` lets app `to` send direct messages on its behalf (R13). */
export async function grantApp(db: Executor, edge: Edge, now: number): Promise<void> {
  await db.insert(appGrants).values({ accountId: edge.from, appId: edge.to, createdAt: now }).onConflictDoNothing();
}

export async function revokeApp(db: Executor, edge: Edge): Promise<void> {
  await db.delete(appGrants).where(and(eq(appGrants.accountId, edge.from), eq(appGrants.appId, edge.to)));
}

/** The edge tables, by the name the import counts them under; each has (from, to, time) columns in that order. */
const edgeTables = { follows, blocks, reports, accepted: acceptedRequests, welcomeShown: welcomeMessages, appGrants } as const;

export type EdgeTable = keyof typeof edgeTables;

/**
 * Inserts many edges of one kind in one statement, returned to be run where the import writes. The
 * rows travel as a single JSON parameter,
 * `pairs` = `[[from, to], …]`, read by `json_each` and sorted by key so that the B-tree fills in
 * order: that measured ~3× the throughput of a 500-row VALUES list (whose statement building and
 * binding dominate), and lets the import stage its chunks as that very text. Existing edges stay as
 * they are, except reports, whose time moves to the latest report (and which take `seq`, their place
 * in the recorded order). `db` only builds it.
 * @example runStatements(tx, [insertEdgesStatement(tx, 'follows', JSON.stringify([['u1', 'u2']]), now, seq)])
 */
export function insertEdgesStatement(db: Executor, kind: EdgeTable, pairs: string, now: number, seq: number): Statement {
  if (kind === 'reports') {
    // Reports also take their place in the recorded order (R7): the import's.
    return statementOf(db.insert(reports).select(sql`select value->>0, value->>1, ${now}, ${seq} from json_each(${pairs}) where true order by 1, 2`)
      .onConflictDoUpdate({ target: [reports.reporterId, reports.reportedId], set: { reportedAt: sql.raw(`excluded.${reports.reportedAt.name}`), seq: sql.raw(`excluded.${reports.seq.name}`) } }));
  }
  return statementOf(db.insert(edgeTables[kind]).select(sql`select value->>0, value->>1, ${now} from json_each(${pairs}) where true order by 1, 2`).onConflictDoNothing());
}

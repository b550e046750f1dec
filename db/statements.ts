/**
 * Fixed SQL texts (numbered placeholders `?1` … `?N`) for the decision path, run without drizzle's query builder:
 * on the writer's local connection as kept prepared statements, elsewhere (a libSQL server, the
 * read connection) through drizzle's raw SQL. Building a query with drizzle costs more than running
 * it on a local file, and a decision runs a dozen of them.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from './executor.ts';
import type { NativeDatabase } from './native-driver.ts';

const localConnections = new WeakMap<Executor, NativeDatabase>();
/** The @libsql/client transaction under a drizzle executor the writer opened on a server. */
const remoteTransactions = new WeakMap<Executor, ServerTransaction>();

/** The part of @libsql/client's Transaction this module uses: statements sent together in one round trip. */
export interface ServerTransaction {
  batch(statements: Array<{ sql: string; args: unknown[] }>): Promise<Array<{ rows: ArrayLike<unknown>[] }>>;
}

/** Marks `db` as running inside `tx` on a server, so statements given together go in one round trip. */
export function registerServerTransaction(db: Executor, tx: ServerTransaction): void {
  remoteTransactions.set(db, tx);
}

/** A fixed SQL text (numbered placeholders) and its parameters. */
export interface Statement {
  text: string;
  params: readonly unknown[];
}

/** Executors whose server transaction a runStatements call has committed (`commit`). */
const committedRemote = new WeakSet<Executor>();

/**
 * Runs statements in order and returns each one's rows (as arrays). In a server transaction the
 * writer opened, they travel together — one round trip, while the transaction holds the server's
 * write lock — and with `commit`, the transaction's COMMIT travels with them, run only if they all
 * succeeded (the session then only closes it: committedWith). On the local connection they are
 * native calls, elsewhere one after another; there `commit` is left to the session.
 */
export async function runStatements(db: Executor, statements: readonly Statement[], options: { commit?: boolean } = {}): Promise<unknown[][][]> {
  const native = localConnections.get(db);
  if (native) {
    return statements.map(({ text, params }) => {
      const statement = native.prepare(text);
      // As one array: the local connection's statements take it so (db/local-connection.ts).
      if (statement.reader) return statement.raw(true).all(params) as unknown[][];
      statement.run(params);
      return [];
    });
  }
  const remote = remoteTransactions.get(db);
  if (remote) {
    const sent = statements.map(({ text, params }) => ({ sql: text, args: [...params] }));
    if (options.commit) sent.push({ sql: 'COMMIT', args: [] });
    const results = await remote.batch(sent);
    if (options.commit) {
      committedRemote.add(db);
      results.pop();
    }
    return results.map((r) => r.rows.map((row) => Array.from(row)));
  }
  const out: unknown[][][] = [];
  for (const { text, params } of statements) out.push(await queryRows(db, text, params));
  return out;
}

/** Whether runStatements committed `db`'s server transaction (its session must not commit it again). */
export function committedWith(db: Executor): boolean {
  return committedRemote.has(db);
}

/** Marks `db` as running on `native`, so fixed statements go to the connection directly. */
export function registerLocalConnection(db: Executor, native: NativeDatabase): void {
  localConnections.set(db, native);
}

/**
 * A statement's text split at its numbered placeholders (`?1` … `?N`, each usable more than once),
 * for the drizzle path, which binds parameters in order of appearance.
 */
interface Parsed {
  texts: string[];
  /** The 0-based parameter each gap between two texts takes. */
  slots: number[];
  count: number;
}

const parsedTexts = new Map<string, Parsed>();

function parse(text: string): Parsed {
  let parsed = parsedTexts.get(text);
  if (!parsed) {
    const pieces = text.split(/\?(\d+)/);
    const slots = pieces.filter((_, i) => i % 2 === 1).map((n) => Number(n) - 1);
    parsed = { texts: pieces.filter((_, i) => i % 2 === 0), slots, count: Math.max(0, ...slots.map((s) => s + 1)) };
    parsedTexts.set(text, parsed);
  }
  return parsed;
}

function toSql(text: string, params: readonly unknown[]): SQL {
  const { texts, slots, count } = parse(text);
  if (count !== params.length) throw new Error(`statement expects ${count} parameters, got ${params.length}`);
  const chunks: SQL[] = [sql.raw(texts[0])];
  slots.forEach((slot, i) => chunks.push(sql`${params[slot]}`, sql.raw(texts[i + 1])));
  return sql.join(chunks);
}

/** Whether `db` runs on the writer's local connection (statements are native calls) rather than on a server (each a round trip). */
export function isLocal(db: Executor): boolean {
  return localConnections.has(db);
}

export async function queryAll<T>(db: Executor, text: string, params: readonly unknown[]): Promise<T[]> {
  const native = localConnections.get(db);
  if (native) return native.prepare(text).all(params) as T[];
  return db.all<T>(toSql(text, params));
}

export async function queryOne<T>(db: Executor, text: string, params: readonly unknown[]): Promise<T | null> {
  const native = localConnections.get(db);
  if (native) return (native.prepare(text).get(params) as T | undefined) ?? null;
  const rows = await db.all<T>(toSql(text, params));
  return rows[0] ?? null;
}

/** Rows as arrays of column values, in the statement's column order (no object per row). */
export async function queryRows(db: Executor, text: string, params: readonly unknown[]): Promise<unknown[][]> {
  const native = localConnections.get(db);
  if (native) return native.prepare(text).raw(true).all(params) as unknown[][];
  // @libsql/client's rows index their values but are not arrays.
  return (await db.values<unknown[]>(toSql(text, params))).map((row) => Array.from(row as ArrayLike<unknown>));
}

export async function execute(db: Executor, text: string, params: readonly unknown[]): Promise<void> {
  const native = localConnections.get(db);
  if (native) {
    native.prepare(text).run(params);
    return;
  }
  await db.run(toSql(text, params));
}

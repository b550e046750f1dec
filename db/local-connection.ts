/**
 * The writer's own connection to a local database file: the `libsql` driver called directly, with
 * its prepared statements kept, and drizzle's synchronous dialect on top so the stores run on it
 * unchanged.
 *
 * Why not @libsql/client for the writer: it prepares every statement again on every call, and
 * preparing the decision path's reads costs far more than running them (about 145 µs against
 * 20 µs). Holding prepared statements makes every repeated query — drizzle builds the same SQL text
 * for the same query shape — run for the cost of its execution alone.
 */
import { BetterSQLiteSession } from 'drizzle-orm/better-sqlite3/session';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm/relations';
import { BaseSQLiteDatabase, SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Transaction } from './executor.ts';
import { NativeDatabase, type NativeStatement } from './native-driver.ts';
import * as schema from './schema.ts';
import { registerLocalConnection } from './statements.ts';

export interface LocalConnection {
  native: NativeDatabase;
  /** drizzle on the same connection: statements run inside whatever transaction the writer holds. */
  db: Transaction;
}

/**
 * How many distinct statements stay prepared. Queries with a variable number of parameters (an IN
 * list per group size) make a few texts each; everything else is a fixed set of shapes.
 */
const statementCapacity = 512;

/** The writer connection's page cache. */
export const pageCacheKiB = 128 * 1024;

export function openLocalConnection(path: string, o: { busyTimeoutMs: number; synchronous: 'normal' | 'full' }): LocalConnection {
  const native = new NativeDatabase(path);
  native.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(o.busyTimeoutMs))}`);
  // In WAL mode `normal` skips the fsync of each commit (the synchronous driver would stall the
  // event loop for it, per batch); a commit still reaches the WAL before its jobs are answered.
  native.exec(`PRAGMA synchronous = ${o.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // Checkpoints run on a thread of their own (db/checkpointer.ts), not inside this connection's COMMITs.
  native.exec('PRAGMA wal_autocheckpoint = 0');
  // When the writer starts the WAL over after a checkpoint, it shrinks a WAL that a large import
  // grew back to this size instead of keeping it on disk.
  native.exec('PRAGMA journal_size_limit = 67108864');
  // SQLite's default page cache is 2 MiB: the decision path's indexes (sends by sender and by
  // pair, fingerprints, the log) outgrow it at once and every probe would go back to the file.
  native.exec(`PRAGMA cache_size = -${pageCacheKiB}`);
  keepPreparedStatements(native, statementCapacity);

  const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
  const relational = { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap };
  const dialect = new SQLiteSyncDialect();
  const session = new BetterSQLiteSession(native as never, dialect, relational as never);
  const db = new BaseSQLiteDatabase('sync', dialect, session as never, relational as never) as unknown as Transaction;
  registerLocalConnection(db, native);
  return { native, db };
}

/** Statements that drizzle switched to rows as arrays. */
const rawMode = new WeakMap<NativeStatement, boolean>();

/**
 * Makes `prepare` return the statement already prepared for the same text (least recently used
 * ones are dropped past `capacity`). A statement is only ever run to completion (run/get/all, never
 * a half-read iterator), so handing the same one out again is safe; its row mode is reset because
 * drizzle switches some statements to arrays.
 */
function keepPreparedStatements(native: NativeDatabase, capacity: number): void {
  const prepared = new Map<string, NativeStatement>();
  const prepare = native.prepare.bind(native);
  native.prepare = (sql: string) => {
    let statement = prepared.get(sql);
    if (statement) {
      prepared.delete(sql);
      if (rawMode.get(statement)) statement.raw(false);
      statement.pluck(false);
    } else {
      statement = trackedStatement(prepare(sql));
      if (prepared.size >= capacity) prepared.delete(prepared.keys().next().value!);
    }
    prepared.set(sql, statement);
    return statement;
  };
}

/**
 * Wraps a new statement. Its row mode is tracked so a reused statement is reset without asking the
 * driver (a native call per reuse; raw() throws on a statement that returns no rows). Booleans are
 * bound as 0/1: the driver aborts the whole process on a boolean parameter (a Rust `todo!()`), and
 * drizzle passes raw `sql` parameters through unconverted.
 *
 * The parameters go to the driver as one array: given as arguments (drizzle's way), it would copy
 * them twice more (its rest parameter, then `flat()`), and a decision batch's append binds ~1 000.
 * db/statements.ts passes its own array as the only argument (no parameter is ever an array); it
 * is copied only when it holds a boolean, so a caller's statement is never changed.
 */
function trackedStatement(statement: NativeStatement): NativeStatement {
  const raw = statement.raw.bind(statement);
  statement.raw = (on = true) => {
    rawMode.set(statement, on);
    return raw(on);
  };
  for (const method of ['run', 'get', 'all'] as const) {
    const call = statement[method].bind(statement) as (params: unknown[]) => never;
    statement[method] = (...args: unknown[]) => {
      const given = args.length === 1 && Array.isArray(args[0]) ? args[0] as unknown[] : args;
      return call(given.some((p) => typeof p === 'boolean') ? given.map((p) => (typeof p === 'boolean' ? Number(p) : p)) : given);
    };
  }
  return statement;
}

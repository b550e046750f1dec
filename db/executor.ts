/** What the stores run on: the database's types, shared by the client, the writer and every store. */
import type { SQL } from 'drizzle-orm';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';

export type Schema = typeof schema;
export type Database = LibSQLDatabase<Schema>;
/**
 * What the stores run on: drizzle over @libsql/client (asynchronous) or over the writer's local
 * connection (synchronous). Every call is awaited, so the stores work on either.
 */
export type Transaction = BaseSQLiteDatabase<'sync' | 'async', unknown, Schema>;
/** Anything a store can query through: the database itself or an open transaction. */
export type Executor = Transaction;

/**
 * The first row of a raw query, or null. drizzle's `db.get()` throws on an empty result for raw
 * SQL, so queries that may find nothing go through `all()`.
 */
export async function firstRow<T>(db: Executor, query: SQL): Promise<T | null> {
  const rows = await db.all<T>(query);
  return rows[0] ?? null;
}

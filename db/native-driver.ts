/** The `libsql` driver (better-sqlite3's API, synchronous) as this project uses it: its types and its constructor. */
import { createRequire } from 'node:module';

/** The parts of libsql's better-sqlite3-compatible API this project uses. */
export interface NativeStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  raw(on?: boolean): NativeStatement;
  pluck(on?: boolean): NativeStatement;
  /** Whether the statement returns rows. */
  readonly reader: boolean;
}

export interface NativeDatabase {
  prepare(sql: string): NativeStatement;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}

type NativeDatabaseClass = new (path: string, options?: { timeout?: number; readonly?: boolean }) => NativeDatabase;

/** `libsql` is CommonJS; loading it through require keeps its constructor typed here, once. */
export const NativeDatabase = createRequire(import.meta.url)('libsql') as NativeDatabaseClass;

/**
 * Reads a local database file on a worker thread, with a read-only native connection of its own, for
 * scans over many rows. Stepping SQLite and handing each row over to JavaScript cost a replay of the
 * decision log a third of its time; on the thread it runs beside the caller's work, a page ahead of
 * it, instead of inside it.
 *
 * A query given here returns one JSON text per row; a page comes back as one text, `[row, row, …]`,
 * which the caller parses at once. Queries are drizzle `sql` templates, so the same one runs on a
 * libSQL server (db.values). Statements are prepared once per text.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';

/**
 * The worker's source: plain CommonJS evaluated in the thread, so it needs no TypeScript loader (as
 * db/checkpointer.ts). libsql ignores better-sqlite3's `readonly` option; query_only refuses writes.
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.timeoutMs });
db.exec('PRAGMA query_only = ON');
const statements = new Map();
parentPort.on('message', ({ sql, params }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql).raw(true)));
    const rows = statement.all(...params);
    let json = '[';
    for (let i = 0; i < rows.length; i++) json += (i ? ',' : '') + rows[i][0];
    parentPort.postMessage({ json: json + ']' });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

const dialect = new SQLiteSyncDialect();

export class NativeReader {
  private readonly worker: Worker;
  /** The callers waiting for pages, in the order they asked (the worker answers in that order). */
  private readonly waiting: Array<{ resolve: (rows: unknown[]) => void; reject: (error: Error) => void }> = [];
  /** Why the thread stopped, once it has: later pages are refused with it. */
  private failure: Error | null = null;
  private closed = false;

  /** `path`: Store.localPath. `timeoutMs`: the busy timeout (a reader can meet a lock during WAL recovery). */
  constructor(path: string, timeoutMs = 10_000) {
    const driver = createRequire(import.meta.url).resolve('libsql');
    this.worker = new Worker(source, { eval: true, workerData: { driver, path, timeoutMs } });
    this.worker.on('message', (m: { json?: string; error?: string }) => {
      const caller = this.waiting.shift()!;
      if (m.error !== undefined) caller.reject(new Error(m.error));
      else caller.resolve(JSON.parse(m.json!) as unknown[]);
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => this.failAll(new Error('the reader thread stopped')));
  }

  /** The rows of `query` (one JSON text each), parsed. Several may be asked ahead; they are read in order. */
  jsonRows(query: SQL): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure);
    const { sql, params } = dialect.sqlToQuery(query);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage({ sql, params });
    });
  }

  /** Stops the thread (and its connection); pages still being read are dropped, never answered. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    void this.worker.terminate();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    if (!this.closed) for (const caller of this.waiting.splice(0)) caller.reject(error);
  }
}

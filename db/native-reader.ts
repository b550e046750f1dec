/**
 * Scans a local database file on a worker thread, with a read-only native connection of its own.
 * Stepping SQLite, handing each page over to JavaScript and reading its JSON are most of what a
 * replay of the decision log costs besides the replay itself; on the thread they run beside the
 * caller's work instead of inside it.
 *
 * A scan is a keyset-paginated query whose one row is its page, as JSON text: an array of rows, each
 * an array (one string crosses from SQLite instead of one per row). Each page comes back as one tape
 * (db/json-tape.ts). The thread turns the pages itself, a few ahead of the caller: waiting for the
 * caller to ask for each page left it idle whenever the caller was busy. Queries are drizzle `sql`
 * templates, so the same one runs on a libSQL server (db.values).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { tapeEncoderSource, type Tape } from './json-tape.ts';

/**
 * The worker's source: plain CommonJS evaluated in the thread, so it needs no TypeScript loader (as
 * db/checkpointer.ts). libsql ignores better-sqlite3's `readonly` option; query_only refuses writes.
 * A scan reads a page whenever it has credit (pages the caller hasn't taken yet, at most `ahead`).
 */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.timeoutMs });
db.exec('PRAGMA query_only = ON');
${tapeEncoderSource}
const encode = createTapeEncoder();
let scan = null;
const readAhead = () => {
  while (scan !== null && scan.credit > 0) {
    const tape = encode(scan.statement.get(...scan.params)[0], scan.textColumns);
    // Read before the tape is handed over (its arrays then read as empty here).
    const rows = tape.rows.length;
    const last = tape.rows[rows - 1];
    // The next page starts after the last row: its first values.
    for (let k = 0; k < scan.keyset; k++) scan.params[k] = tape.values[last + 1 + k];
    parentPort.postMessage({ tape }, [tape.tags.buffer, tape.values.buffer, tape.rows.buffer]);
    scan.credit--;
    if (rows < scan.limit) scan = null;
  }
};
parentPort.on('message', (m) => {
  // Stopping between pages: terminating the thread inside a native call aborts the process.
  if (m.stop) {
    scan = null;
    db.close();
    parentPort.close();
    return;
  }
  try {
    if (m.scan) scan = { ...m.scan, statement: db.prepare(m.scan.sql).raw(true), credit: m.scan.ahead };
    else if (scan !== null) scan.credit += m.more;
    readAhead();
  } catch (error) {
    scan = null;
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

const dialect = new SQLiteSyncDialect();

export interface ScanOptions {
  /** As the tape encoder takes them. */
  textColumns: readonly number[];
  /**
   * The query's first `keyset` parameters say where a page starts (strictly after); the next page's
   * are the first `keyset` values of the page's last row, in order.
   */
  keyset: number;
  /** Rows per page (the query's LIMIT): a shorter page is the last. */
  limit: number;
  /** Pages read ahead of the caller, at most. */
  ahead: number;
}

/**
 * The pages of `query` on the file at `path` (Store.localPath), as tapes from one encoder: read them
 * in order with one TapeNames. The thread stops when the pages end or the caller stops taking them.
 * `timeoutMs`: the busy timeout (a reader can meet a lock during WAL recovery).
 */
export async function* scanPages(path: string, query: SQL, options: ScanOptions, timeoutMs = 10_000): AsyncGenerator<Tape> {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(source, { eval: true, workerData: { driver, path, timeoutMs } });
  const arrived: Tape[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const settle = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: { tape?: Tape; error?: string }) => {
    if (m.error !== undefined) failure ??= new Error(m.error);
    else arrived.push(m.tape!);
    settle();
  });
  worker.on('error', (error) => {
    failure ??= error;
    settle();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => {
    exited = true;
    failure ??= new Error('the reader thread stopped');
    settle();
    resolve();
  }));
  try {
    const { sql, params } = dialect.sqlToQuery(query);
    worker.postMessage({ scan: { sql, params, ...options } });
    // Credit is given back for half the pages read ahead at a time: a message to the thread cost
    // ~28 µs of this thread's CPU, 2 % of a replay's when each page asked for the next.
    const refill = Math.max(1, Math.floor(options.ahead / 2));
    let taken = 0;
    for (;;) {
      while (!arrived.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const tape = arrived.shift();
      if (!tape) throw failure!;
      if (++taken % refill === 0) worker.postMessage({ more: refill });
      yield tape;
      if (tape.rows.length < options.limit) return;
    }
  } finally {
    if (!exited) {
      worker.postMessage({ stop: true });
      await exit;
    }
  }
}

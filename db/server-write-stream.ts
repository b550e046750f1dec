/**
 * The writer's connection to a libSQL server over WebSocket: one Hrana stream kept open from one
 * write transaction to the next. @libsql/client opens a stream for every transaction, and the
 * server opens a database connection for every stream. Measured against a local sqld, one-row write
 * transactions cost the server ~845 µs of CPU and the client ~430 µs that way, against ~235 µs and
 * ~120–170 µs on a kept stream (bench/RESULTS.md, session 5). A batch on a server holds its write lock
 * for all of it.
 *
 * A transaction here offers what the writer uses of @libsql/client's: `batch` (its statements in one
 * round trip, the first batch opening with BEGIN IMMEDIATE), `execute` (for drizzle), `commit`,
 * `rollback`, `close`. After a transaction that did not commit, the stream is dropped and the next
 * one opens another, so nothing a failure left behind (an open transaction, a broken socket) reaches it.
 */
import * as hrana from '@libsql/hrana-client';

type InStatement = string | { sql: string; args?: unknown[] };

/** What a statement answers, in the shape drizzle reads from @libsql/client. */
export interface StreamResult {
  columns: string[];
  columnTypes: string[];
  rows: hrana.Row[];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

/** Whether `url` can be served by a kept stream (Hrana over WebSocket). */
export function keepsStream(url: string): boolean {
  return /^wss?:\/\//i.test(url);
}

export class ServerWriteStream {
  private client: hrana.WsClient | null = null;
  private stream: hrana.WsStream | null = null;
  private version = 2;

  constructor(private readonly url: string, private readonly authToken?: string) {}

  /** A write transaction on the kept stream (opened first if there is none). */
  async transaction(): Promise<StreamTransaction> {
    const stream = await this.open();
    return new StreamTransaction(stream, this.version, (committed) => { if (!committed) this.drop(); });
  }

  /**
   * One read on the kept stream between two transactions (the writer's, which runs one at a time):
   * in autocommit, it takes no lock. Another stream would cost the server a connection of its own.
   */
  async read(statement: InStatement): Promise<unknown[][]> {
    const stream = await this.open();
    try {
      return (await stream.query(toHrana(statement))).rows.map((row) => Array.from(row));
    } catch (error) {
      this.drop();
      throw error;
    }
  }

  private async open(): Promise<hrana.WsStream> {
    if (!this.stream || this.stream.closed || !this.client || this.client.closed) {
      this.drop();
      this.client = hrana.openWs(this.url, this.authToken, 3);
      this.version = await this.client.getVersion();
      this.stream = this.client.openStream();
    }
    return this.stream;
  }

  /** Closes the stream and its socket; the next transaction opens new ones. */
  drop(): void {
    this.stream?.close();
    this.client?.close();
    this.stream = null;
    this.client = null;
  }
}

export class StreamTransaction {
  private started = false;
  private done = false;

  constructor(
    private readonly stream: hrana.WsStream,
    private readonly version: number,
    private readonly onClose: (committed: boolean) => void,
  ) {}

  get closed(): boolean {
    return this.done;
  }

  async execute(statement: InStatement): Promise<StreamResult> {
    return (await this.batch([statement]))[0];
  }

  /**
   * Runs the statements in order in one round trip, each only if the one before succeeded and the
   * transaction is still open; a statement that did not run fails the call. A COMMIT among them
   * commits the transaction: then say so to close().
   */
  async batch(statements: readonly InStatement[]): Promise<StreamResult[]> {
    if (this.done) throw Object.assign(new Error('the transaction is closed'), { code: 'TRANSACTION_CLOSED' });
    const batch = this.stream.batch(false);
    let last: hrana.BatchStep | undefined;
    let begin: Promise<unknown> | undefined;
    if (!this.started) {
      last = batch.step();
      begin = last.run('BEGIN IMMEDIATE');
      begin.catch(() => undefined);
    }
    const results = statements.map((statement) => {
      const step = batch.step();
      if (last) step.condition(hrana.BatchCond.ok(last));
      // Never in autocommit: a transaction the server took back must not run the rest on their own.
      if (this.version >= 3) step.condition(hrana.BatchCond.not(hrana.BatchCond.isAutocommit(batch)));
      const rows = step.query(toHrana(statement));
      rows.catch(() => undefined);
      last = step;
      return rows;
    });
    await batch.execute();
    if (begin) {
      await begin;
      this.started = true;
    }
    const out: StreamResult[] = [];
    for (const rows of results) {
      const result = await rows;
      if (result === undefined) {
        throw Object.assign(new Error('a statement of the transaction was not run: the transaction was rolled back'), { code: 'TRANSACTION_CLOSED' });
      }
      out.push(resultOf(result));
    }
    return out;
  }

  async commit(): Promise<void> {
    await this.batch(['COMMIT']);
    this.close(true);
  }

  async rollback(): Promise<void> {
    if (this.done) return;
    try {
      if (this.started) await this.stream.run('ROLLBACK');
    } finally {
      this.close();
    }
  }

  /**
   * Ends the transaction here. `committed`: a COMMIT ran (commit(), or one sent among the statements
   * of a batch); after anything else the stream is dropped, and a new one serves the next.
   */
  close(committed = false): void {
    if (this.done) return;
    this.done = true;
    this.onClose(committed);
  }
}

const sqlOf = (statement: InStatement) => (typeof statement === 'string' ? statement : statement.sql);

function toHrana(statement: InStatement): hrana.Stmt {
  const stmt = new hrana.Stmt(sqlOf(statement));
  if (typeof statement !== 'string' && statement.args) stmt.bindIndexes(statement.args as hrana.InValue[]);
  return stmt;
}

function resultOf(rows: hrana.RowsResult): StreamResult {
  return {
    columns: rows.columnNames.map((c) => c ?? ''),
    columnTypes: rows.columnDecltypes.map((c) => c ?? ''),
    rows: rows.rows,
    rowsAffected: rows.affectedRowCount,
    lastInsertRowid: rows.lastInsertRowid,
  };
}

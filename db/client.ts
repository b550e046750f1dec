/** Opens the libSQL database, migrates it, and owns the single writer every write goes through. */
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createClient, type Client, type InValue } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';
import { startCheckpointer } from './checkpointer.ts';
import { startLogIndexer, type IndexerOptions, type LogIndexer } from './log-indexer.ts';
import { startSharedLogIndexer } from './shared-log-indexer.ts';
import { openLocalConnection } from './local-connection.ts';
import { localWriteSession, roundsEnded } from './local-write-session.ts';
import { Writer, type IsClientError, type WriteSession } from './writer.ts';
import type { Database, Executor } from './executor.ts';
import { keepsStream, ServerWriteStream } from './server-write-stream.ts';
import { committedWith, registerServerTransaction, type ServerTransaction, type Statement } from './statements.ts';

export interface Store {
  client: Client;
  db: Database;
  /** Every write goes through here: one transaction at a time, grouped for throughput. */
  writer: Writer;
  /** The database file for a `file:` URL (null in memory or on a libSQL server): scans may open it natively. */
  localPath: string | null;
  /** Builds the decision log's indexes off the decision path (db/log-indexer.ts, db/shared-log-indexer.ts). */
  indexer: LogIndexer;
  /**
   * On a libSQL server, a read between the writer's transactions, on the writer's own connection
   * where it keeps one (called only from a writer hook, never while a transaction is open). Null on a local file.
   */
  readBetweenBatches: ((statement: Statement) => Promise<unknown[][]>) | null;
  /**
   * Single-row reads on the decision path: an idempotency key's answer that memory no longer holds.
   * On a local file, the writer's own connection, whose statements stay prepared and pages cached:
   * through `db` (@libsql/client) each such read was prepared again, ~45 µs more a send carrying a key
   * (bench/RESULTS.md, session 19). Only for tables that no writer job writes, since such a read may
   * fall inside a batch's transaction. On a libSQL server, `db`.
   */
  pointReads: Executor;
  close(): Promise<void>;
}

export interface OpenOptions {
  url: string;
  authToken?: string;
  /** Busy timeout in ms; never 0 (a lock error with 0 silently loses later writes, DESIGN §5). */
  timeoutMs?: number;
  /** SQLite's `synchronous` on the local writer's connection (see Config.synchronous). Default normal. */
  synchronous?: 'normal' | 'full';
  /** Errors jobs throw on purpose before writing (see WriteOptions.savepoint); none by default. */
  isClientError?: IsClientError;
  /** The log indexer's options (db/log-indexer.ts); tests set a small bucket size. */
  indexer?: IndexerOptions;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** The database file a `file:` URL names; null for memory or a libSQL server. */
export function localPathOf(url: string): string | null {
  return url.startsWith('file:') && url !== 'file::memory:' ? url.slice('file:'.length) : null;
}

/** Opens (creating and migrating on first use) the database at `url`: a `file:` path or a libSQL server. */
export async function openStore(options: OpenOptions): Promise<Store> {
  const { url } = options;
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  const client = createClient({ url, authToken: options.authToken, timeout: options.timeoutMs ?? 10_000 });
  if (url.startsWith('file:')) {
    // WAL persists in the file, so one statement on any pooled connection is enough.
    await client.execute('PRAGMA journal_mode=WAL');
  }
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  const localPath = localPathOf(url);
  if (!localPath) {
    // Over WebSocket the writer keeps one stream of its own from one transaction to the next.
    const kept = keepsStream(url) ? new ServerWriteStream(url, options.authToken) : null;
    const open = kept ? () => kept.transaction() : async () => (await client.transaction('write')) as unknown as ServerWriteTransaction;
    // Instances on a server own their senders (server/cluster/ownership.ts) and decide them before
    // the transaction that appends them, which then holds the write lock for one round trip.
    const writer = new Writer(serverWriteSession(open), options.isClientError, { busyPatienceMs: options.timeoutMs ?? 10_000, decideOutsideTransaction: true });
    const readMarks = async () => (await client.execute('select name, seq from log_index')).rows.map((row) => Array.from(row));
    const indexer = startSharedLogIndexer(writer, readMarks, options.indexer);
    const readBetweenBatches = kept
      ? (statement: Statement) => kept.read({ sql: statement.text, args: [...statement.params] })
      : async (statement: Statement) => (await client.execute({ sql: statement.text, args: [...statement.params] as InValue[] })).rows.map((row) => Array.from(row));
    return {
      client, db, writer, localPath, indexer, readBetweenBatches, pointReads: db,
      close: async () => {
        await indexer.stop();
        kept?.drop();
        client.close();
      },
    };
  }
  // Reads keep going through @libsql/client (their own connections, never inside a batch); the
  // writer gets a connection of its own that holds its prepared statements.
  // The writer's connection never waits inside SQLite (that would stall the event loop): a busy
  // BEGIN fails at once and is tried again after yielding (localWriteSession).
  const local = openLocalConnection(localPath, { busyTimeoutMs: 0, synchronous: options.synchronous ?? 'normal' });
  const checkpointer = startCheckpointer(localPath);
  const indexer = startLogIndexer(localPath, { busyTimeoutMs: options.timeoutMs, ...options.indexer });
  const writer = new Writer(localWriteSession(local, options.timeoutMs ?? 10_000, roundsEnded(indexer)), options.isClientError, { busyPatienceMs: options.timeoutMs ?? 10_000 });
  return {
    client, db, writer, localPath, indexer, readBetweenBatches: null, pointReads: local.db,
    close: async () => {
      await indexer.stop();
      client.close();
      // Everything into the database file and the WAL emptied: the next start reads the file alone.
      try { local.native.exec('PRAGMA wal_checkpoint(TRUNCATE)'); } catch { /* a reader still open: the next checkpoint does it */ }
      local.native.close();
      await checkpointer.stop();
    },
  };
}

/**
 * Runs `body` on one consistent snapshot of the database (a read transaction), so that what several
 * statements read fits together while the writer and the log indexer go on. On a local file, on a
 * native connection of its own (rows as arrays, no objects: rebuilding reads millions).
 */
export async function readSnapshot<T>(store: Pick<Store, 'client' | 'localPath'>, body: (db: Executor) => Promise<T>): Promise<T> {
  if (!store.localPath) {
    // A read transaction of the server's: drizzle's own would take the write lock (it starts every
    // transaction in write mode), and other instances would wait for a whole rebuild.
    const tx = await store.client.transaction('read');
    try {
      return await body(drizzleOver(tx));
    } finally {
      tx.close();
    }
  }
  const local = openLocalConnection(store.localPath, { busyTimeoutMs: 10_000, synchronous: 'normal' });
  try {
    local.native.exec('BEGIN');
    try {
      return await body(local.db);
    } finally {
      local.native.exec('COMMIT');
    }
  } finally {
    local.native.close();
  }
}

/**
 * drizzle over one server transaction, without the schema's relational config: no store makes
 * relational queries (`db.query`), and working that config out again for every transaction was ~2 %
 * of the journal writer's CPU under bench:sqld's load (bench/RESULTS.md, session 12).
 */
function drizzleOver(tx: object): Executor {
  return drizzle(tx as unknown as Client) as unknown as Executor;
}

/** The part of a server write transaction the writer's session uses (@libsql/client's, or a kept stream's). */
interface ServerWriteTransaction extends ServerTransaction {
  readonly closed: boolean;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** `committed`: a COMMIT ran among the statements (a kept stream then serves the next transaction). */
  close(committed?: boolean): void;
}

/**
 * A write transaction on a libSQL server, with drizzle over it for the stores, and registered so
 * that statements the writer sends together (a batch's opening and closing ones) take one round
 * trip: the transaction holds the server's write lock, and every round trip keeps it longer.
 */
function serverWriteSession(open: () => Promise<ServerWriteTransaction>): WriteSession {
  return async (body) => {
    const tx = await open();
    try {
      const db = drizzleOver(tx);
      registerServerTransaction(db, tx);
      const value = await body(db);
      // The writer sends its batch's last statements and the COMMIT in one round trip.
      if (committedWith(db)) tx.close(true);
      else await tx.commit();
      return value;
    } catch (error) {
      if (!tx.closed) await tx.rollback().catch(() => undefined);
      throw error;
    } finally {
      tx.close();
    }
  };
}

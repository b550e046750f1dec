/**
 * The writer's transactions on a local database file (db/client.ts): BEGIN IMMEDIATE on the writer's
 * own connection — waited for without stopping the event loop — the batch, then COMMIT, or ROLLBACK
 * if the batch throws.
 */
import type { LocalConnection } from './local-connection.ts';
import type { LogIndexer } from './log-indexer.ts';
import type { NativeDatabase } from './native-driver.ts';
import type { WriteSession } from './writer.ts';

/**
 * `released`: resolves when another connection that takes the write lock now and then (the log
 * indexer) has let it go; the writer then tries again at once (see beginImmediate).
 */
export function localWriteSession({ native, db }: LocalConnection, busyTimeoutMs: number, released: () => Promise<void>): WriteSession {
  return async (body) => {
    await beginImmediate(native, busyTimeoutMs, released);
    try {
      const value = await body(db);
      native.exec('COMMIT');
      return value;
    } catch (error) {
      if (native.inTransaction) native.exec('ROLLBACK');
      throw error;
    }
  };
}

/** A promise of the log indexer's next committed round, renewed after each: what a writer waiting for the lock waits for. */
export function roundsEnded(indexer: Pick<LogIndexer, 'onProgress'>): () => Promise<void> {
  let ended = () => {};
  let next = new Promise<void>((resolve) => { ended = resolve; });
  indexer.onProgress(() => {
    ended();
    next = new Promise<void>((resolve) => { ended = resolve; });
  });
  return () => next;
}

/**
 * BEGIN IMMEDIATE, tried again while another connection (the log indexer) holds the write lock.
 * SQLite's own busy handler would sleep inside the call and stop the event loop with it; waiting
 * here lets requests go on being read and queued. It is tried again when `released` resolves — the
 * indexer's round has committed — or after a wait that doubles up to 8 ms (another holder: an
 * import's thread, a checkpoint). A lock held past `timeoutMs` fails the batch.
 *
 * Under the decision-path bench's load ~6 % of batches meet the indexer's lock. Tried again on the
 * timer alone (1, 3, 7, 15, 23 ms in) they waited 4.5 ms on average, woken by the round's end 4.0 ms:
 * the rest is the round's own transaction (bench/RESULTS.md, session 11).
 */
async function beginImmediate(native: NativeDatabase, timeoutMs: number, released: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let waitMs = 0; ; waitMs = Math.min(2 * waitMs || 1, 8)) {
    try {
      native.exec('BEGIN IMMEDIATE');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([released(), new Promise((resolve) => { timer = setTimeout(resolve, waitMs); })]);
    clearTimeout(timer);
  }
}

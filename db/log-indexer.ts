/**
 * Starts the log indexer's thread (db/log-indexer.worker.cjs) on a local database file: it builds,
 * off the decision path, what the append-only decision log is read through — the log by account,
 * the pair history and groups a rebuild starts from, the live figures, shadow decisions and
 * idempotent answers — and says how far it has come.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface IndexerProgress {
  /** Every log row up to this sequence number is indexed. */
  indexedThrough: number;
  /** The round's number, counted from 1. */
  round: number;
  /** The round indexed everything committed before it began. */
  caughtUp: boolean;
  /** When the indexer last finished a round (server clock, ms). */
  at: number;
}

export interface LogIndexer {
  /** How far the indexer has come; null before its first round. */
  progress(): IndexerProgress | null;
  /** Calls `listener` after every round. */
  onProgress(listener: (progress: IndexerProgress) => void): void;
  /**
   * Resolves once everything committed before the call is indexed (tests, and a caller that needs
   * fresh figures) — or after `timeoutMs`, if given, whichever comes first.
   */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Indexes what is committed, then stops the thread. */
  stop(): Promise<void>;
  /**
   * Decisions were appended to the log: an indexer that found nothing to index last time, and waits
   * out a quiet spell rather than polling, indexes now (called after every enforced decision; cheap
   * when it is busy).
   */
  logAppended(): void;
  /**
   * Where instances share a libSQL server: rounds run on their timer only while `active()` holds (on
   * the instance whose connection writes the journal, server/cluster/journal.ts: another's rounds
   * would take the server's write lock from it). Meanwhile the timer only reads how far the indexes
   * have come; a caller that waits for them (caughtUp) still gets a round.
   */
  runOnlyWhile?(active: () => boolean): void;
}

export interface IndexerOptions {
  /** Rows per round (and transaction). */
  rowsPerRound?: number;
  /** How long to wait for new rows when a round found less than a full page. */
  idleMs?: number;
  /**
   * How long an indexer that found nothing waits before it looks again unwoken (an enforced decision
   * wakes it: logAppended()); at least idleMs. 1 000 ms by default, so the round age in
   * /metrics stays a sign of a stuck indexer, not of a quiet service.
   */
  quietMs?: number;
  busyTimeoutMs?: number;
  /**
   * Sequence numbers per bucket of the log's indexes (db/schema.ts); tests set a few to cross
   * buckets. Changing it keeps a database readable: a bucket is floor(seq ÷ size), so buckets still
   * grow with the recorded order across the change, which is all that reads and rebuilds rely on.
   */
  bucketSize?: number;
}

/**
 * A round's rows land in the current bucket's pages, and every page a round dirties is written whole
 * to the WAL at its COMMIT: a bucket of 65 536 spread a round's rows over ~1 300 pages (about 6 KB of
 * WAL a decision); at 2 048 they fit in ~40, and the indexer's CPU a decision halves
 * (bench/RESULTS.md). Searches by account seek once a bucket: ~5 000 seeks over 10 M decisions.
 */
export const defaultBucketSize = 2048;

const workerFile = fileURLToPath(new URL('./log-indexer.worker.cjs', import.meta.url));
const roundFile = fileURLToPath(new URL('./log-index-round.cjs', import.meta.url));

/** How long a quiet indexer waits unwoken by default (IndexerOptions.quietMs). */
export const defaultQuietMs = 1000;

export function startLogIndexer(path: string, options: IndexerOptions = {}): LogIndexer {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const idleMs = options.idleMs ?? 50;
  const worker = new Worker(workerFile, {
    workerData: {
      driver, round: roundFile, path, rowsPerRound: options.rowsPerRound ?? 4096, idleMs, quietMs: Math.max(idleMs, options.quietMs ?? defaultQuietMs),
      busyTimeoutMs: options.busyTimeoutMs ?? 10_000, bucketSize: options.bucketSize ?? defaultBucketSize,
    },
  });
  let latest: IndexerProgress | null = null;
  /** The thread's last round found nothing, and no wake-up was sent since: the next decision sends one. */
  let quiet = false;
  const listeners: Array<(progress: IndexerProgress) => void> = [];
  /** Callers waiting for caughtUp, by the id of their request to the thread. */
  const waiting = new Map<number, () => void>();
  let requests = 0;
  worker.on('message', (m: { indexedThrough?: number; round?: number; caughtUp?: boolean; quiet?: boolean; error?: string; caughtUpFor?: number }) => {
    if (m.error) console.warn(`log indexer: ${m.error}`);
    if (m.caughtUpFor !== undefined) waiting.get(m.caughtUpFor)?.();
    if (m.indexedThrough === undefined) return;
    quiet = m.quiet === true;
    latest = { indexedThrough: m.indexedThrough, round: m.round!, caughtUp: m.caughtUp!, at: Date.now() };
    for (const listener of [...listeners]) listener(latest);
  });
  // The thread failing only stops indexing: decisions go on, and the API says how stale the indexes are.
  worker.on('error', (error) => console.warn(`log indexer thread stopped: ${error.message}`));
  worker.unref();
  let exited = false;
  worker.once('exit', () => {
    exited = true;
    // A thread that stopped indexes nothing more: everyone waiting goes on.
    for (const resolve of [...waiting.values()]) resolve();
  });
  const caughtUp = (timeoutMs?: number) => new Promise<void>((resolve) => {
    if (exited) return resolve();
    const id = ++requests;
    const done = () => {
      if (!waiting.delete(id)) return;
      // A caller waiting keeps the process alive for the thread (it is otherwise unref'd).
      if (!waiting.size) worker.unref();
      resolve();
    };
    if (timeoutMs !== undefined) setTimeout(done, timeoutMs).unref();
    waiting.set(id, done);
    worker.ref();
    // The thread reads the request after what the caller committed: the rounds it runs for it see all of it.
    worker.postMessage({ catchUp: id });
  });
  return {
    progress: () => latest,
    onProgress: (listener) => { listeners.push(listener); },
    caughtUp,
    logAppended: () => {
      if (!quiet || exited) return;
      quiet = false;
      worker.postMessage('wake');
    },
    stop: () => new Promise<void>((resolve) => {
      if (exited) return resolve();
      worker.once('exit', () => resolve());
      // Waited for: the thread must keep the process alive until it has finished.
      worker.ref();
      worker.postMessage('stop');
    }),
  };
}

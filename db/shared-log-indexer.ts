/**
 * The log indexer where several instances share a libSQL server: the same rounds as the local
 * thread's (db/log-index-round.cjs), run by every instance as a writer job on a timer. The server
 * serialises write transactions, and each round reads the watermarks inside its own, so two instances
 * never index the same rows.
 */
import { createRequire } from 'node:module';
import type { Transaction } from './executor.ts';
import { defaultBucketSize, defaultQuietMs, type IndexerOptions, type IndexerProgress, type LogIndexer } from './log-indexer.ts';
import { runStatements } from './statements.ts';
import type { Writer } from './writer.ts';

/** db/log-index-round.cjs, as typed here. */
const round = createRequire(import.meta.url)('./log-index-round.cjs') as {
  roundStatements(bucketSize: number, rowsPerRound: number): { query: string; writes: string[] };
  indexedThrough(rows: unknown[][]): number;
};

/**
 * One round inside `tx` (which holds the server's write lock, so nothing is appended meanwhile): how
 * many log rows it covered, and how far the indexes have come. What it covers is asked first, and
 * the writes are sent only when that is something: an idle instance sends one short statement a
 * quiet spell, not the writes for the server to compile again each time.
 */
async function indexRound(tx: Transaction, statements: { query: string; writes: string[] }): Promise<{ rows: number; through: number }> {
  const [[[through, rows]]] = await runStatements(tx, [{ text: statements.query, params: [] }]);
  if (Number(rows) > 0) await runStatements(tx, statements.writes.map((text) => ({ text, params: [] })));
  return { rows: Number(rows), through: Number(through) };
}

/**
 * `readMarks` reads the watermarks (name, seq) outside the writer: how far the indexes have come
 * while this instance's rounds are not the ones running (runOnlyWhile).
 */
export function startSharedLogIndexer(writer: Writer, readMarks: () => Promise<unknown[][]>, options: IndexerOptions = {}): LogIndexer {
  const rowsPerRound = options.rowsPerRound ?? 4096;
  const statements = round.roundStatements(options.bucketSize ?? defaultBucketSize, rowsPerRound);
  const idleMs = Math.max(options.idleMs ?? 200, 10);
  const quietMs = Math.max(idleMs, options.quietMs ?? defaultQuietMs);
  let latest: IndexerProgress | null = null;
  /** The last round found nothing: the next waits for this instance's next decision, or quietMs. */
  let quiet = false;
  /** Rounds begun; a round's progress carries its number, so a waiter knows it began after the call. */
  let begun = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  /** A caller waits (caughtUp): the next round starts at once, not after the idle wait. */
  let wanted = false;
  let active = () => true;
  const listeners: Array<(progress: IndexerProgress) => void> = [];

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(work, wanted ? 0 : delayMs);
    timer.unref();
  };
  /**
   * Another instance indexes: only how far it has come, for the listeners (not a round: caughtUp waits
   * on), read every quietMs — what is not indexed yet is read from the log, so a search loses nothing.
   */
  const watch = () => {
    timer = null;
    running = readMarks().then((rows) => {
      running = null;
      latest = { indexedThrough: round.indexedThrough(rows), round: latest?.round ?? 0, caughtUp: false, at: Date.now() };
      for (const listener of [...listeners]) listener(latest);
      schedule(quietMs);
    }, () => {
      running = null;
      schedule(quietMs);
    });
  };
  const work = () => {
    if (!wanted && !active()) return watch();
    timer = null;
    wanted = false;
    const number = ++begun;
    running = writer.write((tx) => indexRound(tx, statements)).then((result) => {
      running = null;
      latest = { indexedThrough: result.through, round: number, caughtUp: result.rows < rowsPerRound, at: Date.now() };
      for (const listener of [...listeners]) listener(latest);
      quiet = result.rows === 0;
      // A quiet spell ends with this instance's next decision (logAppended), or after quietMs: others'
      // appends run in this writer's batches (the journal's) but wake nothing, and wait at most that long.
      schedule(result.rows === rowsPerRound ? 0 : quiet ? quietMs : idleMs);
    }, (error: Error) => {
      running = null;
      // A failed round changes nothing (its transaction is the writer batch's); the next one tries again.
      console.warn(`log indexer: ${error.message}`);
      schedule(idleMs * 10);
    });
  };
  schedule(0);

  return {
    progress: () => latest,
    onProgress: (listener) => { listeners.push(listener); },
    caughtUp: (timeoutMs?: number) => new Promise<void>((resolve) => {
      if (stopped) return resolve();
      // A round already begun may have read the log before what the caller committed: wait for a later one.
      const after = begun;
      const done = () => {
        const at = listeners.indexOf(listener);
        if (at >= 0) listeners.splice(at, 1);
        resolve();
      };
      const listener = (p: IndexerProgress) => {
        if (p.round > after && p.caughtUp) done();
      };
      listeners.push(listener);
      if (timeoutMs !== undefined) setTimeout(done, timeoutMs).unref();
      wanted = true;
      if (timer) {
        clearTimeout(timer);
        work();
      }
    }),
    runOnlyWhile: (predicate) => { active = predicate; },
    logAppended: () => {
      if (!quiet || timer === null || stopped) return;
      quiet = false;
      clearTimeout(timer);
      work();
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * An import's rows written on a thread of their own (db/import-writer.worker.cjs), in one
 * transaction of that thread's connection to the local database file, while the main thread applies
 * the same rows to the decision state: at 1 M accounts and 10 M edges the two took ~15 s each, one
 * after the other. The writer (db/writer.ts, `Writer.alone`) holds every other write back meanwhile,
 * so this transaction never waits for the writer's own, nor the writer for it.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { pageCacheKiB } from './local-connection.ts';
import type { Statement } from './statements.ts';

const workerFile = fileURLToPath(new URL('./import-writer.worker.cjs', import.meta.url));

/** Statements sent to the thread that it has not yet run: the import waits past this many, so the rows it reads stay bounded. */
const maxInFlight = 4;

export interface ImportWriter {
  /** Sends a statement to run in the transaction; resolves once fewer than a few are waiting to run. */
  run(statement: Statement): Promise<void>;
  /** Commits, or throws what failed (the first failed statement, then nothing is committed). */
  commit(): Promise<void>;
  /** Rolls back whatever ran. */
  rollback(): Promise<void>;
}

/**
 * Opens the import's transaction on a thread of its own: BEGIN IMMEDIATE, waiting up to
 * `busyTimeoutMs` for the write lock (the log indexer's and checkpointer's threads hold it briefly).
 * @example const writer = await startImportWriter(store.localPath); await writer.run(s); await writer.commit()
 */
export async function startImportWriter(path: string, busyTimeoutMs = 10_000): Promise<ImportWriter> {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(workerFile, { workerData: { driver, path, busyTimeoutMs, cacheKiB: pageCacheKiB } });
  let next = 0;
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let broken: Error | null = null;
  worker.on('message', (reply: { id: number; ok: boolean; message?: string; code?: string }) => {
    const entry = waiting.get(reply.id)!;
    waiting.delete(reply.id);
    if (reply.ok) entry.resolve();
    else entry.reject(Object.assign(new Error(reply.message), { code: reply.code }));
  });
  worker.on('error', (error) => {
    broken = error;
    for (const entry of waiting.values()) entry.reject(error);
    waiting.clear();
  });
  const send = (message: Record<string, unknown>) => new Promise<void>((resolve, reject) => {
    if (broken) return reject(broken);
    const id = next++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ ...message, id });
  });
  const end = async (type: 'commit' | 'rollback') => {
    try {
      await send({ type });
    } finally {
      await worker.terminate();
    }
  };
  try {
    await send({ type: 'begin' });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const running = new Set<Promise<void>>();
  let failed: unknown = null;
  return {
    async run(statement) {
      // After a failed statement the thread runs no more: the import stops at its next one.
      if (failed) throw failed;
      const ran = send({ type: 'run', text: statement.text, params: statement.params });
      const settled = ran.catch((error) => { failed ??= error; }).finally(() => running.delete(settled));
      running.add(settled);
      if (running.size >= maxInFlight) await Promise.race(running);
    },
    commit: () => end('commit'),
    rollback: () => end('rollback'),
  };
}

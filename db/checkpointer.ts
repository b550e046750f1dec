/**
 * Moves the local database's WAL checkpoints off the event loop. By default SQLite checkpoints
 * inside the COMMIT that crosses 1000 WAL pages: the writer's synchronous driver then copies pages
 * into the database file and fsyncs it while every request waits. The writer's connection turns
 * that off (`wal_autocheckpoint = 0`) and this worker thread, with a connection of its own, runs a
 * PASSIVE checkpoint every `intervalMs`: it copies what no reader still needs, never blocks the
 * writer, and the writer starts the WAL over once everything in it has been copied.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker's source: plain CommonJS evaluated in the thread, so it needs no TypeScript loader. */
const source = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.exec('PRAGMA busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint.get(); } catch {}
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Runs a last checkpoint and stops the thread. */
  stop(): Promise<void>;
}

export function startCheckpointer(path: string, intervalMs = 500): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('libsql');
  const worker = new Worker(source, { eval: true, workerData: { driver, path, intervalMs } });
  // A failed checkpoint is retried at the next tick; the WAL only grows meanwhile.
  worker.on('message', (m: { error?: string }) => {
    if (m.error) console.warn(`wal checkpoint: ${m.error}`);
  });
  // The thread failing (its database removed before it opened, say) only stops checkpoints:
  // the writer's connection then checkpoints when it closes.
  worker.on('error', (error) => console.warn(`wal checkpoint thread stopped: ${error.message}`));
  let exited = false;
  worker.once('exit', () => { exited = true; });
  worker.unref();
  return {
    stop: () => new Promise<void>((resolve) => {
      if (exited) return resolve();
      worker.once('exit', () => resolve());
      // Waited for: the thread must keep the process alive until it has finished.
      worker.ref();
      worker.postMessage('stop');
    }),
  };
}

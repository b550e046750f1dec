/**
 * An import's writing thread on a local database file (started by db/import-writer.ts): one
 * transaction on a connection of its own, its statements run in the order they come, committed or
 * rolled back when told. Plain CommonJS so that it runs in a thread without a TypeScript loader
 * (as db/log-indexer.worker.cjs).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.exec(`PRAGMA busy_timeout = ${workerData.busyTimeoutMs}`);
db.exec('PRAGMA synchronous = NORMAL');
// Checkpoints run on their own thread (db/checkpointer.ts), never inside this thread's commit.
db.exec('PRAGMA wal_autocheckpoint = 0');
db.exec(`PRAGMA cache_size = -${workerData.cacheKiB}`);

/** The first statement that failed: the rest are not run, and the transaction can only roll back. */
let failure = null;

function answer(message) {
  try {
    if (message.type === 'begin') {
      db.exec('BEGIN IMMEDIATE');
    } else if (message.type === 'run') {
      if (failure === null) db.prepare(message.text).run(...message.params);
    } else if (message.type === 'commit') {
      if (failure !== null) throw failure;
      db.exec('COMMIT');
    } else if (message.type === 'rollback') {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
    parentPort.postMessage({ id: message.id, ok: true });
  } catch (error) {
    if (message.type === 'run') failure = error;
    if (message.type === 'commit' && db.inTransaction) db.exec('ROLLBACK');
    parentPort.postMessage({ id: message.id, ok: false, message: String(error && error.message), code: error && error.code });
  }
  if (message.type === 'commit' || message.type === 'rollback') db.close();
}

parentPort.on('message', answer);

/**
 * The log indexer's thread on a local database file (started by db/log-indexer.ts): rounds of
 * db/log-index-round.cjs, off the decision path, a few thousand log rows per transaction. Plain
 * CommonJS so that it runs in a thread without a TypeScript loader (as db/checkpointer.ts).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { roundStatements } = require(workerData.round);

const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.exec(`PRAGMA busy_timeout = ${workerData.busyTimeoutMs}`);
db.exec('PRAGMA synchronous = NORMAL');
// Checkpoints run on their own thread (db/checkpointer.ts), never inside this thread's commits.
db.exec('PRAGMA wal_autocheckpoint = 0');
db.exec('PRAGMA cache_size = -65536');
// A round's rows are staged in temporary tables: in memory, not in files of their own.
db.exec('PRAGMA temp_store = MEMORY');

const statements = roundStatements(workerData.bucketSize, workerData.rowsPerRound);
for (const text of statements.staged.setup) db.exec(text);
const query = db.prepare(statements.query).raw(true);
const compute = statements.staged.compute.map((text) => db.prepare(text));
const writes = statements.staged.writes.map((text) => db.prepare(text));

/** Runs `body` in a transaction begun with `begin`; rolls it back if `body` throws. */
function inTransaction(begin, body) {
  db.exec(begin);
  try {
    const value = body();
    db.exec('COMMIT');
    return value;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/**
 * Indexes the rows after the lowest watermark; returns how many it read and how far it has come. The
 * rows are worked out first, in a read transaction, and only copied in under the write lock: held for
 * the whole round, the lock kept the decision path's writer waiting ~8 % of the time under load
 * (bench/RESULTS.md, session 18). Only this thread moves the watermarks and the log only grows past
 * them, so what was worked out is still what the round covers when the lock is taken.
 */
function round() {
  const staged = inTransaction('BEGIN', () => {
    // What the round covers, in the snapshot its rows are staged from; a round with nothing to do
    // stages nothing and never takes the write lock.
    const [through, rows] = query.get();
    if (rows) for (const statement of compute) statement.run();
    return { rows, through: Number(through) };
  });
  if (staged.rows) inTransaction('BEGIN IMMEDIATE', () => { for (const write of writes) write.run(); });
  return staged;
}

let timer = null;
let stopping = false;
let rounds = 0;
/** The last round found nothing: the thread waits for a wake-up (a decision was made) or quietMs, not idleMs. */
let quiet = false;

/** A round, its progress told; null when it failed (the error told). */
function roundTold() {
  let result;
  try {
    result = round();
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
    return null;
  }
  rounds++;
  quiet = result.rows === 0;
  // A round that read less than a full page indexed everything committed before it began.
  parentPort.postMessage({ indexedThrough: result.through, round: rounds, caughtUp: result.rows < workerData.rowsPerRound, quiet });
  return result;
}

/**
 * After a full round, the next at once (after messages); after one that read rows, the next in idleMs,
 * gathering what arrives meanwhile; after one that read nothing, the next when an enforced decision
 * wakes it (LogIndexer.logAppended) or after quietMs. Polling every idleMs, an idle service woke this
 * thread and its main thread 20 times a second (~15 ms of CPU a second on the benchmarks' machine).
 */
function schedule(result) {
  timer = setTimeout(work, result === null ? workerData.idleMs * 10 : result.rows === workerData.rowsPerRound ? 0 : quiet ? workerData.quietMs : workerData.idleMs);
}

function work() {
  timer = null;
  if (stopping) return;
  schedule(roundTold());
}

/** Decisions were appended: a thread waiting out a quiet spell indexes them now. */
function wake() {
  if (!quiet || timer === null || stopping) return;
  clearTimeout(timer);
  work();
}

/**
 * Someone waits for the indexes (caughtUp): rounds now, until one reads less than a full page, then
 * the answer. The request arrived after what the caller committed, so these rounds see all of it.
 */
function catchUp(id) {
  if (timer) clearTimeout(timer);
  timer = null;
  let result;
  do result = roundTold(); while (result !== null && result.rows === workerData.rowsPerRound);
  parentPort.postMessage({ caughtUpFor: id });
  schedule(result);
}

parentPort.on('message', (m) => {
  if (m && m.catchUp !== undefined && !stopping) return catchUp(m.catchUp);
  if (m === 'wake') return wake();
  if (m === 'stop') {
    stopping = true;
    if (timer) clearTimeout(timer);
    // A last round, so that what was committed before the stop is indexed.
    try { round(); } catch {}
    db.close();
    parentPort.close();
  }
});

work();

/**
 * The log indexer's thread on a local database file (started by db/log-indexer.ts): rounds of
 * db/log-index-round.cjs, off the decision path, a few thousand log rows per transaction. It holds the
 * current bucket's pair rows in memory (it is the only writer of them), so a round reads nothing but
 * the log. Plain CommonJS so that it runs in a thread without a TypeScript loader (as db/checkpointer.ts).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { readRows, rowsOf, writes, watermarks, roundFrom, foldRound, pairRowFrom } = require(workerData.round);

const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.exec(`PRAGMA busy_timeout = ${workerData.busyTimeoutMs}`);
db.exec('PRAGMA synchronous = NORMAL');
// Checkpoints run on their own thread (db/checkpointer.ts), never inside this thread's commits.
db.exec('PRAGMA wal_autocheckpoint = 0');
db.exec('PRAGMA cache_size = -65536');

const { bucketSize } = workerData;
const readWatermarks = db.prepare('select name, seq from log_index').raw(true);
const readPage = db.prepare(readRows).raw(true);
const readBucketPairs = db.prepare('select sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset from conversation_pairs where bucket = ?').raw(true);
const statements = Object.fromEntries(Object.entries(writes).map(([name, text]) => [name, db.prepare(text)]));

/** The pair rows of the bucket being written, by "sender\0recipient"; loaded once when a round enters the bucket. */
let pairBucket = -1;
let bucketPairs = new Map();
function pairRow(bucket, s, r) {
  if (bucket !== pairBucket) {
    pairBucket = bucket;
    bucketPairs = new Map();
    for (const [sender, recipient, ...stored] of readBucketPairs.all(bucket)) bucketPairs.set(sender + '\u0000' + recipient, pairRowFrom(bucket, sender, recipient, stored));
  }
  const key = s + '\u0000' + r;
  let row = bucketPairs.get(key);
  if (!row) bucketPairs.set(key, (row = pairRowFrom(bucket, s, r, null)));
  return row;
}

/** Indexes the rows after the lowest watermark; returns how many it read and how far it has come. */
function round() {
  const marks = watermarks(readWatermarks.all());
  const from = roundFrom(marks);
  const rows = rowsOf(readPage.get(from, workerData.rowsPerRound)[0]);
  if (!rows.length) return { rows: 0, through: from };
  const { through, texts } = foldRound(rows, marks, pairRow, bucketSize, Date.now());
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const [name, text] of Object.entries(texts)) if (text !== null) statements[name].run(text);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    // The bucket's rows held here may be ahead of the database now: read them again next round.
    pairBucket = -1;
    throw error;
  }
  return { rows: rows.length, through };
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

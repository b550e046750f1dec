/**
 * The log indexer's thread (started by db/log-indexer.ts): folds the decision log, in the order it
 * was recorded, into what searches, figures, rebuilds and idempotent retries read — off the decision
 * path, a few thousand rows per transaction, each table's rows sorted before they are written.
 * Plain CommonJS so that it runs in a thread without a TypeScript loader (as db/checkpointer.ts).
 *
 * Per round it reads the rows after the lowest watermark of log_index and writes, in one transaction
 * with the new watermarks:
 * - accounts:    decision_log_accounts (bucket, account, at, seq, role) for the sender and every recipient;
 * - pairs:       conversation_pairs, folding delivered direct messages (db/schema.ts says what it holds);
 * Both are kept in buckets of recorded order (seq ÷ bucketSize, 65 536 unless a test sets fewer): the rows written go to the current
 * bucket's pages, which stay in cache, and the pair rows of the current bucket are held here, so a
 * round reads nothing but the log.
 * - groups:      conversations and participants of delivered group_create and group_invite;
 * - minutes:     decision_minutes tallies;
 * - shadows:     shadow_decisions from each row's shadow arms;
 * - idempotency: idempotent_responses for rows that carried a key.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);

const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.exec(`PRAGMA busy_timeout = ${workerData.busyTimeoutMs}`);
db.exec('PRAGMA synchronous = NORMAL');
// Checkpoints run on their own thread (db/checkpointer.ts), never inside this thread's commits.
db.exec('PRAGMA wal_autocheckpoint = 0');
db.exec('PRAGMA cache_size = -65536');

const names = ['accounts', 'pairs', 'groups', 'minutes', 'shadows', 'idempotency'];
const minuteMs = 60000;
const { bucketSize } = workerData;
const bucketOf = (seq) => Math.floor(seq / bucketSize);

const readWatermarks = db.prepare('select name, seq from log_index');
const readRows = db.prepare(`select seq, id, at, sender_id, recipient_ids, kind, decision, reason, rule, version, arm, conversation_id,
  idempotency_key, request_hash, response, shadows from decision_log where seq > ? order by seq limit ?`).raw(true);
const readBucketPairs = db.prepare('select sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset from conversation_pairs where bucket = ?').raw(true);
const writeAccount = db.prepare('insert or ignore into decision_log_accounts (bucket, account_id, at, seq, role) values (?, ?, ?, ?, ?)');
const writePair = db.prepare(`insert into conversation_pairs (bucket, sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset) values (?, ?, ?, ?, ?, ?, ?)
  on conflict (bucket, sender_id, recipient_id) do update set last_sent_at = excluded.last_sent_at, last_sent_seq = excluded.last_sent_seq,
  added = excluded.added, reset = excluded.reset`);
const writeGroup = db.prepare("insert into conversations (id, kind, creator_id, created_at) values (?, 'group', ?, ?) on conflict do nothing");
const writeParticipant = db.prepare('insert into participants (conversation_id, account_id, joined_at) values (?, ?, ?) on conflict do nothing');
const writeMinute = db.prepare(`insert into decision_minutes (minute, version, arm, outcome, reason, count) values (?, ?, ?, ?, ?, ?)
  on conflict (minute, version, arm, outcome, reason) do update set count = count + excluded.count`);
const writeShadow = db.prepare(`insert or ignore into shadow_decisions (decision_id, experiment_id, arm, version, at, decision, reason, rule, enforced_decision, enforced_reason)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
const writeAnswer = db.prepare('insert or ignore into idempotent_responses (key, sender_id, request_hash, response, created_at) values (?, ?, ?, ?, ?)');
const writeWatermark = db.prepare('insert into log_index (name, seq, updated_at) values (?, ?, ?) on conflict (name) do update set seq = excluded.seq, updated_at = excluded.updated_at');

/** The pair rows of the bucket being written, by "sender\0recipient"; loaded once when the indexer starts in it. */
let pairBucket = -1;
let bucketPairs = new Map();
function pairRow(bucket, s, r) {
  if (bucket !== pairBucket) {
    pairBucket = bucket;
    bucketPairs = new Map();
    for (const [sender, recipient, at, seq, added, reset] of readBucketPairs.all(bucket)) {
      bucketPairs.set(sender + '\u0000' + recipient, { b: bucket, s: sender, r: recipient, at, seq, added: Number(added), reset: Number(reset) });
    }
  }
  const key = s + '\u0000' + r;
  let row = bucketPairs.get(key);
  if (!row) bucketPairs.set(key, (row = { b: bucket, s, r, at: null, seq: null, added: 0, reset: 0 }));
  return row;
}

const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a, b) => compare(a[0], b[0]) || compare(a[1], b[1]) || compare(a[2], b[2]);

/** Reads the rows after the lowest watermark and writes what each watermark has not seen yet; returns the rows read. */
function round() {
  const marks = new Map(names.map((n) => [n, 0]));
  for (const { name, seq } of readWatermarks.all()) marks.set(name, Number(seq));
  const from = Math.min(...marks.values());
  const rows = readRows.all(from, workerData.rowsPerRound);
  if (!rows.length) return { rows: 0, through: from };
  const through = Number(rows[rows.length - 1][0]);
  const after = (name, seq) => seq > marks.get(name);

  const accounts = [];
  const pairs = new Set();
  const groups = [];
  const participants = [];
  const minutes = new Map();
  const shadows = [];
  const answers = [];
  for (const row of rows) {
    const [seqValue, id, atValue, sender, recipientJson, kind, decision, reason, rule, version, arm, conversationId, key, hash, response, shadowJson] = row;
    const seq = Number(seqValue);
    const at = Number(atValue);
    const recipients = JSON.parse(recipientJson);
    const admitted = decision === 'allow' || decision === 'request';
    const bucket = bucketOf(seq);
    if (after('accounts', seq)) {
      accounts.push([bucket, sender, at, seq, 'sender']);
      for (const r of recipients) accounts.push([bucket, r, at, seq, 'recipient']);
    }
    if (after('pairs', seq) && admitted && kind === 'direct') {
      const out = pairRow(bucket, sender, recipients[0]);
      out.at = at;
      out.seq = seq;
      out.added += 1;
      pairs.add(out);
      // A message from the recipient: the sender's messages since then start again from none.
      const back = pairRow(bucket, recipients[0], sender);
      back.added = 0;
      back.reset = 1;
      pairs.add(back);
    }
    if (after('groups', seq) && admitted && conversationId !== null) {
      if (kind === 'group_create') {
        groups.push([conversationId, sender, at]);
        participants.push([conversationId, sender, at]);
      }
      if (kind === 'group_create' || kind === 'group_invite') for (const r of recipients) participants.push([conversationId, r, at]);
    }
    if (after('minutes', seq)) {
      const minute = Math.floor(at / minuteMs) * minuteMs;
      const tallyKey = [minute, version, arm ?? '', decision, reason ?? ''].join('\u0000');
      const tally = minutes.get(tallyKey);
      if (tally) tally[5]++;
      else minutes.set(tallyKey, [minute, version, arm ?? '', decision, reason ?? '', 1]);
    }
    if (after('shadows', seq) && shadowJson !== null) {
      for (const s of JSON.parse(shadowJson)) shadows.push([id, s.experimentId, s.arm, s.version, at, s.decision, s.reason, s.rule, decision, reason]);
    }
    if (after('idempotency', seq) && key !== null) answers.push([key, sender, hash, response, at]);
  }

  const now = Date.now();
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const a of accounts.sort((x, y) => byKey(x, y) || compare(x[3], y[3]) || compare(x[4], y[4]))) writeAccount.run(...a);
    const changed = [...pairs].sort((x, y) => compare(x.b, y.b) || compare(x.s, y.s) || compare(x.r, y.r));
    for (const p of changed) writePair.run(p.b, p.s, p.r, p.at, p.seq, p.added, p.reset);
    for (const g of groups) writeGroup.run(...g);
    for (const p of participants.sort(byKey)) writeParticipant.run(...p);
    for (const m of [...minutes.values()].sort(byKey)) writeMinute.run(...m);
    for (const s of shadows) writeShadow.run(...s);
    for (const a of answers.sort(byKey)) writeAnswer.run(...a);
    for (const name of names) writeWatermark.run(name, Math.max(marks.get(name), through), now);
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

function work() {
  timer = null;
  if (stopping) return;
  let result;
  try {
    result = round();
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
    timer = setTimeout(work, workerData.idleMs * 10);
    return;
  }
  rounds++;
  // A round that read less than a full page indexed everything committed before it began.
  parentPort.postMessage({ indexedThrough: result.through, round: rounds, caughtUp: result.rows < workerData.rowsPerRound });
  // A full round means more is waiting: go on at once (after messages), else wait for new rows.
  timer = setTimeout(work, result.rows === workerData.rowsPerRound ? 0 : workerData.idleMs);
}

parentPort.on('message', (m) => {
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

/**
 * One round of the log indexer, shared by its thread on a local file (db/log-indexer.worker.cjs) and
 * by the instances on a libSQL server (db/shared-log-indexer.ts): which log rows it reads, what it
 * makes of them, and the statements that write it. Plain CommonJS, so that a thread without a
 * TypeScript loader can require it.
 *
 * Seven things are built, each up to a watermark in log_index (a round writes what each has not seen):
 * - accounts:    decision_log_accounts (bucket, account, at, seq, role) for the sender and every recipient;
 * - group_messages: decision_log_groups (bucket, conversation, at, seq) for each message delivered to a group;
 * - pairs:       conversation_pairs, folding delivered direct messages per bucket (db/schema.ts says how);
 * - groups:      conversations and participants of delivered group_create and group_invite;
 * - minutes:     decision_minutes tallies;
 * - shadows:     shadow_decisions from each row's shadow arms;
 * - idempotency: idempotent_responses for rows that carried a key.
 * Account, group-message and pair rows are kept in buckets of recorded order (seq ÷ bucket size), so that the
 * rows a round writes land in the current bucket's pages.
 */
'use strict';

const names = ['accounts', 'group_messages', 'pairs', 'groups', 'minutes', 'shadows', 'idempotency'];
const minuteMs = 60000;

/** The log's columns a round reads, in this order. */
const readColumns = 'seq, id, at, sender_id, recipient_ids, kind, decision, reason, rule, version, arm, conversation_id, idempotency_key, request_hash, response, shadows';

/**
 * A round's rows after seq `after` (at most `limit`), as one JSON text of arrays (readColumns, in
 * order) that rowsOf parses: stepping the driver's row iterator, a native call a row, cost more than the fold.
 */
const readRowsAfter = (after, limit) => `select json_group_array(json_array(${readColumns})) from (
  select ${readColumns} from decision_log where seq > ${after} order by seq limit ${limit})`;
const readRows = readRowsAfter('?1', '?2');

/**
 * The same rows after the lowest watermark (roundFrom's, in SQL: 0 while any is missing), for a
 * reader that sends it with the watermarks' query in one round trip; ?1 is the limit.
 */
const readRowsAfterWatermarks = readRowsAfter(`(select case when count(*) < ${names.length} then 0 else min(seq) end
  from log_index where name in (${names.map((n) => `'${n}'`).join(', ')}))`, '?1');

/** The rows of readRows's text; its order is the subquery's, which its LIMIT keeps. */
const rowsOf = (text) => JSON.parse(String(text));

/** Each table's rows travel as one JSON text of arrays read by json_each: one statement per table and round. */
const writes = {
  accounts: `insert or ignore into decision_log_accounts (bucket, account_id, at, seq, role)
    select value->>0, value->>1, value->>2, value->>3, value->>4 from json_each(?1)`,
  groupMessages: `insert or ignore into decision_log_groups (bucket, conversation_id, at, seq)
    select value->>0, value->>1, value->>2, value->>3 from json_each(?1)`,
  pairs: `insert into conversation_pairs (bucket, sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset)
    select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 from json_each(?1) where true
    on conflict (bucket, sender_id, recipient_id) do update set last_sent_at = excluded.last_sent_at, last_sent_seq = excluded.last_sent_seq,
    added = excluded.added, reset = excluded.reset`,
  groups: `insert into conversations (id, kind, creator_id, created_at) select value->>0, 'group', value->>1, value->>2 from json_each(?1) where true
    on conflict do nothing`,
  participants: `insert into participants (conversation_id, account_id, joined_at) select value->>0, value->>1, value->>2 from json_each(?1) where true
    on conflict do nothing`,
  minutes: `insert into decision_minutes (minute, version, arm, outcome, reason, count)
    select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 from json_each(?1) where true
    on conflict (minute, version, arm, outcome, reason) do update set count = count + excluded.count`,
  shadows: `insert or ignore into shadow_decisions (decision_id, experiment_id, arm, version, at, decision, reason, rule, enforced_decision, enforced_reason)
    select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9 from json_each(?1)`,
  answers: `insert or ignore into idempotent_responses (key, sender_id, request_hash, response, created_at)
    select value->>0, value->>1, value->>2, value->>3, value->>4 from json_each(?1)`,
  watermarks: `insert into log_index (name, seq, updated_at) select value->>0, value->>1, value->>2 from json_each(?1) where true
    on conflict (name) do update set seq = excluded.seq, updated_at = excluded.updated_at`,
};

const compare = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const byKey = (a, b) => compare(a[0], b[0]) || compare(a[1], b[1]) || compare(a[2], b[2]) || compare(a[3], b[3]) || compare(a[4], b[4]);

/** The watermarks as a Map (every name, 0 where none is stored), from [name, seq] rows. */
function watermarks(rows) {
  const marks = new Map(names.map((n) => [n, 0]));
  for (const [name, seq] of rows) if (marks.has(name)) marks.set(name, Number(seq));
  return marks;
}

/** Where a round starts: after the lowest watermark. */
const roundFrom = (marks) => Math.min(...marks.values());

/** The pairs a round's delivered direct messages touch, as [bucket, sender, recipient]: a reader without a cache reads them first. */
function touchedPairs(rows, marks, bucketSize) {
  const touched = [];
  for (const row of rows) {
    const seq = Number(row[0]);
    if (seq <= marks.get('pairs') || row[5] !== 'direct' || (row[6] !== 'allow' && row[6] !== 'request')) continue;
    const [recipient] = JSON.parse(row[4]);
    const bucket = Math.floor(seq / bucketSize);
    touched.push([bucket, row[3], recipient], [bucket, recipient, row[3]]);
  }
  return touched;
}

/**
 * What a round makes of `rows` (readColumns, in order): each table's rows, sorted, as the JSON texts
 * `writes` takes (absent when there is nothing to write), and the new watermarks. `pairRow(bucket,
 * sender, recipient)` gives the pair's row of that bucket as stored, or a fresh one; it is changed
 * in place.
 */
function foldRound(rows, marks, pairRow, bucketSize, now) {
  const through = Number(rows[rows.length - 1][0]);
  const after = (name, seq) => seq > marks.get(name);
  const accounts = [];
  const groupMessages = [];
  const pairs = new Set();
  const groups = [];
  const participants = [];
  const minutes = new Map();
  const shadows = [];
  const answers = [];
  for (const row of rows) {
    const [seqValue, id, atValue, sender, recipientJson, kind, decision, reason, , version, arm, conversationId, key, hash, response, shadowJson] = row;
    const seq = Number(seqValue);
    const at = Number(atValue);
    const recipients = JSON.parse(recipientJson);
    const admitted = decision === 'allow' || decision === 'request';
    const bucket = Math.floor(seq / bucketSize);
    if (after('accounts', seq)) {
      accounts.push([bucket, sender, at, seq, 'sender']);
      for (const r of recipients) accounts.push([bucket, r, at, seq, 'recipient']);
    }
    if (after('group_messages', seq) && admitted && (kind === 'group_create' || kind === 'group_message') && conversationId !== null) {
      groupMessages.push([bucket, conversationId, at, seq]);
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
  const json = (list) => (list.length ? JSON.stringify(list) : null);
  return {
    through,
    texts: {
      accounts: json(accounts.sort(byKey)),
      groupMessages: json(groupMessages.sort(byKey)),
      pairs: json([...pairs].map((p) => [p.b, p.s, p.r, p.at, p.seq, p.added, p.reset]).sort(byKey)),
      groups: json(groups),
      participants: json(participants.sort(byKey)),
      minutes: json([...minutes.values()].sort(byKey)),
      shadows: json(shadows),
      answers: json(answers.sort(byKey)),
      watermarks: JSON.stringify(names.map((name) => [name, Math.max(marks.get(name), through), now])),
    },
  };
}

/** A pair row as a round changes it: `b`ucket, `s`ender, `r`ecipient and the stored fields. */
function pairRowFrom(b, s, r, stored) {
  return stored
    ? { b, s, r, at: stored[0], seq: stored[1], added: Number(stored[2]), reset: Number(stored[3]) }
    : { b, s, r, at: null, seq: null, added: 0, reset: 0 };
}

module.exports = { names, readRows, readRowsAfterWatermarks, rowsOf, writes, watermarks, roundFrom, touchedPairs, foldRound, pairRowFrom };

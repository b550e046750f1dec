/**
 * One round of the log indexer, shared by its thread on a local file (db/log-indexer.worker.cjs) and
 * by the instances on a libSQL server (db/shared-log-indexer.ts): SQL statements alone, so that a
 * round's log rows never leave SQLite. Plain CommonJS, so that a thread without a TypeScript loader
 * can require it.
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
 * rows a round writes land in the current bucket's pages; each statement writes its rows in key order.
 *
 * A round covers the log rows after the lowest watermark, at most `rowsPerRound` of them, up to
 * `through`. Every statement works that out from log_index itself, and the last one moves the
 * watermarks, so a round is the same statements on a local file and on a server (there, the query
 * in one round trip and the writes, when it found rows, in one more).
 * Reading the rows into JavaScript, folding them there and writing them back as JSON cost the local
 * thread ~33–44 µs of CPU a log row, these statements ~16–22 (bench/RESULTS.md, session 17).
 */
'use strict';

const names = ['accounts', 'group_messages', 'pairs', 'groups', 'minutes', 'shadows', 'idempotency'];

/** A whole number for the statements' text, or an error: they are built from options, never from requests. */
function integer(value, what) {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`the log indexer's ${what} must be a positive integer, not ${value}`);
  return value;
}

/**
 * A round's statements for `bucketSize` and `rowsPerRound`. `query` answers [through, rows]: how far
 * the indexes will have come after the round (the last log row it covers, or where they stand when it
 * covers none) and how many log rows it covers. `writes` then build each table and move the
 * watermarks; they write nothing when the round covers no rows.
 */
function roundStatements(bucketSize, rowsPerRound) {
  const size = integer(bucketSize, 'bucket size');
  const limit = integer(rowsPerRound, 'rows per round');
  const mark = (name) => `coalesce((select seq from log_index where name = '${name}'), 0)`;
  // While any watermark is missing, from the start.
  const lowest = `(select case when count(*) < ${names.length} then 0 else min(seq) end from log_index where name in (${names.map((n) => `'${n}'`).join(', ')}))`;
  const covered = `select seq from decision_log where seq > ${lowest} order by seq limit ${limit}`;
  const through = `(select coalesce(max(seq), 0) from (${covered}))`;
  /** The log rows after `name`'s watermark in this round (`l.`: the log's alias in a join). */
  const range = (name, alias = '') => `${alias}seq > ${mark(name)} and ${alias}seq <= ${through}`;
  const admitted = (alias = '') => `${alias}decision in ('allow', 'request')`;
  const bucket = (alias = '') => `${alias}seq / ${size}`;
  // SQLite's clock, in ms: the statements carry no parameters (nothing reads updated_at but people).
  const nowMs = `cast((julianday('now') - 2440587.5) * 86400000 as integer)`;

  const writes = [
    `insert or ignore into decision_log_accounts (bucket, account_id, at, seq, role)
      select * from (
        select ${bucket()}, sender_id, at, seq, 'sender' from decision_log where ${range('accounts')}
        union all
        select ${bucket('l.')}, j.value, l.at, l.seq, 'recipient' from decision_log l, json_each(l.recipient_ids) j where ${range('accounts', 'l.')}
      ) order by 1, 2, 3, 4, 5`,
    `insert or ignore into decision_log_groups (bucket, conversation_id, at, seq)
      select ${bucket()}, conversation_id, at, seq from decision_log
      where ${range('group_messages')} and ${admitted()} and kind in ('group_create', 'group_message') and conversation_id is not null
      order by 1, 2, 3, 4`,
    // Each delivered direct message X → Y, in recorded order within its bucket: the pair (X, Y) takes
    // its time and place and counts one more; the pair (Y, X) starts again from none (reset). So for
    // each pair a round touches, either way: its last message (`last`), the last one back (`back`),
    // and how many it sent after that one (`since`); the stored row adds them, or is reset by them.
    `with m as materialized (
        select seq, ${bucket()} as b, sender_id as s, recipient_ids->>0 as r, at from decision_log
        where ${range('pairs')} and kind = 'direct' and ${admitted()}),
      last as materialized (select b, s, r, max(seq) as seq, at, count(*) as n from m group by b, s, r),
      since as materialized (select m.b, m.s, m.r, count(*) as n from m join last back on (back.b, back.s, back.r) = (m.b, m.r, m.s)
        where m.seq > back.seq group by m.b, m.s, m.r),
      touched as (select b, s, r from last union select b, r, s from last)
      insert into conversation_pairs (bucket, sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset)
      select t.b, t.s, t.r, out.at, out.seq, case when back.seq is null then out.n else coalesce(since.n, 0) end, back.seq is not null
      from touched t
        left join last out on (out.b, out.s, out.r) = (t.b, t.s, t.r)
        left join last back on (back.b, back.s, back.r) = (t.b, t.r, t.s)
        left join since on (since.b, since.s, since.r) = (t.b, t.s, t.r)
      where true order by t.b, t.s, t.r
      on conflict (bucket, sender_id, recipient_id) do update set
        last_sent_at = coalesce(excluded.last_sent_at, last_sent_at), last_sent_seq = coalesce(excluded.last_sent_seq, last_sent_seq),
        added = case when excluded.reset then excluded.added else added + excluded.added end,
        reset = excluded.reset or reset`,
    `insert into conversations (id, kind, creator_id, created_at)
      select conversation_id, 'group', sender_id, at from decision_log
      where ${range('groups')} and ${admitted()} and kind = 'group_create' and conversation_id is not null order by seq
      on conflict do nothing`,
    // The earliest join wins: a participant already stored keeps its time.
    `insert into participants (conversation_id, account_id, joined_at)
      select * from (
        select conversation_id, sender_id, at from decision_log
        where ${range('groups')} and ${admitted()} and kind = 'group_create' and conversation_id is not null
        union all
        select l.conversation_id, j.value, l.at from decision_log l, json_each(l.recipient_ids) j
        where ${range('groups', 'l.')} and ${admitted('l.')} and l.kind in ('group_create', 'group_invite') and l.conversation_id is not null
      ) order by 1, 2, 3
      on conflict do nothing`,
    `insert into decision_minutes (minute, version, arm, outcome, reason, count)
      select at / 60000 * 60000, version, coalesce(arm, ''), decision, coalesce(reason, ''), count(*) from decision_log
      where ${range('minutes')} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
      on conflict (minute, version, arm, outcome, reason) do update set count = count + excluded.count`,
    `insert or ignore into shadow_decisions (decision_id, experiment_id, arm, version, at, decision, reason, rule, enforced_decision, enforced_reason)
      select l.id, s.value->>'experimentId', s.value->>'arm', s.value->>'version', l.at, s.value->>'decision', s.value->>'reason',
        s.value->>'rule', l.decision, l.reason
      from decision_log l, json_each(l.shadows) s where ${range('shadows', 'l.')} and l.shadows is not null`,
    `insert or ignore into idempotent_responses (key, sender_id, request_hash, response, created_at)
      select idempotency_key, sender_id, request_hash, response, at from decision_log
      where ${range('idempotency')} and idempotency_key is not null order by 1, 2, 3, 4, 5`,
    // Last, so that every statement above saw the watermarks the round began with; a round that
    // covers no row writes nothing at all (an idle instance on a server runs one a second).
    `insert into log_index (name, seq, updated_at)
      select n.column1, max(coalesce(i.seq, 0), ${through}), ${nowMs} from (values ${names.map((n) => `('${n}')`).join(', ')}) n
        left join log_index i on i.name = n.column1
      where ${through} > 0
      on conflict (name) do update set seq = excluded.seq, updated_at = excluded.updated_at`,
  ];
  return { query: `select max(${lowest}, ${through}), (select count(*) from (${covered}))`, writes };
}

/** How far every index has come, from [name, seq] rows of log_index: the lowest watermark (0 while any is missing). */
function indexedThrough(rows) {
  const marks = new Map(rows.map(([name, seq]) => [name, Number(seq)]));
  return names.every((name) => marks.has(name)) ? Math.min(...names.map((name) => marks.get(name))) : 0;
}

module.exports = { roundStatements, indexedThrough };

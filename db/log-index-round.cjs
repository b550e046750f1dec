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
 * - idempotency: idempotency_keys for rows that carried a key (and the days past their window dropped).
 * Account, group-message and pair rows are kept in buckets of recorded order (seq ÷ bucket size), so that the
 * rows a round writes land in the current bucket's pages; each statement writes its rows in key order.
 *
 * A round covers the log rows after the lowest watermark, at most `rowsPerRound` of them, up to
 * `through`. Every statement works that out from log_index itself, and the last one moves the
 * watermarks, so a round is the same SQL on a local file and on a server: on a server the query in
 * one round trip and the writes, when it found rows, in one more; on a local file staged, its rows
 * worked out in a read transaction and copied in under the write lock (`staged`).
 * Reading the rows into JavaScript, folding them there and writing them back as JSON cost the local
 * thread ~33–44 µs of CPU a log row, these statements ~16–22 (bench/RESULTS.md, session 17).
 */
'use strict';

/** A day in ms: idempotent answers are kept by the UTC day they were given (db/schema.ts). */
const dayMs = 86400000;

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
 * watermarks; they write nothing when the round covers no rows. `staged` is the same round in two
 * transactions (`setup` once on the connection, `compute` in a read transaction, then `writes`).
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

  // Each index: the table it fills and its columns, its rows from the round's log rows (a SELECT,
  // perhaps after WITH), the order they are written in (key order) and what a row already stored does.
  const indexes = [
    {
      name: 'accounts', into: 'insert or ignore into decision_log_accounts', columns: 'bucket, account_id, at, seq, role', order: '1, 2, 3, 4, 5',
      rows: `select ${bucket()}, sender_id, at, seq, 'sender' from decision_log where ${range('accounts')}
        union all
        select ${bucket('l.')}, j.value, l.at, l.seq, 'recipient' from decision_log l, json_each(l.recipient_ids) j where ${range('accounts', 'l.')}`,
    },
    {
      name: 'group_messages', into: 'insert or ignore into decision_log_groups', columns: 'bucket, conversation_id, at, seq', order: '1, 2, 3, 4',
      rows: `select ${bucket()}, conversation_id, at, seq from decision_log
        where ${range('group_messages')} and ${admitted()} and kind in ('group_create', 'group_message') and conversation_id is not null`,
    },
    // Each delivered direct message X → Y, in recorded order within its bucket: the pair (X, Y) takes
    // its time and place and counts one more; the pair (Y, X) starts again from none (reset). So for
    // each pair that sent in the round (`out`): its last message and how many it sent, unless the pair
    // the other way (`back`) sent too — then only those after back's last, counted only when out's
    // last came after it (both ways in one round: rare). A pair that only received in the round gets a
    // row of its own (`flip`) that resets it. The stored row adds them, or is reset by them. One
    // grouping and one join: the form with a join per side cost ~7 µs a log row, this ~4.3
    // (bench/RESULTS.md, session 19).
    {
      name: 'pairs', into: 'insert into conversation_pairs', columns: 'bucket, sender_id, recipient_id, last_sent_at, last_sent_seq, added, reset', order: '1, 2, 3',
      rows: `with m as materialized (
          select seq, ${bucket()} as b, sender_id as s, recipient_ids->>0 as r, at from decision_log
          where ${range('pairs')} and kind = 'direct' and ${admitted()}),
        sent as materialized (select b, s, r, max(seq) as seq, at, count(*) as n from m group by b, s, r)
        select out.b, iif(flip, out.r, out.s), iif(flip, out.s, out.r), iif(flip, null, out.at), iif(flip, null, out.seq),
          case when flip then 0 when back.seq is null then out.n when out.seq < back.seq then 0
            else (select count(*) from m where m.b = out.b and m.s = out.s and m.r = out.r and m.seq > back.seq) end,
          flip or back.seq is not null
        from sent out
          left join sent back on back.b = out.b and back.s = out.r and back.r = out.s
          join (select 0 as flip union all select 1) on not flip or back.seq is null`,
      stored: `on conflict (bucket, sender_id, recipient_id) do update set
        last_sent_at = coalesce(excluded.last_sent_at, last_sent_at), last_sent_seq = coalesce(excluded.last_sent_seq, last_sent_seq),
        added = case when excluded.reset then excluded.added else added + excluded.added end,
        reset = excluded.reset or reset`,
    },
    {
      name: 'conversations', into: 'insert into conversations', columns: 'id, kind, creator_id, created_at', order: '1', stored: 'on conflict do nothing',
      rows: `select conversation_id, 'group', sender_id, at from decision_log
        where ${range('groups')} and ${admitted()} and kind = 'group_create' and conversation_id is not null`,
    },
    // The earliest join wins: a participant already stored keeps its time.
    {
      name: 'participants', into: 'insert into participants', columns: 'conversation_id, account_id, joined_at', order: '1, 2, 3', stored: 'on conflict do nothing',
      rows: `select conversation_id, sender_id, at from decision_log
        where ${range('groups')} and ${admitted()} and kind = 'group_create' and conversation_id is not null
        union all
        select l.conversation_id, j.value, l.at from decision_log l, json_each(l.recipient_ids) j
        where ${range('groups', 'l.')} and ${admitted('l.')} and l.kind in ('group_create', 'group_invite') and l.conversation_id is not null`,
    },
    {
      name: 'minutes', into: 'insert into decision_minutes', columns: 'minute, version, arm, outcome, reason, count', order: '1, 2, 3, 4, 5',
      rows: `select at / 60000 * 60000, version, coalesce(arm, ''), decision, coalesce(reason, ''), count(*) from decision_log
        where ${range('minutes')} group by 1, 2, 3, 4, 5`,
      stored: 'on conflict (minute, version, arm, outcome, reason) do update set count = count + excluded.count',
    },
    {
      name: 'shadows', into: 'insert or ignore into shadow_decisions', columns: 'decision_id, experiment_id, arm, version, at, decision, reason, rule, enforced_decision, enforced_reason', order: null,
      rows: `select l.id, s.value->>'experimentId', s.value->>'arm', s.value->>'version', l.at, s.value->>'decision', s.value->>'reason',
          s.value->>'rule', l.decision, l.reason
        from decision_log l, json_each(l.shadows) s where ${range('shadows', 'l.')} and l.shadows is not null`,
    },
    // Where each key's first answer is: its log row. A key stored for the day already points at a row
    // the log no longer has (pruning keeps the last day, so only on a clock set back): its retry was a
    // new send, and the key now points at that one.
    {
      name: 'idempotency', into: 'insert into idempotency_keys', columns: 'day, sender_id, key, created_at, seq', order: '1, 2, 3, 5',
      rows: `select at / ${dayMs}, sender_id, idempotency_key, at, seq from decision_log
        where ${range('idempotency')} and idempotency_key is not null`,
      stored: 'on conflict (day, sender_id, key) do update set created_at = excluded.created_at, seq = excluded.seq',
    },
  ];
  // Keys are answered for a day (server/decisions/idempotency.ts): the days before yesterday, by the
  // log's latest time, go whole — a seek on each table's key, and nothing to delete most rounds.
  const expired = `delete from idempotency_keys where day < (select max(at) from decision_log) / ${dayMs} - 1`;
  /** `index`'s rows from `source` (its SELECT, or where they were staged), written into its table in key order. */
  const write = (index, source) =>
    `${index.into} (${index.columns}) select * from (${source}) where true${index.order ? ` order by ${index.order}` : ''} ${index.stored ?? ''}`;
  // Last, so that every statement above saw the watermarks the round began with; a round that
  // covers no row writes nothing at all (an idle instance on a server runs one a second).
  const watermarks = (upTo) => `insert into log_index (name, seq, updated_at)
      select n.column1, max(coalesce(i.seq, 0), ${upTo}), ${nowMs} from (values ${names.map((n) => `('${n}')`).join(', ')}) n
        left join log_index i on i.name = n.column1
      where ${upTo} > 0
      on conflict (name) do update set seq = excluded.seq, updated_at = excluded.updated_at`;
  const writes = [...indexes.map((index) => write(index, index.rows)), expired, watermarks(through)];
  // The same round staged, as the thread on a local file runs it: `compute` works the rows out into
  // temporary tables (and fixes how far the round goes) in a read transaction, which holds no one up;
  // `writes` then copy them in under the write lock, which the decision path's writer waits for.
  // Working the rows out is 55–70 % of a round's CPU (bench/RESULTS.md, session 18).
  const staged = {
    setup: ['create temp table if not exists round_through (seq)', ...indexes.map((index) => `create temp table if not exists round_${index.name} (${index.columns})`)],
    compute: [
      'delete from temp.round_through', `insert into temp.round_through select ${through}`,
      ...indexes.flatMap((index) => [`delete from temp.round_${index.name}`, `insert into temp.round_${index.name} ${index.rows}`]),
    ],
    writes: [...indexes.map((index) => write(index, `select * from temp.round_${index.name}`)), expired, watermarks('(select seq from temp.round_through)')],
  };
  return { query: `select max(${lowest}, ${through}), (select count(*) from (${covered}))`, writes, staged };
}

/** How far every index has come, from [name, seq] rows of log_index: the lowest watermark (0 while any is missing). */
function indexedThrough(rows) {
  const marks = new Map(rows.map(([name, seq]) => [name, Number(seq)]));
  return names.every((name) => marks.has(name)) ? Math.min(...names.map((name) => marks.get(name))) : 0;
}

module.exports = { roundStatements, indexedThrough };

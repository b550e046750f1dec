// The log indexer's round staged (db/log-index-round.cjs `staged`: the rows worked out into temporary
// tables in a read transaction, then copied in under the write lock, as the thread on a local file
// runs it) builds the same tables as the round in one go (`writes`, as instances on a server run it),
// and a log row appended between the two transactions is left to the next round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { openStore, type Store } from '../../db/client.ts';
import { runStatements } from '../../db/statements.ts';

const require = createRequire(import.meta.url);
const Database = require('libsql');
const { roundStatements } = require('../../db/log-index-round.cjs') as {
  roundStatements(bucketSize: number, rowsPerRound: number): {
    query: string; writes: string[]; staged: { setup: string[]; compute: string[]; writes: string[] };
  };
};
type Native = { exec(sql: string): void; prepare(sql: string): { run(params?: unknown[]): void; raw(on: boolean): { get(): unknown[]; all(): unknown[][] } }; close(): void };

const tables = ['decision_log_accounts', 'decision_log_groups', 'conversation_pairs', 'conversations', 'participants', 'decision_minutes', 'shadow_decisions', 'idempotency_keys', 'log_index'];
const contents = (db: Native) => Object.fromEntries(tables.map((table) => [table, db.prepare(
  // updated_at is the clock's, not the round's
  `select * from ${table} order by 1, 2, 3`).raw(true).all().map((row) => (table === 'log_index' ? row.slice(0, 2) : row))]));

/** A seeded stream of numbers in [0, 1), so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return state / 2 ** 32;
  };
}

/** `n` log rows of every kind the indexer reads: direct messages both ways, groups, shadows, idempotency keys. */
function logRows(n: number, seed: number) {
  const next = random(seed);
  const pick = <T,>(values: T[]) => values[Math.floor(next() * values.length)];
  const accounts = ['a', 'b', 'c', 'd', 'e', 'f'];
  const groups: string[] = [];
  return Array.from({ length: n }, (_, i) => {
    const seq = i + 1;
    const sender = pick(accounts);
    const kind = groups.length && next() < 0.2 ? pick(['group_message', 'group_invite']) : next() < 0.1 ? 'group_create' : 'direct';
    const decision = pick(['allow', 'allow', 'request', 'deny']);
    const recipients = kind === 'direct' ? [pick(accounts.filter((a) => a !== sender))] : accounts.filter(() => next() < 0.4);
    const conversation = kind === 'group_create' ? `g${seq}` : kind === 'direct' ? null : pick(groups);
    if (kind === 'group_create' && decision !== 'deny') groups.push(conversation!);
    const shadows = next() < 0.2 ? JSON.stringify([{ experimentId: 'e1', arm: 'b', version: 'v2', decision: pick(['allow', 'deny']), reason: 'r', rule: 'x' }]) : null;
    const key = next() < 0.15 ? `k${seq}` : null;
    return {
      text: `insert into decision_log (seq, id, at, sender_id, recipient_ids, kind, channel, conversation_id, decision, reason, policy, version, arm,
        fingerprints, text_length, request, facts, shadows, idempotency_key, request_hash, response)
        values (?1, ?2, ?3, ?4, ?5, ?6, 'web', ?7, ?8, ?9, 'dm', 'x-2023', ?10, '[]', 0, '{}', '{}', ?11, ?12, ?13, ?14)`,
      params: [seq, `id${seq}`, 1_800_000_000_000 + seq * 7_919, sender, JSON.stringify(recipients), kind, conversation, decision,
        decision === 'deny' ? 'blocked' : null, next() < 0.3 ? 'b' : null, shadows, key, key && `h${seq}`, key && `{"n":${seq}}`],
    };
  });
}

describe('the log indexer round, staged and in one go', () => {
  let dir: string;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dm-policy-staged-'));
    // The store's own indexer thread stays quiet: nothing wakes it, and the tests index copies.
    store = await openStore({ url: `file:${join(dir, 'log.db')}`, indexer: { bucketSize: 64, quietMs: 600_000 } });
    await store.indexer.caughtUp();
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the log as it stands, opened natively (the copy has no indexes built from these rows). */
  const copy = async (name: string): Promise<Native> => {
    const path = join(dir, `${name}.db`);
    await store.client.execute(`vacuum into '${path}'`);
    const db = new Database(path) as Native;
    db.exec('PRAGMA journal_mode = WAL');
    return db;
  };

  it('builds every index table alike, over rounds that cross buckets, from 1 500 random log rows', async () => {
    const rows = logRows(1_500, 7);
    for (let i = 0; i < rows.length; i += 250) await store.writer.write((tx) => runStatements(tx, rows.slice(i, i + 250)));
    const inOneGo = await copy('one-go');
    const staged = await copy('staged');
    const statements = roundStatements(64, 97);

    const query = inOneGo.prepare(statements.query).raw(true);
    for (let round = 0; round < 100 && Number(query.get()[1]) > 0; round++) {
      inOneGo.exec('BEGIN IMMEDIATE');
      for (const text of statements.writes) inOneGo.prepare(text).run();
      inOneGo.exec('COMMIT');
    }

    for (const text of statements.staged.setup) staged.exec(text);
    const stagedQuery = staged.prepare(statements.query).raw(true);
    for (let round = 0; round < 100 && Number(stagedQuery.get()[1]) > 0; round++) {
      staged.exec('BEGIN');
      for (const text of statements.staged.compute) staged.prepare(text).run();
      staged.exec('COMMIT');
      staged.exec('BEGIN IMMEDIATE');
      for (const text of statements.staged.writes) staged.prepare(text).run();
      staged.exec('COMMIT');
    }

    const expected = contents(inOneGo);
    expect(expected.log_index).toEqual(['accounts', 'group_messages', 'groups', 'idempotency', 'minutes', 'pairs', 'shadows'].map((name) => [name, 1_500]));
    for (const table of ['decision_log_accounts', 'conversation_pairs', 'conversations', 'participants', 'shadow_decisions', 'idempotency_keys', 'decision_log_groups']) {
      expect(expected[table].length, table).toBeGreaterThan(0);
    }
    expect(contents(staged)).toEqual(expected);
    inOneGo.close();
    staged.close();
  });

  it('leaves a log row appended between working a round out and writing it to the next round', async () => {
    const db = await copy('interleaved');
    const statements = roundStatements(64, 4096);
    for (const text of statements.staged.setup) db.exec(text);
    const query = db.prepare(statements.query).raw(true);
    const round = (between: () => void = () => {}) => {
      db.exec('BEGIN');
      for (const text of statements.staged.compute) db.prepare(text).run();
      const [through] = query.get();
      db.exec('COMMIT');
      between();
      db.exec('BEGIN IMMEDIATE');
      for (const text of statements.staged.writes) db.prepare(text).run();
      db.exec('COMMIT');
      return Number(through);
    };
    const through = round(() => {
      const [row] = logRows(1_501, 7).slice(-1);
      db.prepare(row.text).run(row.params);
    });
    expect(through).toBe(1_500);
    const marks = () => db.prepare('select min(seq), max(seq) from log_index').raw(true).get();
    expect(marks()).toEqual([1_500, 1_500]);
    expect(db.prepare('select count(*) from decision_log_accounts where seq = 1501').raw(true).get()).toEqual([0]);
    expect(round()).toBe(1_501);
    expect(marks()).toEqual([1_501, 1_501]);
    expect(Number(db.prepare('select count(*) from decision_log_accounts where seq = 1501').raw(true).get()[0])).toBeGreaterThan(0);
    db.close();
  });
});

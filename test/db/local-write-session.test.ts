// The writer's transactions on a local file (db/local-write-session.ts): a BEGIN that finds the write
// lock held is tried again as soon as the log indexer's round has ended, not only on its timer; with
// no round ending (another holder) the timer tries it again. Timers are faked: what moves the writer
// on is then only what each test says.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalConnection, type LocalConnection } from '../../db/local-connection.ts';
import { localWriteSession, roundsEnded } from '../../db/local-write-session.ts';
import type { LogIndexer } from '../../db/log-indexer.ts';
import { execute } from '../../db/statements.ts';

/** An indexer whose rounds end when the test says: `given` receives the function that ends one. */
const fakeIndexer = (given: (endRound: () => void) => void): Pick<LogIndexer, 'onProgress'> => ({
  onProgress: (listener) => given(() => listener({ indexedThrough: 0, round: 1, caughtUp: true, at: 0 })),
});

/** A few turns of the event loop (setImmediate is not faked). */
const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve)); };

describe('the writer\u2019s local transactions', () => {
  let dir: string;
  let writer: LocalConnection;
  let holder: LocalConnection;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dm-policy-session-'));
    const path = join(dir, 'w.db');
    writer = openLocalConnection(path, { busyTimeoutMs: 0, synchronous: 'normal' });
    writer.native.exec('PRAGMA journal_mode = WAL');
    writer.native.exec('create table t (v)');
    holder = openLocalConnection(path, { busyTimeoutMs: 0, synchronous: 'normal' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    writer.native.close();
    holder.native.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = () => writer.native.prepare('select v from t').raw(true).all() as unknown[][];

  it('waits while the lock is held, and goes on as soon as the indexer\u2019s round has ended', async () => {
    let endRound = () => {};
    const session = localWriteSession(writer, 10_000, roundsEnded(fakeIndexer((end) => { endRound = end; })));
    holder.native.exec('BEGIN IMMEDIATE');
    let ran = false;
    const done = session(async (tx) => { ran = true; await execute(tx, 'insert into t (v) values (?1)', ['written']); });
    await turns(5);
    expect(ran).toBe(false);
    holder.native.exec('ROLLBACK');
    endRound();
    await Promise.race([done, turns(5)]);
    expect(ran).toBe(true);
    await done;
    expect(stored()).toEqual([['written']]);
  });

  it('with no round ending (another holder), tries again on its timer', async () => {
    const session = localWriteSession(writer, 10_000, () => new Promise<void>(() => {}));
    holder.native.exec('BEGIN IMMEDIATE');
    let ran = false;
    const done = session(async (tx) => { ran = true; await execute(tx, 'insert into t (v) values (?1)', ['later']); });
    await turns(5);
    holder.native.exec('ROLLBACK');
    await turns(5);
    expect(ran).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(ran).toBe(true);
    expect(stored()).toEqual([['later']]);
  });

  it('a round that ended before the wait began does not count: the next one does', async () => {
    let endRound = () => {};
    const released = roundsEnded(fakeIndexer((end) => { endRound = end; }));
    const first = released();
    endRound();
    let second = false;
    void released().then(() => { second = true; });
    await first;
    await turns(2);
    expect(second).toBe(false);
    endRound();
    await turns(2);
    expect(second).toBe(true);
  });
});

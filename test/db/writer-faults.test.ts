/**
 * The single writer under injected faults (db/writer.ts): a transaction the server takes back, a
 * COMMIT that fails, batches at their caps (256 jobs, 1 s), a batch decided before its transaction
 * whose first read fails. Whatever happens, no caller is told
 * "committed" for anything that is not, the retry rule is the documented one, and the caps split
 * batches exactly. The Writer runs on a WriteSession this test controls, over a real libSQL file.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inArray } from 'drizzle-orm';
import { openStore, type Store } from '../../db/client.ts';
import { openLocalConnection } from '../../db/local-connection.ts';
import type { NativeDatabase, NativeStatement } from '../../db/native-driver.ts';
import { accounts } from '../../db/schema.ts';
import { StorageBusy, Writer, type BatchStateKind, type WriteSession, type WriterLimits } from '../../db/writer.ts';
import type { Transaction } from '../../db/executor.ts';

/**
 * A write session like the local one (BEGIN IMMEDIATE … COMMIT on a connection of its own), whose
 * server can misbehave on cue. `takeBack()` does what sqld does to a transaction that held the write
 * lock too long: rolls it back, fails the connection's next statement with TRANSACTION_TIMEOUT, and
 * runs the ones after it in autocommit.
 */
class FaultySession {
  readonly native: NativeDatabase;
  private readonly db: Transaction;
  /** Transactions begun, and how each ended. */
  readonly log: string[] = [];
  private timeoutPending = false;
  /** Called before each statement (its SQL text) inside a transaction: lets a test take the transaction back at a chosen point. */
  beforeStatement: ((text: string) => void) | null = null;
  /** Thrown instead of running the next COMMIT (the transaction then rolls back), as many times as listed. */
  readonly commitFailures: Error[] = [];
  /** How many of the next BEGINs find the database locked (SQLITE_BUSY), as another connection's write lock would. */
  busyBegins = 0;

  constructor(path: string) {
    ({ native: this.native, db: this.db } = openLocalConnection(path, { busyTimeoutMs: 1000, synchronous: 'normal' }));
    const prepare = this.native.prepare.bind(this.native);
    this.native.prepare = (text: string) => this.watched(text, prepare(text));
  }

  get transactions(): number {
    return this.log.filter((entry) => entry === 'begin').length;
  }

  takeBack(): void {
    this.native.exec('ROLLBACK');
    this.timeoutPending = true;
  }

  private strike(text: string): void {
    if (this.native.inTransaction) this.beforeStatement?.(text);
    if (this.timeoutPending) {
      this.timeoutPending = false;
      throw Object.assign(new Error('Transaction timed-out'), { code: 'TRANSACTION_TIMEOUT' });
    }
  }

  /** The statement, with every execution going past `strike` first. */
  private watched(text: string, statement: NativeStatement): NativeStatement {
    const proxy: NativeStatement = new Proxy(statement, {
      get: (target, key) => {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (key === 'run' || key === 'get' || key === 'all') this.strike(text);
          const result = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  }

  readonly session: WriteSession = async (body) => {
    if (this.busyBegins > 0) {
      this.busyBegins--;
      this.log.push('busy');
      throw Object.assign(new Error('SQLite error: database is locked'), { code: 'SQLITE_BUSY' });
    }
    this.native.exec('BEGIN IMMEDIATE');
    this.log.push('begin');
    try {
      const value = await body(this.db);
      const failure = this.commitFailures.shift();
      if (failure) throw failure;
      this.native.exec('COMMIT');
      this.log.push('commit');
      return value;
    } catch (error) {
      if (this.native.inTransaction) this.native.exec('ROLLBACK');
      this.log.push('rollback');
      throw error;
    }
  };
}

let dir: string;
let store: Store;
let faults: FaultySession;
let writer: Writer;
let prefix = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dm-policy-writer-faults-'));
  // The store migrates the file and reads what is durable; the writer under test has a connection of its own.
  store = await openStore({ url: `file:${join(dir, 'w.db')}` });
});
afterAll(async () => {
  faults?.native.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh writer and session for each test, and fresh ids. */
function setUp(limits: WriterLimits = {}): string {
  faults?.native.close();
  faults = new FaultySession(join(dir, 'w.db'));
  writer = new Writer(faults.session, undefined, limits);
  return `t${++prefix}-`;
}

/** Whether each id is stored (1) or not (0), read on another connection: only what was committed. */
async function stored(ids: readonly string[]): Promise<number[]> {
  const rows = await store.db.select({ id: accounts.id }).from(accounts).where(inArray(accounts.id, [...ids]));
  const found = new Set(rows.map((r) => r.id));
  return ids.map((id) => (found.has(id) ? 1 : 0));
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Settles every job: its value or its error. */
async function settleAll(jobs: Array<Promise<unknown>>): Promise<Settled[]> {
  return Promise.all(jobs.map((job) => job.then((value) => ({ ok: true as const, value }), (error) => ({ ok: false as const, error }))));
}

/** The invariant: a job resolved exactly when its row is stored. */
async function expectResolvedExactlyWhatIsStored(ids: readonly string[], settled: Settled[]): Promise<void> {
  expect(await stored(ids)).toEqual(settled.map((s) => (s.ok ? 1 : 0)));
}

const insert = (id: string) => writer.write(async (tx) => {
  await tx.insert(accounts).values({ id, updatedAt: 1 });
  return faults.transactions;
});

describe('a transaction the server takes back', () => {
  it('mid-batch: the batch runs once more, whole, and every job is committed once', async () => {
    const p = setUp();
    const ids = [`${p}1`, `${p}2`, `${p}3`, `${p}4`];
    let runsOfThird = 0;
    const jobs = ids.map((id, i) => i !== 2 ? insert(id) : writer.write(async (tx) => {
      runsOfThird++;
      if (runsOfThird === 1) faults.takeBack();
      await tx.insert(accounts).values({ id, updatedAt: 1 });
      return faults.transactions;
    }));
    const settled = await settleAll(jobs);
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'commit']);
    // Every job answered from the retry (transaction 2), none from the one taken back.
    expect(settled).toEqual(ids.map(() => ({ ok: true, value: 2 })));
    expect(runsOfThird).toBe(2);
    await expectResolvedExactlyWhatIsStored(ids, settled);
  });

  it('twice: every job that ran in it is refused and nothing of it is stored; the jobs after it run in the next batch', async () => {
    const p = setUp();
    const ids = [`${p}1`, `${p}2`, `${p}3`];
    const jobs = ids.map((id, i) => i !== 1 ? insert(id) : writer.write(async (tx) => {
      await tx.insert(accounts).values({ id, updatedAt: 1 });
      faults.takeBack();
      await tx.insert(accounts).values({ id: `${id}-again`, updatedAt: 1 });
    }));
    const settled = await settleAll(jobs);
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'rollback', 'begin', 'commit']);
    for (const s of settled.slice(0, 2)) expect(s.ok ? 'resolved' : (s.error as Error).cause ?? s.error).toMatchObject({ code: 'TRANSACTION_TIMEOUT' });
    expect(settled[2]).toEqual({ ok: true, value: 3 });
    await expectResolvedExactlyWhatIsStored(ids, settled);
    expect(await stored([`${ids[1]}-again`])).toEqual([0]);
  });

  it('at any statement of the batch — a job\'s savepoint, a write, a failing job\'s rollback, the batch state, the marker — nothing is told committed that is not', async () => {
    const rows: BatchStateKind<string[]> = {
      create: () => [],
      statements: (ids) => [{ text: 'insert into accounts (id, updated_at) select value, 1 from json_each(?1)', params: [JSON.stringify(ids)] }],
    };
    // Each case takes the transaction back once, just before the n-th statement matching `at`.
    const points: Array<{ at: RegExp; nth: number }> = [
      { at: /^savepoint writer_batch$/, nth: 1 },
      { at: /^savepoint writer_job$/, nth: 2 },
      { at: /^insert/, nth: 3 },
      { at: /^rollback to savepoint writer_job$/, nth: 1 },
      { at: /^release savepoint writer_job$/, nth: 4 },
      { at: /^insert into accounts \(id, updated_at\) select/, nth: 1 },
      { at: /^release savepoint writer_batch$/, nth: 1 },
    ];
    for (const point of points) {
      const p = setUp();
      let seen = 0;
      faults.beforeStatement = (text) => {
        if (point.at.test(text) && ++seen === point.nth) faults.takeBack();
      };
      const ids = [`${p}1`, `${p}2`, `${p}3`, `${p}4`, `${p}5`];
      const jobs = [
        insert(ids[0]),
        insert(ids[1]),
        writer.write(async (tx) => {
          await tx.insert(accounts).values({ id: ids[2], updatedAt: 1 });
          throw new Error('this job fails on its own');
        }),
        insert(ids[3]),
        writer.write(async () => { writer.batchState(rows).push(ids[4], `${ids[4]}b`); }),
      ];
      const settled = await settleAll(jobs);
      expect(faults.log, `${point.at} #${point.nth}`).toEqual(['begin', 'rollback', 'begin', 'commit']);
      expect(settled.map((s) => s.ok), `${point.at} #${point.nth}`).toEqual([true, true, false, true, true]);
      await expectResolvedExactlyWhatIsStored(ids.slice(0, 4), settled.slice(0, 4));
      expect(await stored([ids[4], `${ids[4]}b`])).toEqual([1, 1]);
    }
  });

  it('under a lone job, and under jobs without savepoints, it is retried the same way', async () => {
    let p = setUp();
    let runs = 0;
    const lone = await settleAll([writer.write(async (tx) => {
      if (++runs === 1) faults.takeBack();
      await tx.insert(accounts).values({ id: `${p}lone`, updatedAt: 1 });
    })]);
    expect(lone).toEqual([{ ok: true, value: undefined }]);
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'commit']);
    expect(await stored([`${p}lone`])).toEqual([1]);

    p = setUp();
    runs = 0;
    const bare = { savepoint: false };
    const ids = [`${p}1`, `${p}2`, `${p}3`];
    const settled = await settleAll(ids.map((id, i) => writer.write(async (tx) => {
      if (i === 1 && ++runs === 1) faults.takeBack();
      await tx.insert(accounts).values({ id, updatedAt: 1 });
    }, bare)));
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'commit']);
    expect(settled.every((s) => s.ok)).toBe(true);
    await expectResolvedExactlyWhatIsStored(ids, settled);
  });
});

describe('a COMMIT that fails', () => {
  const diskError = () => Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });

  it('refuses every job of its transaction, stores none of them, and is not retried', async () => {
    const p = setUp();
    faults.commitFailures.push(diskError());
    const ids = [`${p}1`, `${p}2`, `${p}3`];
    const settled = await settleAll(ids.map(insert));
    expect(faults.log).toEqual(['begin', 'rollback']);
    expect(settled.map((s) => !s.ok && (s.error as { code?: string }).code)).toEqual(['SQLITE_IOERR_WRITE', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_WRITE']);
    await expectResolvedExactlyWhatIsStored(ids, settled);
    // The writer goes on: the next batch commits.
    expect(await insert(`${p}after`)).toBe(2);
    expect(await stored([`${p}after`])).toEqual([1]);
  });

  it('because the server took the transaction back after its last statement is retried once, then refused', async () => {
    const p = setUp();
    const gone = () => new Error('cannot commit - no transaction is active');
    faults.commitFailures.push(gone());
    const retried = await settleAll([insert(`${p}1`), insert(`${p}2`)]);
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'commit']);
    expect(retried).toEqual([{ ok: true, value: 2 }, { ok: true, value: 2 }]);
    await expectResolvedExactlyWhatIsStored([`${p}1`, `${p}2`], retried);

    faults.commitFailures.push(gone(), gone());
    const refused = await settleAll([insert(`${p}3`), insert(`${p}4`)]);
    expect(faults.log.slice(4)).toEqual(['begin', 'rollback', 'begin', 'rollback']);
    expect(refused.map((s) => s.ok)).toEqual([false, false]);
    await expectResolvedExactlyWhatIsStored([`${p}3`, `${p}4`], refused);
  });

  it('answers nobody before it: every job resolves after its batch\'s COMMIT', async () => {
    const p = setUp();
    const events: string[] = [];
    const exec = faults.native.exec.bind(faults.native);
    faults.native.exec = (text: string) => {
      exec(text);
      if (text === 'COMMIT') events.push('commit');
    };
    const jobs = [1, 2, 3].map((i) => insert(`${p}${i}`).then(() => events.push(`resolved ${i}`)));
    await Promise.all(jobs);
    expect(events).toEqual(['commit', 'resolved 1', 'resolved 2', 'resolved 3']);
  });
});

describe('batch caps', () => {
  afterEach(() => vi.useRealTimers());

  it('a batch stops at 256 jobs: 600 queued jobs commit as 256, 256 and 88', async () => {
    const p = setUp();
    const ids = Array.from({ length: 600 }, (_, i) => `${p}${i}`);
    const settled = await settleAll(ids.map(insert));
    expect(faults.log).toEqual(['begin', 'commit', 'begin', 'commit', 'begin', 'commit']);
    const perTransaction = [1, 2, 3].map((n) => settled.filter((s) => s.ok && s.value === n).length);
    expect(perTransaction).toEqual([256, 256, 88]);
    // In order: the first 256 queued are the first batch.
    expect(settled.slice(0, 256).every((s) => s.ok && s.value === 1)).toBe(true);
    await expectResolvedExactlyWhatIsStored(ids, settled);
  });

  it('no job starts once its batch has run 1 s: jobs of 250 ms commit five to a batch, and a longer first job alone', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const p = setUp();
    // A job "takes" its time by moving the clock: the writer reads Date.now().
    const slow = (id: string, ms: number) => writer.write(async (tx) => {
      await tx.insert(accounts).values({ id, updatedAt: 1 });
      vi.setSystemTime(Date.now() + ms);
      return faults.transactions;
    });
    const ids = Array.from({ length: 10 }, (_, i) => `${p}${i}`);
    const settled = await settleAll(ids.map((id) => slow(id, 250)));
    // After four jobs the batch has run exactly 1 s: a fifth still starts, a sixth does not.
    expect(settled.map((s) => s.ok && s.value)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    await expectResolvedExactlyWhatIsStored(ids, settled);

    const long = await settleAll([slow(`${p}long`, 1500), slow(`${p}next1`, 10), slow(`${p}next2`, 10)]);
    expect(long.map((s) => s.ok && s.value)).toEqual([3, 4, 4]);
  });

  it('a batch cut by the 1 s cap whose COMMIT fails refuses only the jobs that ran in it; the others commit in the next batch', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const p = setUp();
    faults.commitFailures.push(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' }));
    const ids = Array.from({ length: 8 }, (_, i) => `${p}${i}`);
    const settled = await settleAll(ids.map((id) => writer.write(async (tx) => {
      await tx.insert(accounts).values({ id, updatedAt: 1 });
      vi.setSystemTime(Date.now() + 400);
      return faults.transactions;
    })));
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'commit', 'begin', 'commit']);
    expect(settled.map((s) => (s.ok ? s.value : (s.error as { code: string }).code))).toEqual([
      'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_WRITE', 2, 2, 2, 3, 3,
    ]);
    await expectResolvedExactlyWhatIsStored(ids, settled);
  });
});

describe('a database locked by another connection (SQLITE_BUSY)', () => {
  const busy = () => Object.assign(new Error('SQLite error: database is locked'), { code: 'SQLITE_BUSY' });

  it('at BEGIN: the batch waits and runs once the lock is free, whole, with no rebuild of the state', async () => {
    const p = setUp();
    let rebuilds = 0;
    writer.onRollback(() => { rebuilds++; });
    faults.busyBegins = 3;
    const ids = [`${p}1`, `${p}2`, `${p}3`];
    const settled = await settleAll(ids.map(insert));
    expect(faults.log).toEqual(['busy', 'busy', 'busy', 'begin', 'commit']);
    expect(settled).toEqual(ids.map(() => ({ ok: true, value: 1 })));
    expect(rebuilds).toBe(0);
    await expectResolvedExactlyWhatIsStored(ids, settled);
  });

  it('at COMMIT, after the jobs ran: the state is rebuilt and the batch runs again', async () => {
    const p = setUp();
    let rebuilds = 0;
    writer.onRollback(() => { rebuilds++; });
    faults.commitFailures.push(busy());
    const ids = [`${p}1`, `${p}2`];
    const settled = await settleAll(ids.map(insert));
    expect(faults.log).toEqual(['begin', 'rollback', 'begin', 'commit']);
    expect(settled).toEqual(ids.map(() => ({ ok: true, value: 2 })));
    expect(rebuilds).toBe(1);
    await expectResolvedExactlyWhatIsStored(ids, settled);
  });

  it('past the writer\'s patience: every job is refused with StorageBusy, nothing is stored, and the next batch commits', async () => {
    const p = setUp({ busyPatienceMs: 150 });
    faults.busyBegins = 1_000_000;
    const ids = [`${p}1`, `${p}2`, `${p}3`];
    const started = Date.now();
    const settled = await settleAll(ids.map(insert));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    for (const s of settled) {
      expect(s.ok).toBe(false);
      expect(s.ok ? null : s.error).toBeInstanceOf(StorageBusy);
      expect(s.ok ? null : ((s.error as StorageBusy).cause as { code: string }).code).toBe('SQLITE_BUSY');
    }
    expect(faults.log.every((entry) => entry === 'busy')).toBe(true);
    await expectResolvedExactlyWhatIsStored(ids, settled);
    faults.busyBegins = 0;
    expect(await insert(`${p}4`)).toBe(1);
    await expectResolvedExactlyWhatIsStored([`${p}4`], [{ ok: true, value: 1 }]);
  });
});

describe('a batch decided before its transaction (decideOutsideTransaction)', () => {
  const decided = (value: string) => writer.write(async () => value, { inMemory: true, savepoint: false });
  const insertAccount = (id: string) => ({ text: 'insert into accounts (id, updated_at) values (?1, 1)', params: [id] });
  /** A batch's own append, as a batch state its jobs fill. */
  const ownAppend: BatchStateKind<string[]> = { create: () => [], statements: (ids) => ids.map(insertAccount) };

  /**
   * Holds the first batch's first read until `release()`, so other instances' batches can arrive
   * meanwhile; any later read answers at once. `started` resolves once that read has begun.
   */
  function holdFirstRead(): { started: Promise<void>; release: () => void; reads: () => number } {
    let release = () => {};
    let begun = () => {};
    const started = new Promise<void>((resolve) => { begun = resolve; });
    let reads = 0;
    writer.onDecidedBatch({
      before: () => {
        if (reads++ > 0) return;
        begun();
        return new Promise<void>((resolve) => { release = resolve; });
      },
      statements: () => [],
      committed: () => undefined,
    });
    return { started, release: () => release(), reads: () => reads };
  }

  it('whose first read keeps failing: its jobs are refused with the read\'s error, the state is rebuilt, and nothing runs again', async () => {
    setUp({ decideOutsideTransaction: true });
    const failure = new Error('the server could not be read');
    let reads = 0;
    let rebuilds = 0;
    writer.onRollback(() => { rebuilds++; });
    writer.onDecidedBatch({ before: () => { reads++; throw failure; }, statements: () => [], committed: () => undefined });
    const settled = await Promise.race([
      settleAll([decided('a'), decided('b')]),
      new Promise<'never settled'>((resolve) => setTimeout(() => resolve('never settled'), 2000)),
    ]);
    expect(settled).toEqual([{ ok: false, error: failure }, { ok: false, error: failure }]);
    expect([reads, rebuilds, faults.transactions]).toEqual([1, 1, 0]);
  });

  it('takes in the other instances\' batches that arrive during its first read, in the same transaction', async () => {
    const p = setUp({ decideOutsideTransaction: true });
    const read = holdFirstRead();
    const decided = writer.write(async () => { writer.batchState(ownAppend).push(`${p}own`); return 'decided'; }, { inMemory: true, savepoint: false });
    await read.started;
    // Two other instances' batches reach this one while its first read is under way.
    const peers = [writer.runForPeer([insertAccount(`${p}peer1`)]), writer.runForPeer([insertAccount(`${p}peer2`)])];
    read.release();
    const settled = await settleAll([decided, ...peers]);
    expect(settled.map((s) => s.ok)).toEqual([true, true, true]);
    expect(await stored([`${p}own`, `${p}peer1`, `${p}peer2`])).toEqual([1, 1, 1]);
    expect([faults.transactions, read.reads()]).toEqual([1, 1]);
  });

  it('of other instances\' batches alone reads nothing first and places nothing after', async () => {
    const p = setUp({ decideOutsideTransaction: true });
    const calls: string[] = [];
    writer.onDecidedBatch({
      before: () => { calls.push('before'); },
      statements: () => { calls.push('statements'); return []; },
      committed: () => { calls.push('committed'); },
    });
    const results = await writer.runForPeer([insertAccount(`${p}peer`)]);
    expect(results).toEqual([[]]);
    expect(await stored([`${p}peer`])).toEqual([1]);
    expect([calls, faults.transactions]).toEqual([[], 1]);
    // A batch that decides still reads first.
    await writer.write(async () => { writer.batchState(ownAppend).push(`${p}own`); }, { inMemory: true, savepoint: false });
    expect(calls).toEqual(['before', 'statements', 'committed']);
  });

  it('runs the other instances\' batches queued behind its own next job first, in a transaction of their own that reads nothing', async () => {
    const p = setUp({ decideOutsideTransaction: true });
    let reads = 0;
    writer.onDecidedBatch({ before: () => { reads++; }, statements: () => [], committed: () => undefined });
    const own = (id: string) => writer.write(async () => { writer.batchState(ownAppend).push(`${p}${id}`); return id; }, { inMemory: true, savepoint: false });
    const answered: string[] = [];
    const later: Array<Promise<unknown>> = [];
    // While the first batch writes, this instance's next job queues up, then another instance's batch.
    faults.beforeStatement = (text) => {
      if (later.length || !text.startsWith('insert into accounts')) return;
      const noted = (name: string) => (value: unknown) => { answered.push(name); return value; };
      later.push(own('next').then(noted('next')), writer.runForPeer([insertAccount(`${p}peer`)]).then(noted('peer')));
    };
    expect(await own('first')).toBe('first');
    const settled = await settleAll(later);
    expect(settled.map((s) => s.ok)).toEqual([true, true]);
    expect(answered).toEqual(['peer', 'next']);
    expect(await stored([`${p}first`, `${p}next`, `${p}peer`])).toEqual([1, 1, 1]);
    // The first batch, the other instance's alone (no read), then the next one of this instance's.
    expect([faults.transactions, reads]).toEqual([3, 2]);
  });

  it('past its time cap, takes in the other instances\' batches and leaves its own jobs that did not run for the next', async () => {
    const p = setUp({ decideOutsideTransaction: true, maxBatchMs: 10 });
    const read = holdFirstRead();
    // The first job takes longer than the cap: the second waits for the next batch.
    const slow = writer.write(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      writer.batchState(ownAppend).push(`${p}slow`);
      return 'slow';
    }, { inMemory: true, savepoint: false });
    const next = writer.write(async () => { writer.batchState(ownAppend).push(`${p}next`); return 'next'; }, { inMemory: true, savepoint: false });
    await read.started;
    const peer = writer.runForPeer([insertAccount(`${p}peer`)]);
    read.release();
    const settled = await settleAll([slow, next, peer]);
    expect(settled.map((s) => (s.ok ? s.value : s.error))).toEqual(['slow', 'next', [[]]]);
    expect(await stored([`${p}slow`, `${p}next`, `${p}peer`])).toEqual([1, 1, 1]);
    expect(faults.transactions).toBe(2);
  });
});

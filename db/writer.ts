/**
 * The single writer: jobs run one after another inside one write transaction per batch, each in
 * its own savepoint, and are answered only after that transaction commits. Grouping the commits
 * of concurrent requests keeps throughput high; running jobs in sequence keeps caps exact.
 */
import { sql } from 'drizzle-orm';
import type { Transaction } from './executor.ts';
import { runStatements, type Statement } from './statements.ts';

/**
 * Opens the one write transaction of a batch, runs `body` in it, and commits — or rolls back if
 * `body` throws. On a local file this is BEGIN IMMEDIATE/COMMIT on the writer's own connection; on
 * a libSQL server, an interactive transaction of @libsql/client.
 */
export type WriteSession = <T>(body: (tx: Transaction) => Promise<T>) => Promise<T>;

type Job<T> = {
  run: (tx: Transaction) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  savepoint: boolean;
  inMemory: boolean;
  /** Runs by itself with no transaction open (Writer.alone). */
  alone: boolean;
  /** Another instance's decided batch (Writer.runForPeer): it may join a batch already under way. */
  peer?: boolean;
};

export interface WriteOptions {
  /**
   * false for a job that only throws `ApiError`s (client mistakes) before its first write. It then
   * runs without a savepoint of its own — releasing one costs more than a decision's inserts — and
   * any other error fails its whole batch, since its partial writes could not be undone alone.
   */
  savepoint?: boolean;
  /**
   * true for a job that runs no statement: it reads and moves on the in-memory state and leaves what
   * it records to batch states, throwing only client errors. Where the writer decides outside its
   * transaction (`WriterLimits.decideOutsideTransaction`), such jobs run before their batch's
   * transaction opens, and that transaction is one round trip.
   */
  inMemory?: boolean;
}

/**
 * A kind of per-batch state: how to start it, and the statements that write it before the batch
 * commits (sent together with the batch's closing statement: one round trip to a server).
 */
export interface BatchStateKind<S> {
  create(): S;
  statements(state: S): Statement[];
  /**
   * Of a batch decided before its transaction (WriteOptions.inMemory), given the rows its statements
   * returned once the batch committed: false if what they wrote did
   * not take effect (an owner's append refused because a lease moved). The in-memory state is then
   * rebuilt before the jobs are answered; the jobs that wrote into this state learn it from it.
   */
  check?(state: S, results: unknown[][][]): boolean | void;
}

/**
 * What runs at the start of every batch, inside its transaction and before any job: statements sent
 * together with the batch's opening one (one round trip to a server), then what to make of their rows.
 */
export interface BatchStart {
  statements(): Statement[];
  apply(results: unknown[][][]): Promise<void> | void;
}

/**
 * Around a batch of in-memory jobs decided before its transaction (see WriteOptions.inMemory): what
 * the state reads and notes before they run (a failure fails the batch), the statements read in the transaction ahead of what the batch
 * writes (what other instances recorded), and what to make of their rows once it committed.
 */
export interface DecidedBatch {
  before(): Promise<void> | void;
  statements(): Statement[];
  committed(results: unknown[][][]): Promise<void> | void;
}

/**
 * Runs a decided batch's statements in a write transaction elsewhere and answers each one's rows; or
 * null, to run them in this writer's own transaction.
 */
export type RemoteCommit = (statements: Statement[]) => Promise<unknown[][][] | null>;

/** Other instances' statements run in a batch (Writer.runForPeer), each set answered its own rows. */
const peerStatements: BatchStateKind<Array<{ statements: Statement[]; results: unknown[][][] }>> = {
  create: () => [],
  statements: (sets) => sets.flatMap((set) => set.statements),
  check: (sets, results) => {
    let at = 0;
    for (const set of sets) set.results = results.slice(at, (at += set.statements.length));
  },
};

const batchMarker: Statement = { text: 'savepoint writer_batch', params: [] };
const batchMarkerRelease: Statement = { text: 'release savepoint writer_batch', params: [] };

/** Told of each committed batch: how many jobs it held and its transaction's milliseconds, COMMIT included. */
export type BatchObserver = (jobs: number, transactionMs: number) => void;

/** An error a job throws on purpose, before writing anything; see `WriteOptions.savepoint`. */
export type IsClientError = (error: unknown) => boolean;

export interface WriterLimits {
  /** Jobs a batch holds at most (256). */
  maxBatch?: number;
  /**
   * How long a batch may run jobs (1 000 ms): well under a libSQL server's transaction timeout, since
   * sqld rolls back a transaction that has held the write lock for 5 s while another connection waits.
   */
  maxBatchMs?: number;
  /**
   * How long a batch may go on finding the database locked (SQLITE_BUSY) before its jobs are refused
   * with StorageBusy (10 000 ms); the batch is tried again meanwhile, after short waits.
   */
  busyPatienceMs?: number;
  /**
   * Run batches of in-memory jobs before their transaction, which then takes one round trip and holds
   * a server's write lock only while the server runs it (owned senders on a shared libSQL server).
   */
  decideOutsideTransaction?: boolean;
}

export class Writer {
  private queue: Job<any>[] = [];
  private running = false;
  private readonly maxBatch: number;
  private readonly maxBatchMs: number;
  private readonly busyPatienceMs: number;
  private readonly decidesOutside: boolean;

  constructor(
    private readonly session: WriteSession,
    private readonly isClientError: IsClientError = () => false,
    limits: WriterLimits = {},
  ) {
    this.maxBatch = limits.maxBatch ?? 256;
    this.maxBatchMs = limits.maxBatchMs ?? 1000;
    this.busyPatienceMs = limits.busyPatienceMs ?? 10_000;
    this.decidesOutside = limits.decideOutsideTransaction ?? false;
  }

  private batchStates = new Map<BatchStateKind<any>, unknown>();
  private rollbackListeners: Array<() => Promise<void> | void> = [];
  private batchStartListeners: BatchStart[] = [];
  private batchObservers: BatchObserver[] = [];
  private decidedListeners: DecidedBatch[] = [];

  private remoteCommit: RemoteCommit | null = null;

  /**
   * Where instances share a server, the statements of a batch decided before its transaction may be
   * run by another instance's writer (server/cluster/journal.ts): one connection writing keeps the
   * server's write lock from passing between connections, which it does slowly.
   */
  commitDecidedThrough(remote: RemoteCommit): void {
    this.remoteCommit = remote;
  }

  /**
   * Runs another instance's statements (its decided batch: what it reads, then what it appends)
   * inside one of this writer's transactions, and answers what they returned once it committed.
   */
  runForPeer(statements: Statement[]): Promise<unknown[][][]> {
    return this.enqueue(async () => {
      const sent = { statements, results: [] as unknown[][][] };
      this.batchState(peerStatements).push(sent);
      return sent;
    }, { savepoint: false, inMemory: true, alone: false, peer: true }).then((sent) => sent.results);
  }

  /** `around` runs around every batch of in-memory jobs decided before its transaction (decideOutsideTransaction). */
  onDecidedBatch(around: DecidedBatch): void {
    this.decidedListeners.push(around);
  }

  /** `observe` runs after every committed batch with its size and how long its transaction took (metrics). */
  onBatchCommitted(observe: BatchObserver): void {
    this.batchObservers.push(observe);
  }

  /**
   * `start` runs at the start of every batch, inside its transaction, before any job: where several
   * instances share a server, each batch first applies what the others recorded (the transaction
   * holds the server's write lock, so nothing is recorded meanwhile).
   */
  onBatchStart(start: BatchStart): void {
    this.batchStartListeners.push(start);
  }

  /**
   * Jobs keep in-memory state current as they run (the decision state); when their batch does not
   * commit, that state is ahead of the database. `restore` runs after every batch that rolled back,
   * before any other job, and brings it back to what is committed.
   */
  onRollback(restore: () => Promise<void> | void): void {
    this.rollbackListeners.push(restore);
  }

  private async rolledBack(): Promise<void> {
    for (const restore of this.rollbackListeners) await restore();
  }

  /** Runs `run` inside the writer's transaction; resolves once its effects are committed. */
  write<T>(run: (tx: Transaction) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.enqueue(run, { savepoint: options.savepoint ?? true, inMemory: options.inMemory ?? false, alone: false });
  }

  /**
   * Runs `run` by itself, once every job queued before it has committed, with no transaction open on
   * the writer's connection, and holds every job queued after it until it resolves: for work that
   * writes through a connection of its own (an import's thread, db/import-writer.ts). If it throws,
   * the rollback listeners bring the in-memory state back to what is committed.
   */
  alone<T>(run: () => Promise<T>): Promise<T> {
    return this.enqueue(run, { savepoint: false, inMemory: false, alone: true });
  }

  private enqueue<T>(run: (tx: Transaction) => Promise<T>, kind: Pick<Job<T>, 'savepoint' | 'inMemory' | 'alone' | 'peer'>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject, ...kind });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * State that the jobs of one batch share and that is written once, after the batch's jobs and
   * before its COMMIT (called from a job). Lets jobs fold what they would each write into one
   * statement per batch. The first call in a batch creates the state; a batch that rolls back
   * drops it unwritten.
   */
  batchState<S>(kind: BatchStateKind<S>): S {
    let state = this.batchStates.get(kind) as S | undefined;
    if (state === undefined) this.batchStates.set(kind, (state = kind.create()));
    return state;
  }

  /** Jobs waiting for a batch (not those of the batch under way): how far the writer is behind. */
  get queued(): number {
    return this.queue.length;
  }

  /** Waits until every queued job has been committed (used on shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * The local driver's calls are synchronous, so a batch never yields to the event loop while it
   * runs. Each batch therefore starts from `setImmediate`: requests that arrived meanwhile are
   * parsed and queued first, and commit together.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.takeBatch();
        const rest = batch[0].alone
          ? await this.runAlone(batch[0])
          : this.decidesOutside && batch[0].inMemory ? await this.commitDecidedBatch(batch) : await this.commitBatch(batch);
        if (rest.length) this.queue.unshift(...rest);
        if (this.queue.length) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * The next batch: a job that runs alone by itself, and no batch past one; where in-memory jobs are
   * decided outside the transaction, only jobs of one kind, and other instances' batches
   * (runForPeer) queued before any job that runs alone go first, in a transaction of their own. They
   * are decided already and have waited for their own first read, their deciding and the hop here;
   * behind this instance's jobs they would wait for its first read and deciding too (with two
   * instances on sqld, the other instance answered more in each of five alternating runs,
   * bench/RESULTS.md session 13).
   */
  private takeBatch(): Job<any>[] {
    const { inMemory, alone } = this.queue[0];
    if (alone) return this.queue.splice(0, 1);
    if (this.decidesOutside) {
      const peers = this.takePeers(this.maxBatch);
      if (peers.length) return peers;
    }
    let n = 1;
    while (n < this.queue.length && n < this.maxBatch && !this.queue[n].alone && (!this.decidesOutside || this.queue[n].inMemory === inMemory)) n++;
    return this.queue.splice(0, n);
  }

  /**
   * Other instances' batches queued before the first job that runs alone (which holds every job
   * queued after it), at most `room` of them, taken out of the queue.
   */
  private takePeers(room: number): Job<any>[] {
    const peers: Job<any>[] = [];
    const rest: Job<any>[] = [];
    let held = false;
    for (const job of this.queue) {
      held ||= job.alone;
      if (job.peer && !held && peers.length < room) peers.push(job);
      else rest.push(job);
    }
    if (peers.length) this.queue = rest;
    return peers;
  }

  /** A job that runs alone (Writer.alone); nothing is left over for the next batch. */
  private async runAlone(job: Job<any>): Promise<Job<any>[]> {
    try {
      job.resolve(await job.run(undefined as unknown as Transaction));
    } catch (error) {
      await this.rolledBack();
      job.reject(error);
    }
    return [];
  }

  /**
   * A batch of in-memory jobs, decided before its transaction: they run within `maxBatchMs`, then one
   * round trip takes the transaction's BEGIN, what the listeners read, the batch states' statements
   * and the COMMIT. A locked database is tried again with the same statements (the decisions stand);
   * any other failure, or a check that refuses, fails the jobs that ran and rebuilds the state.
   */
  private async commitDecidedBatch(batch: Job<any>[]): Promise<Job<any>[]> {
    const outcomes: Outcome[] = [];
    const startedAt = Date.now();
    const startedPrecise = performance.now();
    this.batchStates.clear();
    // A batch of other instances' batches alone decides nothing here: nothing to read first, nothing
    // to place after (what they wrote is read with the next batch that decides).
    const listeners = batch.some((job) => !job.peer) ? this.decidedListeners : [];
    try {
      for (const around of listeners) await around.before();
    } catch (error) {
      // Nothing was decided: the jobs are refused with what the read met (tried again, a server
      // that stays unreadable would hold them forever), and the state, which the read may have moved
      // in part, is rebuilt.
      await this.rolledBack();
      for (const job of batch) job.reject(error);
      return [];
    }
    let ran = 0;
    try {
      for (const job of batch) {
        if (outcomes.length > 0 && Date.now() - startedAt > this.maxBatchMs) break;
        ran++;
        try {
          outcomes.push({ ok: true, value: await job.run(undefined as unknown as Transaction) });
        } catch (error) {
          if (!this.isClientError(error)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      // Other instances' batches that arrived meanwhile (during this batch's first read, mostly) ride
      // in its transaction instead of waiting for the next one: they are decided already, and need
      // nothing this batch read.
      for (const job of this.takePeers(this.maxBatch - batch.length)) {
        // In the place after the jobs that ran: those the time cap left out stay last, for the next batch.
        batch.splice(ran++, 0, job);
        outcomes.push({ ok: true, value: await job.run(undefined as unknown as Transaction) });
      }
      // Other instances' statements go last: this batch's own read, then its own append, stay together.
      const kinds = [...this.batchStates].sort(([a], [b]) => Number(a === peerStatements) - Number(b === peerStatements));
      const endings = kinds.map(([kind, state]) => kind.statements(state));
      if (endings.some((e) => e.length)) {
        const starts = listeners.map((around) => around.statements());
        const sent = [...starts.flat(), ...endings.flat()];
        // A batch that carries other instances' statements is run here, whoever this one takes for the journal's writer.
        const remote = this.batchStates.has(peerStatements) ? null : await this.remoteCommit?.(sent);
        const results = remote ?? (await this.untilUnlocked(startedAt, () => this.session(async (tx) =>
          (await runStatements(tx, [batchMarker, ...sent, batchMarkerRelease], { commit: true })).slice(1, -1))));
        let at = 0;
        const startRows = starts.map((s) => results.slice(at, (at += s.length)));
        const refused = kinds.map(([kind, state], i) => kind.check?.(state, results.slice(at, (at += endings[i].length))) === false);
        if (refused.some(Boolean)) await this.rolledBack();
        else for (let i = 0; i < starts.length; i++) await listeners[i].committed(startRows[i]);
      }
    } catch (error) {
      this.batchStates.clear();
      await this.rolledBack();
      for (const job of batch.slice(0, ran)) job.reject(error);
      return batch.slice(ran);
    }
    return this.answer(batch, outcomes, startedPrecise);
  }

  /**
   * A committed batch: its observers told, its jobs answered with their outcomes. Returns the jobs
   * that did not run in it (the time cap), for the next batch.
   */
  private answer(batch: Job<any>[], outcomes: Outcome[], startedPrecise: number): Job<any>[] {
    this.batchStates.clear();
    const committedMs = performance.now() - startedPrecise;
    for (const observe of this.batchObservers) observe(outcomes.length, committedMs);
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.value);
      else batch[i].reject(outcome.error);
    });
    return batch.slice(outcomes.length);
  }

  /** Runs `attempt` again after short waits while the database is locked, up to busyPatienceMs after `since`. */
  private async untilUnlocked<T>(since: number, attempt: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!isBusy(error)) throw error;
        if (Date.now() - since >= this.busyPatienceMs) throw new StorageBusy(Date.now() - since, error);
        await new Promise((resolve) => setTimeout(resolve, busyBackoffMs()));
      }
    }
  }

  /**
   * Commits what it can of `batch` within `maxBatchMs`; returns the jobs left for the next batch.
   * `retried`: the batch already ran once more after the server took its transaction back.
   * `busySince`: when the batch first found the database locked.
   */
  private async commitBatch(batch: Job<any>[], retried = false, busySince: number | null = null): Promise<Job<any>[]> {
    const outcomes: Outcome[] = [];
    const startedAt = Date.now();
    const startedPrecise = performance.now();
    // Jobs started in this transaction: only they share its fate.
    let ran = 0;
    // The batch failed only because its one job refused a client's request.
    let loneClientError = false;
    this.batchStates.clear();
    try {
      await this.session(async (tx) => {
        // A marker that exists only inside this transaction: releasing it fails if the server
        // rolled the transaction back meanwhile, so such a batch can never commit as if whole.
        const starts = this.batchStartListeners.map((start) => start.statements());
        const started = await runStatements(tx, [batchMarker, ...starts.flat()]);
        for (let i = 0, at = 1; i < starts.length; at += starts[i].length, i++) await this.batchStartListeners[i].apply(started.slice(at, at + starts[i].length));
        for (const job of batch) {
          if (outcomes.length > 0 && Date.now() - startedAt > this.maxBatchMs) break;
          ran++;
          try {
            // A savepoint per job: one job's failure rolls back only its own writes. A job alone in
            // its batch needs none: its failure may roll back the whole transaction.
            const value = batch.length === 1 || !job.savepoint ? await job.run(tx) : await inSavepoint(tx, job.run);
            outcomes.push({ ok: true, value });
          } catch (error) {
            // The transaction is gone: the next job's SAVEPOINT would open (and its RELEASE
            // commit) a transaction of its own. Stop here; nothing of this batch is durable.
            // A job without a savepoint that may have written fails the whole transaction. One that
            // threw a client error wrote nothing, alone or not: it is refused by itself, and the
            // batch commits. A lone job that would have had a savepoint ran without one: its
            // transaction is rolled back, but a client error leaves the in-memory state as a
            // failing job beside others leaves it, so nothing is rebuilt. A client's mistake (an
            // idempotency key reused with another body, an operator's conflicting change) never
            // costs a rebuild of the whole decision state (~20 s at 1 M accounts and 10 M edges).
            if (transactionLost(error) || (!job.savepoint && !this.isClientError(error))) throw error;
            if (batch.length === 1 && job.savepoint) {
              loneClientError = this.isClientError(error);
              throw error;
            }
            outcomes.push({ ok: false, error });
          }
        }
        const ending = [...this.batchStates].flatMap(([kind, state]) => kind.statements(state));
        // On a server the COMMIT travels with them: one round trip fewer while the write lock is held.
        await runStatements(tx, [...ending, batchMarkerRelease], { commit: true });
      });
    } catch (error) {
      this.batchStates.clear();
      const busy = isBusy(error);
      // A batch that found the database locked before any job ran changed nothing in memory: no
      // rebuild. Anything else may have left the in-memory state ahead of the database.
      if (!(busy && ran === 0) && !loneClientError) await this.rolledBack();
      // The transaction failed (or a lone job did): nothing in this batch is durable.
      // A transaction the server took back is run once more before its jobs are refused.
      if (!retried && (transactionLost(error) || error instanceof StaleState)) return this.commitBatch(batch, true);
      // A locked database (another writer, a checkpoint) is waited out, within busyPatienceMs.
      const since = busySince ?? startedAt;
      if (busy && Date.now() - since < this.busyPatienceMs) {
        await new Promise((resolve) => setTimeout(resolve, busyBackoffMs()));
        return this.commitBatch(batch, retried, since);
      }
      const failure = busy ? new StorageBusy(Date.now() - since, error) : error;
      // Jobs the time cap left out never ran in it: they go to the next batch. A transaction that
      // failed before its first job (its BEGIN) refuses them all rather than try them forever.
      const refused = ran === 0 ? batch.length : ran;
      for (const job of batch.slice(0, refused)) job.reject(failure);
      return batch.slice(refused);
    }
    return this.answer(batch, outcomes, startedPrecise);
  }
}

/**
 * Runs `run` inside a savepoint: a failure rolls back its writes only. Raw statements rather than
 * drizzle's nested transactions, which on the synchronous local driver would open a transaction
 * of their own and cannot await.
 */
async function inSavepoint<T>(tx: Transaction, run: (tx: Transaction) => Promise<T>): Promise<T> {
  await tx.run(sql.raw('savepoint writer_job'));
  try {
    const value = await run(tx);
    await tx.run(sql.raw('release savepoint writer_job'));
    return value;
  } catch (error) {
    if (!transactionLost(error)) {
      await tx.run(sql.raw('rollback to savepoint writer_job'));
      await tx.run(sql.raw('release savepoint writer_job'));
    }
    throw error;
  }
}

/**
 * Thrown by a batch-start listener that found the in-memory state can't be brought up to date inside
 * the batch (another instance imported a graph): the batch rolls back, the rollback listeners rebuild
 * the state outside any transaction, and the batch runs once more.
 */
export class StaleState extends Error {}

/**
 * The database stayed locked (SQLITE_BUSY) for longer than the writer's patience: nothing of the
 * batch was recorded, and the same request may be sent again (the API answers 503).
 */
export class StorageBusy extends Error {
  constructor(
    readonly waitedMs: number,
    cause: unknown,
    message = `the database stayed locked for ${waitedMs} ms: nothing was recorded; send the request again`,
  ) {
    super(message, { cause });
  }
}

/** Whether an error says the database was locked by another connection (SQLITE_BUSY). */
function isBusy(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (/SQLITE_BUSY|database is locked/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) return true;
  }
  return false;
}

/** What a job of a batch came to. */
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A wait of 5–25 ms before trying a locked database again, spread so that instances don't retry in step. */
const busyBackoffMs = () => 5 + Math.random() * 20;

/** Whether an error says the batch's transaction no longer exists (rolled back by the server). */
function transactionLost(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (/TRANSACTION_TIMEOUT|TRANSACTION_CLOSED|no such savepoint|no transaction is active/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) return true;
  }
  return false;
}

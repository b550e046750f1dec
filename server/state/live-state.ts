/**
 * The decision state a running service decides on: rebuilt from libSQL at start and again whenever a
 * writer batch did not commit (its jobs had already moved the state on); and, where several instances
 * share a libSQL server, brought up to date at the start of every batch with what the others recorded.
 */
import type { Store } from '../../db/client.ts';
import type { Executor } from '../../db/executor.ts';
import { StaleState } from '../../db/writer.ts';
import { appendGraphEvent, sharedTailEntries, sharedTailStatement, type TailEntry } from '../../db/stores/shared-log.ts';
import { countStoredKeys, scanStoredKeys } from '../../db/stores/idempotency.ts';
import { IdempotencyMemory } from '../decisions/idempotency.ts';
import { StoredKeys } from '../decisions/stored-keys.ts';
import { applyGraphEvent, type GraphEvent } from '../graph/graph-events.ts';
import { rebuildWorld, recordedFromRow, type RebuildFigures } from './rebuild.ts';
import type { DecisionWorld, RecordedDecision } from './world.ts';

/** From how many edges a start reads them on a thread (RebuildOptions.edgesOnThreadFrom). */
const edgesOnThreadAtStart = 100_000;

export class LiveState {
  /** Of a batch decided before its transaction: the latest sequence number committed before it, and its decisions. */
  private decidedAfter = 0;
  private decided: RecordedDecision[] = [];

  private constructor(
    private readonly store: Store,
    private current: DecisionWorld,
    private answers: IdempotencyMemory,
    private rebuilt: RebuildFigures,
  ) {}

  /**
   * Rebuilds the state from the database and keeps it rebuilt after every batch that rolls back. On a
   * libSQL server (other instances may write to it), every batch starts by applying the tail.
   */
  static async open(store: Store): Promise<LiveState> {
    const storedKeys = new StoredKeys(await countStoredKeys(store.db));
    const idempotency = new IdempotencyMemory(storedKeys);
    // Nothing takes a request before this returns: the graph can't change while a thread reads it.
    const { world, figures } = await rebuildWorld(store, idempotency, { edgesOnThreadFrom: edgesOnThreadAtStart });
    // Read after the rebuild's snapshot: the table then holds at least what the rebuild took as
    // indexed, and every later answer reaches memory (the rebuild's fold, a tail, a decision here).
    await scanStoredKeys(store.db, (senderId, key, at) => storedKeys.add(senderId, key, at));
    const state = new LiveState(store, world, idempotency, figures);
    store.writer.onRollback(() => state.rebuild());
    if (state.shared) {
      store.writer.onBatchStart({
        statements: () => [sharedTailStatement(state.current.lastSeq)],
        apply: ([rows]) => state.applyTail(sharedTailEntries(rows)),
      });
      store.writer.onDecidedBatch({
        before: async () => {
          // Everything recorded before the batch began, read without the lock: a decision sees every
          // change acknowledged before its request (a block, a setting, a message to its sender) on
          // whichever instance it was made.
          await state.applyOrRebuild(sharedTailEntries(await store.readBetweenBatches!(sharedTailStatement(state.current.lastSeq))));
          state.decidedAfter = state.current.lastSeq;
          state.decided = [];
        },
        statements: () => [sharedTailStatement(state.decidedAfter)],
        committed: ([rows]) => state.placeDecided(sharedTailEntries(rows)),
      });
    }
    return state;
  }

  /**
   * Applies an enforced decision to the state at once, so that the next decision counts it. In a
   * batch decided before its transaction, its sequence number is provisional until the batch commits.
   */
  applyDecision(recorded: RecordedDecision): void {
    this.current.apply(recorded);
    // Kept only until its batch is placed: on a local file no batch is, and the list would only grow.
    if (this.shared) this.decided.push(recorded);
  }

  /**
   * A batch decided before its transaction committed: what other instances recorded while it was
   * decided (its tail: what came before, it read first) took the places before the batch's rows,
   * which were numbered after it. The batch's decisions move to those places, then the tail is
   * applied. For its own senders this instance is the only one deciding, so their counts are exact;
   * what another instance recorded meanwhile — a message to one of its senders, a graph change —
   * counts from the next batch on.
   * Idempotent answers move with them: until then they stay in memory whatever is indexed.
   */
  private async placeDecided(tail: TailEntry[]): Promise<void> {
    const decided = this.decided;
    this.decided = [];
    if (!tail.length) {
      this.answers.place(0);
      return;
    }
    const world = this.current;
    const shift = tail[tail.length - 1].decision ? Number(tail[tail.length - 1].decision![0]) - this.decidedAfter
      : tail[tail.length - 1].event!.seq - this.decidedAfter;
    for (const r of decided) world.reseat(r, r.seq + shift);
    this.answers.place(shift);
    if (await this.applyOrRebuild(tail)) world.restoreSeq(this.decidedAfter + shift + decided.length);
  }

  /** Applies a tail read outside any transaction; one that holds an import rebuilds instead. False if it rebuilt. */
  private async applyOrRebuild(tail: TailEntry[]): Promise<boolean> {
    try {
      this.applyTail(tail);
      return true;
    } catch (error) {
      if (!(error instanceof StaleState)) throw error;
      await this.rebuild();
      return false;
    }
  }

  /** Whether other instances may record into the same database (a libSQL server, not a local file). */
  get shared(): boolean {
    return this.store.localPath === null;
  }

  /** The state now: read it afresh at each use, since a rebuild replaces it. */
  get world(): DecisionWorld {
    return this.current;
  }

  get idempotency(): IdempotencyMemory {
    return this.answers;
  }

  /** What the latest rebuild read, and how long it took. */
  get lastRebuild(): RebuildFigures {
    return this.rebuilt;
  }

  async rebuild(): Promise<void> {
    const idempotency = this.answers.afresh();
    const { world, figures } = await rebuildWorld(this.store, idempotency);
    this.current = world;
    this.answers = idempotency;
    this.rebuilt = figures;
  }

  /**
   * Records a change to the graph, settings, grants, exemptions or counters (inside a writer job, after
   * its rows are written): journaled for the other instances when the database is shared, and applied here.
   */
  async record(tx: Executor, event: GraphEvent, at: number, seq: number): Promise<void> {
    if (this.shared) await appendGraphEvent(tx, seq, at, JSON.stringify(event));
    applyGraphEvent(this.current, event, at, seq);
  }

  /**
   * Where the database is shared: applies what other instances recorded, so that a read outside the
   * writer (a dry run, an account's counters) sees it. It runs as a writer job, since the tail is
   * applied at the start of every batch. Nothing to do on a local file: this service is its only writer.
   */
  async catchUp(): Promise<void> {
    if (this.shared) await this.store.writer.write(async () => undefined);
  }

  /** Applies, in order, every decision and graph event recorded after what this state holds. */
  private applyTail(tail: TailEntry[]): void {
    const world = this.current;
    for (const entry of tail) {
      if (entry.decision) {
        const r = recordedFromRow(entry.decision);
        world.apply(r);
        const [key, hash, response] = entry.decision.slice(13, 16);
        if (key !== null) this.answers.remember(r.senderId, String(key), r.seq, r.at, String(hash), String(response));
        world.restoreSeq(r.seq);
        continue;
      }
      const { seq, at, json } = entry.event;
      const event = JSON.parse(json) as GraphEvent;
      if (event.kind === 'import') {
        // Its rows are in the tables, not the journal: the state is read again, outside this batch's
        // transaction (which holds the server's write lock), and the batch runs after.
        throw new StaleState(`another instance imported a graph (event ${seq})`);
      }
      applyGraphEvent(world, event, at, seq);
      world.restoreSeq(seq);
    }
  }
}

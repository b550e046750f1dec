/**
 * The decision state a running service decides on, and its rebuilding: once at start, and again
 * whenever a writer batch did not commit (its jobs had already moved the state on).
 */
import type { Store } from '../../db/client.ts';
import { IdempotencyMemory } from '../decisions/idempotency.ts';
import { rebuildWorld, type RebuildFigures } from './rebuild.ts';
import type { DecisionWorld } from './world.ts';

export class LiveState {
  private constructor(
    private readonly store: Store,
    private current: DecisionWorld,
    private answers: IdempotencyMemory,
    private rebuilt: RebuildFigures,
  ) {}

  /** Rebuilds the state from the database and keeps it rebuilt after every batch that rolls back. */
  static async open(store: Store): Promise<LiveState> {
    const idempotency = new IdempotencyMemory();
    const { world, figures } = await rebuildWorld(store, idempotency);
    const state = new LiveState(store, world, idempotency, figures);
    store.writer.onRollback(() => state.rebuild());
    return state;
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
    const idempotency = new IdempotencyMemory();
    const { world, figures } = await rebuildWorld(this.store, idempotency);
    this.current = world;
    this.answers = idempotency;
    this.rebuilt = figures;
  }
}

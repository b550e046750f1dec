/**
 * What every log indexer does with nothing to index (db/log-indexer.ts, db/shared-log-indexer.ts):
 * once caught up it runs no round for 500 ms — ten of the idle waits a polling indexer would have
 * run — and the next decision is indexed long before the quiet wait is over (the service is started
 * with `logIndexer: { idleMs: 50, quietMs: 60_000 }`), so it was the decision that woke it.
 */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestService } from './service.ts';
import { at, minutes, world } from './world.ts';

export async function expectQuietIndexerWokenByDecisions(s: TestService): Promise<void> {
  const w = world(s);
  await w.follow('quiet-bob', 'quiet-alice');
  const { indexer } = s.service.store;
  await indexer.caughtUp();
  const before = indexer.progress()!;
  expect(before.caughtUp).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(indexer.progress()!.round).toBe(before.round);
  expect((await w.send({ senderId: 'quiet-alice', recipientIds: ['quiet-bob'], text: 'hello' }, at(minutes(1)))).decision).toBe('allow');
  const [{ seq }] = await s.service.store.db.all<{ seq: number }>(sql`select max(seq) as seq from decision_log`);
  await expect.poll(() => indexer.progress()!.indexedThrough, { timeout: 10_000 }).toBe(seq);
}

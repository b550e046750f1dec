// The log indexer of instances on one libSQL server (db/shared-log-indexer.ts): its rounds are
// transactions on the server, so one that found nothing waits for the writer's next commit instead of
// taking the server's write lock every idle wait. sqld is started by the test; under CI=true a missing
// binary fails the run.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../support/prerequisite.ts';
import type { TestService } from '../support/service.ts';
import { findSqld, startServiceOn, startSqld, type Sqld } from '../support/sqld.ts';
import { at, minutes, world } from '../support/world.ts';

const binary = findSqld();
const skipped = skipWithout('test/scale/shared-log-indexer.test.ts', binary.missing);
const title = (what: string) => (skipped ? `${what} — SKIPPED: ${binary.missing}` : what);

describe.skipIf(skipped)(title('the log indexer on a libSQL server, with nothing to index'), () => {
  let server: Sqld;
  let s: TestService;

  // Rounds 50 ms apart while rows arrive; a quiet spell waited out for a minute unless a decision is made.
  beforeAll(async () => {
    server = await startSqld();
    s = await startServiceOn(server.url.replace('http:', 'ws:'), { preset: 'x-2023', logIndexer: { idleMs: 50, quietMs: 60_000 } });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await server?.stop();
  });

  it('waits for the next decision instead of polling the server, and indexes the next decision it is told of', async () => {
    const w = world(s);
    await w.follow('quiet-bob', 'quiet-alice');
    const { indexer } = s.service.store;
    await indexer.caughtUp();
    const before = indexer.progress()!;
    expect(before.caughtUp).toBe(true);
    // Ten idle waits' worth of time: an indexer polling every 50 ms would have run ~10 rounds.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(indexer.progress()!.round).toBe(before.round);
    expect((await w.send({ senderId: 'quiet-alice', recipientIds: ['quiet-bob'], text: 'hello' }, at(minutes(1)))).decision).toBe('allow');
    const [{ seq }] = await s.service.store.db.all<{ seq: number }>(sql`select max(seq) as seq from decision_log`);
    // Indexed long before the minute's quiet wait is over: the decision woke the indexer.
    await expect.poll(() => indexer.progress()!.indexedThrough, { timeout: 10_000 }).toBe(seq);
  });
});

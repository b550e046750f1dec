// The log indexer of instances on one libSQL server (db/shared-log-indexer.ts): its rounds are
// transactions on the server, so one that found nothing waits for the next decision instead of
// taking the server's write lock every idle wait. sqld is started by the test; under CI=true a missing
// binary fails the run.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { skipWithout } from '../support/prerequisite.ts';
import { expectQuietIndexerWokenByDecisions } from '../support/quiet-indexer.ts';
import type { TestService } from '../support/service.ts';
import { findSqld, startServiceOn, startSqld, type Sqld } from '../support/sqld.ts';

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
    await expectQuietIndexerWokenByDecisions(s);
  });
});

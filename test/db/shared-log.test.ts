// The tail that instances on one libSQL server read of each other's records (db/stores/shared-log.ts),
// against a real sqld: decisions and graph events whose numbers interleave come back in the recorded
// order, each once, with the values the state folds. Applied out of order, a tail would leave an
// instance's last number behind a decision it already applied, and the next read would count it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.ts';
import { appendDecision, type DecisionLogRow } from '../../db/stores/decision-log.ts';
import { appendGraphEvent, sharedTailEntries, sharedTailStatement } from '../../db/stores/shared-log.ts';
import { runStatements } from '../../db/statements.ts';
import { recordedFromRow } from '../../server/state/rebuild.ts';
import { skipWithout } from '../support/prerequisite.ts';
import { findSqld, startSqld, type Sqld } from '../support/sqld.ts';

const binary = findSqld();
const skipped = skipWithout('test/db/shared-log.test.ts', binary.missing);
const title = skipped ? `the shared log's tail — SKIPPED: ${binary.missing}` : "the shared log's tail";

/** A delivered direct message from `sender` to `recipient`, logged at `seq`. */
function logRow(seq: number, sender: string, recipient: string): DecisionLogRow {
  return {
    seq, id: `d${seq}`, at: 1_000 + seq, senderId: sender, recipientIds: [recipient], kind: 'direct', channel: 'app', appId: null,
    conversationId: `dm:${sender}:${recipient}`, decision: 'allow', reason: 'allowed', rule: null, policy: 'dm', version: 'x-2023',
    experimentId: null, arm: null, textFingerprint: null, fingerprints: [`text:${seq}`], textLength: 5, request: {}, facts: '[]',
    sendId: `s${seq}`, counted: true, apiRequest: false, cooldownUntil: null, fingerprintTarget: recipient,
    idempotencyKey: null, requestHash: null, response: null, shadows: null,
  };
}

describe.skipIf(skipped)(title, () => {
  let server: Sqld;
  let store: Store;

  beforeAll(async () => {
    server = await startSqld();
    store = await openStore({ url: server.url.replace('http:', 'ws:'), indexer: { idleMs: 60_000, quietMs: 60_000 } });
    // Decisions at 1, 3 and 5; graph events at 2 and 4 — as two instances interleave them.
    await store.writer.write(async (tx) => {
      await runStatements(tx, [logRow(1, 'a', 'b'), logRow(3, 'b', 'a'), logRow(5, 'a', 'c')].map(appendDecision));
      await appendGraphEvent(tx, 2, 1_002, JSON.stringify({ kind: 'block', from: 'c', to: 'a' }));
      await appendGraphEvent(tx, 4, 1_004, JSON.stringify({ kind: 'unblock', from: 'c', to: 'a' }));
    });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  const tail = async (after: number) => sharedTailEntries(await store.readBetweenBatches!(sharedTailStatement(after)));
  const seqOf = (entry: Awaited<ReturnType<typeof tail>>[number]) => (entry.decision ? Number(entry.decision[0]) : entry.event!.seq);

  it('answers decisions and graph events in the recorded order, each once', async () => {
    const entries = await tail(0);
    expect(entries.map(seqOf)).toEqual([1, 2, 3, 4, 5]);
    expect(entries.map((e) => (e.decision ? 'decision' : 'event'))).toEqual(['decision', 'event', 'decision', 'event', 'decision']);
    expect((await tail(3)).map(seqOf)).toEqual([4, 5]);
    expect(await tail(5)).toEqual([]);
  });

  it('carries the values the state folds: a decision as it was logged, an event as it was journaled', async () => {
    const [first, block] = await tail(0);
    expect(recordedFromRow(first.decision!)).toEqual({
      seq: 1, at: 1_001, senderId: 'a', appId: null, kind: 'direct', recipientIds: ['b'], admitted: true, conversationId: 'dm:a:b',
      counted: true, apiRequest: false, cooldownUntil: null, fingerprints: ['text:1'], fingerprintTarget: 'b',
    });
    expect(block.event).toEqual({ seq: 2, at: 1_002, json: JSON.stringify({ kind: 'block', from: 'c', to: 'a' }) });
  });
});

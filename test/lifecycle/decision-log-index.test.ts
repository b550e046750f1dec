// A search by account reads the log by account (decision_log_accounts, built off the decision path by the
// log indexer) and the log itself for the rows not indexed yet: every filter — rule, kind, channel — must
// hold on both, and the answer says how far the index reaches.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectQuietIndexerWokenByDecisions } from '../support/quiet-indexer.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, minutes, world } from '../support/world.ts';

describe('decision-log search by account, indexed and not yet indexed', () => {
  let s: TestService;
  type Page = { items: Array<{ at: string; sender: string; recipients: string[]; kind: string; channel: string; rule: string | null }>; index: { indexedThrough: number; pending: number } };
  const search = async (query: Record<string, string>): Promise<Page> => {
    const res = await s.call('GET', `/v1/decisions?${new URLSearchParams(query)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const times = (page: Page) => page.items.map((e) => e.at);

  // The same three sends twice: ix-alice → ix-bob on the web (allowed: bob follows her), ix-alice → ix-dave
  // (denied by `block`), and a group ix-alice creates with ix-bob from the app. The first three are indexed,
  // the last three are recorded after the indexer stopped.
  const round = async (w: ReturnType<typeof world>, start: number) => {
    expect((await w.dm('ix-alice', 'ix-bob', at(minutes(start)))).decision).toBe('allow');
    expect((await w.dm('ix-alice', 'ix-dave', at(minutes(start + 1)))).rule).toBe('block');
    const group = await w.send({ senderId: 'ix-alice', recipientIds: ['ix-bob'], kind: 'group_create', channel: 'app', text: 'hi both' }, at(minutes(start + 2)));
    expect(group.decision).toBe('allow');
  };

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const w = world(s);
    await w.follow('ix-bob', 'ix-alice');
    await w.block('ix-dave', 'ix-alice');
    await round(w, 1);
    await s.service.store.indexer.caughtUp();
    await s.service.store.indexer.stop();
    await round(w, 11);
  });
  afterAll(async () => { await s.close(); });

  it('says how far the log by account reaches and how many entries are read from the log itself', async () => {
    const page = await search({ account: 'ix-alice' });
    expect(page.items).toHaveLength(6);
    expect(page.index.pending).toBe(3);
    // The indexer stopped right after the first round's last decision (graph writes take sequence numbers too).
    const [{ seq }] = await s.service.store.db.all<{ seq: number }>(sql`select max(seq) as seq from decision_log where at < ${at(minutes(10)).getTime()}`);
    expect(page.index.indexedThrough).toBe(seq);
  });

  it('filters by deciding rule on both', async () => {
    expect(times(await search({ account: 'ix-alice', rule: 'block' }))).toEqual([at(minutes(12)), at(minutes(2))].map((d) => d.toISOString()));
  });

  it('filters by kind on both, as sender and as recipient', async () => {
    expect(times(await search({ account: 'ix-alice', kind: 'group_create' }))).toEqual([at(minutes(13)), at(minutes(3))].map((d) => d.toISOString()));
    expect(times(await search({ recipient: 'ix-bob', kind: 'direct' }))).toEqual([at(minutes(11)), at(minutes(1))].map((d) => d.toISOString()));
  });

  it('filters by channel on both, alone and with kind', async () => {
    expect(times(await search({ sender: 'ix-alice', channel: 'app' }))).toEqual([at(minutes(13)), at(minutes(3))].map((d) => d.toISOString()));
    expect(times(await search({ account: 'ix-alice', kind: 'direct', channel: 'web' })))
      .toEqual([at(minutes(12)), at(minutes(11)), at(minutes(2)), at(minutes(1))].map((d) => d.toISOString()));
    expect((await search({ account: 'ix-alice', channel: 'sms' })).items).toEqual([]);
  });
});

describe('waiting for the log indexer', () => {
  let s: TestService;
  // An idle wait of an hour: only a request from caughtUp can make the thread index what follows its first round.
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023', logIndexer: { idleMs: 3_600_000 } }); });
  afterAll(async () => { await s.close(); });

  it('indexes what was committed before caughtUp was called, at once, not at the end of the idle wait', async () => {
    const w = world(s);
    await w.follow('wait-bob', 'wait-alice');
    await s.service.store.indexer.caughtUp();
    for (let i = 0; i < 3; i++) expect((await w.send({ senderId: 'wait-alice', recipientIds: ['wait-bob'], text: `hello ${i}` }, at(minutes(i)))).decision).toBe('allow');
    const [{ seq }] = await s.service.store.db.all<{ seq: number }>(sql`select max(seq) as seq from decision_log`);
    await s.service.store.indexer.caughtUp();
    expect(s.service.store.indexer.progress()?.indexedThrough).toBe(seq);
    const res = await s.call('GET', '/v1/decisions?account=wait-bob');
    expect(res.body.index).toMatchObject({ indexedThrough: seq, pending: 0 });
    expect(res.body.items).toHaveLength(3);
  });
});

describe('a log indexer with nothing to index', () => {
  let s: TestService;
  // Rounds 50 ms apart while rows arrive (the default); a quiet spell waited out for a minute unless woken.
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023', logIndexer: { idleMs: 50, quietMs: 60_000 } }); });
  afterAll(async () => { await s.close(); });

  it('waits for the next decision instead of polling, and indexes the next decision it is told of', async () => {
    await expectQuietIndexerWokenByDecisions(s);
  });
});

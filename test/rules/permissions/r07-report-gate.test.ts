// Seed 000 (X help, 2023): "Select Report.Confirm your choice.The account will not be able to send you a message until
// you send them a message first."
// R7 (DESIGN §1, x-2023 only): after the recipient reports the sender, the sender can't message them until the
// recipient messages the sender first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unfoldPairHistory } from '../../support/indexer.ts';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, minutes, world } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, useService, type World } from './helpers.ts';

const REPORTED = deny('reported_by_recipient', 'report-gate');

describe('R7 report gate — x-2023', () => {
  const ctx = useService('x-2023');

  it('admits a stranger to an "everyone" inbox before any report', async () => {
    const { w } = ctx;
    await w.account('r7a-rcpt', { inbox: 'everyone' });
    expectDecision(await w.dm('r7a-sndr', 'r7a-rcpt', at(0)), ALLOWED);
  });

  it('after the recipient reports the sender, the sender is denied even to an "everyone" inbox', async () => {
    const { w } = ctx;
    await w.account('r7b-rcpt', { inbox: 'everyone' });
    expectDecision(await w.dm('r7b-sndr', 'r7b-rcpt', at(0)), ALLOWED);
    await w.report('r7b-rcpt', 'r7b-sndr', at(minutes(1)));
    const refused = await w.dm('r7b-sndr', 'r7b-rcpt', at(minutes(2)));
    expectDecision(refused, REPORTED);
    expect(refused.sendId).toBeNull();
  });

  it('the report gate wins over a prior conversation and over the recipient following the sender', async () => {
    const { w } = ctx;
    await w.account('r7c-sndr', { inbox: 'everyone' });
    await w.follow('r7c-rcpt', 'r7c-sndr');
    // The recipient had written to the sender: a prior conversation (R5).
    expect((await w.dm('r7c-rcpt', 'r7c-sndr', at(0))).decision).toBe('allow');
    expectDecision(await w.dm('r7c-sndr', 'r7c-rcpt', at(minutes(1))), ALLOWED);
    await w.report('r7c-rcpt', 'r7c-sndr', at(minutes(2)));
    expectDecision(await w.dm('r7c-sndr', 'r7c-rcpt', at(minutes(3))), REPORTED);
  });

  it('the gate lifts once the recipient messages the sender', async () => {
    const { w } = ctx;
    await w.account('r7d-rcpt', { inbox: 'everyone' });
    await w.account('r7d-sndr', { inbox: 'everyone' });
    await w.report('r7d-rcpt', 'r7d-sndr', at(minutes(1)));
    expectDecision(await w.dm('r7d-sndr', 'r7d-rcpt', at(minutes(2))), REPORTED);
    // The reporter can still write to the reported account ...
    expectDecision(await w.dm('r7d-rcpt', 'r7d-sndr', at(minutes(3))), ALLOWED);
    // ... and having done so, lifts the gate.
    expectDecision(await w.dm('r7d-sndr', 'r7d-rcpt', at(minutes(4))), ALLOWED);
  });

  it('boundary: a message from the recipient before the report does not lift it', async () => {
    const { w } = ctx;
    await w.account('r7e-rcpt', { inbox: 'everyone' });
    await w.account('r7e-sndr', { inbox: 'everyone' });
    expectDecision(await w.dm('r7e-rcpt', 'r7e-sndr', at(0)), ALLOWED);
    await w.report('r7e-rcpt', 'r7e-sndr', at(minutes(1)));
    expectDecision(await w.dm('r7e-sndr', 'r7e-rcpt', at(minutes(2))), REPORTED);
  });

  it('the sender\'s own attempts or time passing do not lift it', async () => {
    const { w } = ctx;
    await w.account('r7f-rcpt', { inbox: 'everyone' });
    await w.report('r7f-rcpt', 'r7f-sndr', at(0));
    expectDecision(await w.dm('r7f-sndr', 'r7f-rcpt', at(minutes(1))), REPORTED);
    expectDecision(await w.dm('r7f-sndr', 'r7f-rcpt', at(minutes(60 * 24 * 40))), REPORTED);
  });

  it('reporting again after the gate lifted closes it again', async () => {
    const { w } = ctx;
    await w.account('r7g-rcpt', { inbox: 'everyone' });
    await w.account('r7g-sndr', { inbox: 'everyone' });
    await w.report('r7g-rcpt', 'r7g-sndr', at(minutes(1)));
    expectDecision(await w.dm('r7g-rcpt', 'r7g-sndr', at(minutes(2))), ALLOWED);
    expectDecision(await w.dm('r7g-sndr', 'r7g-rcpt', at(minutes(3))), ALLOWED);
    await w.report('r7g-rcpt', 'r7g-sndr', at(minutes(4)));
    expectDecision(await w.dm('r7g-sndr', 'r7g-rcpt', at(minutes(5))), REPORTED);
  });

  // Issue 10: events that share a timestamp keep their arrival order.
  it('same millisecond: the recipient reports the sender, then messages them — the gate is lifted', async () => {
    const { w } = ctx;
    await w.account('r7i-rcpt', { inbox: 'everyone' });
    await w.account('r7i-sndr', { inbox: 'everyone' });
    const now = at(minutes(1));
    await w.report('r7i-rcpt', 'r7i-sndr', now);
    expectDecision(await w.dm('r7i-sndr', 'r7i-rcpt', now), REPORTED);
    expectDecision(await w.dm('r7i-rcpt', 'r7i-sndr', now), ALLOWED);
    expectDecision(await w.dm('r7i-sndr', 'r7i-rcpt', now), ALLOWED);
  });

  it('same millisecond, the other order: the recipient messages the sender, then reports them — the gate is shut', async () => {
    const { w } = ctx;
    await w.account('r7j-rcpt', { inbox: 'everyone' });
    await w.account('r7j-sndr', { inbox: 'everyone' });
    const now = at(minutes(1));
    expectDecision(await w.dm('r7j-rcpt', 'r7j-sndr', now), ALLOWED);
    await w.report('r7j-rcpt', 'r7j-sndr', now);
    expectDecision(await w.dm('r7j-sndr', 'r7j-rcpt', now), REPORTED);
    expectDecision(await w.dm('r7j-sndr', 'r7j-rcpt', at(minutes(2))), REPORTED);
  });

  it('the gate is per pair: the reported account can still message others, and others can still message the reporter', async () => {
    const { w } = ctx;
    await w.account('r7h-rcpt', { inbox: 'everyone' });
    await w.account('r7h-third', { inbox: 'everyone' });
    await w.report('r7h-rcpt', 'r7h-sndr', at(0));
    expectDecision(await w.dm('r7h-sndr', 'r7h-third', at(minutes(1))), ALLOWED);
    expectDecision(await w.dm('r7h-other', 'r7h-rcpt', at(minutes(1))), ALLOWED);
  });
});

describe.each([
  ['as the log indexer folded the messages', false],
  ['from the log itself, as if the indexer had not folded them (a crash)', true],
])('R7 report gate — same millisecond, rebuilt after a restart on the same database, %s', (_, unfold) => {
  let dir: string;
  let s: TestService;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'dm-policy-r7-restart-')); });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The pair whose recipient reported and then wrote in the same millisecond (lifted), and the reverse (shut). */
  async function sameMillisecond(w: World, now: Date) {
    for (const id of ['r7k-rcpt', 'r7k-sndr', 'r7l-rcpt', 'r7l-sndr']) await w.account(id, { inbox: 'everyone' });
    await w.report('r7k-rcpt', 'r7k-sndr', now);
    expectDecision(await w.dm('r7k-rcpt', 'r7k-sndr', now), ALLOWED);
    expectDecision(await w.dm('r7l-rcpt', 'r7l-sndr', now), ALLOWED);
    await w.report('r7l-rcpt', 'r7l-sndr', now);
  }

  it('report then message stays lifted, message then report stays shut: the state is rebuilt in recorded order', async () => {
    const databaseUrl = `file:${join(dir, 'test.db')}`;
    const now = at(minutes(1));
    s = await startTestService({ preset: 'x-2023', databaseUrl });
    await sameMillisecond(world(s), now);
    // Checks record nothing: the log the next start reads is the one the sends above left.
    expectDecision(await world(s).check({ senderId: 'r7k-sndr', recipientIds: ['r7k-rcpt'], text: 'hi' }, now), ALLOWED);
    expectDecision(await world(s).check({ senderId: 'r7l-sndr', recipientIds: ['r7l-rcpt'], text: 'hi' }, now), REPORTED);
    await s.close();
    if (unfold) await unfoldPairHistory(databaseUrl);

    s = await startTestService({ preset: 'x-2023', databaseUrl });
    const w = world(s);
    expectDecision(await w.dm('r7k-sndr', 'r7k-rcpt', now), ALLOWED);
    expectDecision(await w.dm('r7l-sndr', 'r7l-rcpt', now), REPORTED);
    // And what follows the restart takes its place after what came before it.
    await w.report('r7k-rcpt', 'r7k-sndr', now);
    expectDecision(await w.dm('r7k-sndr', 'r7k-rcpt', now), REPORTED);
    expectDecision(await w.dm('r7l-rcpt', 'r7l-sndr', now), ALLOWED);
    expectDecision(await w.dm('r7l-sndr', 'r7l-rcpt', now), ALLOWED);
  });
});

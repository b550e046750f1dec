// Seed 000 (X help, 2023): "Blocked accounts cannot send you messages, unless you unblock them."
// R1 (DESIGN §1): a block in either direction denies; unblock restores. Applies in every preset.
import { describe, expect, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, allPresets, deny, expectDecision, useService } from './helpers.ts';

const BLOCKED = deny('blocked', 'block');

describe.each(allPresets)('R1 block — %s', (preset) => {
  const ctx = useService(preset);

  it('admits a send to a recipient who follows the sender (no block)', async () => {
    const { w } = ctx;
    await w.follow('r1a-rcpt', 'r1a-sndr');
    expectDecision(await w.dm('r1a-sndr', 'r1a-rcpt', at(0)), ALLOWED);
  });

  it('denies when the recipient blocks the sender, and unblocking restores', async () => {
    const { w } = ctx;
    await w.follow('r1b-rcpt', 'r1b-sndr');
    await w.block('r1b-rcpt', 'r1b-sndr');
    const refused = await w.dm('r1b-sndr', 'r1b-rcpt', at(minutes(1)));
    expectDecision(refused, BLOCKED);
    expect(refused.sendId).toBeNull();

    await w.unblock('r1b-rcpt', 'r1b-sndr');
    expectDecision(await w.dm('r1b-sndr', 'r1b-rcpt', at(minutes(2))), ALLOWED);
  });

  it('denies when the sender blocks the recipient (either direction), and unblocking restores', async () => {
    const { w } = ctx;
    await w.follow('r1c-rcpt', 'r1c-sndr');
    await w.block('r1c-sndr', 'r1c-rcpt');
    expectDecision(await w.dm('r1c-sndr', 'r1c-rcpt', at(minutes(1))), BLOCKED);

    await w.unblock('r1c-sndr', 'r1c-rcpt');
    expectDecision(await w.dm('r1c-sndr', 'r1c-rcpt', at(minutes(2))), ALLOWED);
  });

  it('a block also stops the blocker messaging the blocked account', async () => {
    const { w } = ctx;
    await w.follow('r1d-a', 'r1d-b');
    await w.follow('r1d-b', 'r1d-a');
    await w.block('r1d-a', 'r1d-b');
    expectDecision(await w.dm('r1d-a', 'r1d-b', at(minutes(1))), BLOCKED);
    expectDecision(await w.dm('r1d-b', 'r1d-a', at(minutes(1))), BLOCKED);
  });

  it('with mutual blocks, one unblock is not enough; the second restores', async () => {
    const { w } = ctx;
    await w.follow('r1e-rcpt', 'r1e-sndr');
    await w.block('r1e-rcpt', 'r1e-sndr');
    await w.block('r1e-sndr', 'r1e-rcpt');
    await w.unblock('r1e-rcpt', 'r1e-sndr');
    expectDecision(await w.dm('r1e-sndr', 'r1e-rcpt', at(minutes(1))), BLOCKED);
    await w.unblock('r1e-sndr', 'r1e-rcpt');
    expectDecision(await w.dm('r1e-sndr', 'r1e-rcpt', at(minutes(2))), ALLOWED);
  });

  it('a block wins over every admitting state (follow, prior conversation)', async () => {
    const { w } = ctx;
    // Both follow each other and have exchanged messages: every admitting path is open.
    await w.follow('r1f-rcpt', 'r1f-sndr');
    await w.follow('r1f-sndr', 'r1f-rcpt');
    expect((await w.dm('r1f-rcpt', 'r1f-sndr', at(0))).decision).toBe('allow');
    expect((await w.dm('r1f-sndr', 'r1f-rcpt', at(minutes(1)))).decision).toBe('allow');
    await w.block('r1f-rcpt', 'r1f-sndr', at(minutes(2)));
    expectDecision(await w.dm('r1f-sndr', 'r1f-rcpt', at(minutes(3))), BLOCKED);
  });
});

describe('R1 block — x-2023: a block wins over inbox "everyone"', () => {
  const ctx = useService('x-2023');

  it('a stranger is admitted by inbox everyone until the recipient blocks them', async () => {
    const { w } = ctx;
    await w.account('r1x-rcpt', { inbox: 'everyone' });
    expectDecision(await w.dm('r1x-sndr', 'r1x-rcpt', at(0)), ALLOWED);
    await w.block('r1x-rcpt', 'r1x-sndr', at(minutes(1)));
    expectDecision(await w.dm('r1x-sndr', 'r1x-rcpt', at(minutes(2))), BLOCKED);
    await w.unblock('r1x-rcpt', 'r1x-sndr', at(minutes(3)));
    expectDecision(await w.dm('r1x-sndr', 'r1x-rcpt', at(minutes(4))), ALLOWED);
  });
});

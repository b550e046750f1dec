// Seed 002 (blog about X DMs): "In some cases, the recipient's Twitter account may have been temporarily
// suspended or restricted, affecting their ability to receive DMs."
// R2 (DESIGN §1): a suspended or restricted account can't receive (nor send); un-suspending restores. Every preset.
import { describe, expect, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, allPresets, deny, expectDecision, useService } from './helpers.ts';

const RECIPIENT_SUSPENDED = deny('recipient_suspended', 'recipient-suspended');
const SENDER_SUSPENDED = deny('sender_suspended', 'sender-suspended');

describe.each(allPresets)('R2 suspended accounts — %s', (preset) => {
  const ctx = useService(preset);

  it('admits a send to an active recipient who follows the sender', async () => {
    const { w } = ctx;
    await w.account('r2a-rcpt', { suspended: false });
    await w.follow('r2a-rcpt', 'r2a-sndr');
    expectDecision(await w.dm('r2a-sndr', 'r2a-rcpt', at(0)), ALLOWED);
  });

  it('denies a send to a suspended recipient, and un-suspending restores', async () => {
    const { w } = ctx;
    await w.follow('r2b-rcpt', 'r2b-sndr');
    await w.account('r2b-rcpt', { suspended: true });
    const refused = await w.dm('r2b-sndr', 'r2b-rcpt', at(minutes(1)));
    expectDecision(refused, RECIPIENT_SUSPENDED);
    expect(refused.sendId).toBeNull();

    await w.account('r2b-rcpt', { suspended: false });
    expectDecision(await w.dm('r2b-sndr', 'r2b-rcpt', at(minutes(2))), ALLOWED);
  });

  it('denies a suspended sender, and un-suspending restores', async () => {
    const { w } = ctx;
    await w.follow('r2c-rcpt', 'r2c-sndr');
    await w.account('r2c-sndr', { suspended: true });
    expectDecision(await w.dm('r2c-sndr', 'r2c-rcpt', at(minutes(1))), SENDER_SUSPENDED);

    await w.account('r2c-sndr', { suspended: false });
    expectDecision(await w.dm('r2c-sndr', 'r2c-rcpt', at(minutes(2))), ALLOWED);
  });

  it('suspension outranks a block (priority 1000 over 990)', async () => {
    const { w } = ctx;
    await w.follow('r2d-rcpt', 'r2d-sndr');
    await w.block('r2d-rcpt', 'r2d-sndr');
    await w.account('r2d-rcpt', { suspended: true });
    expectDecision(await w.dm('r2d-sndr', 'r2d-rcpt', at(minutes(1))), RECIPIENT_SUSPENDED);
  });

  it('both suspended: equal priority, the earlier rule in the document (sender-suspended) decides', async () => {
    const { w } = ctx;
    await w.follow('r2e-rcpt', 'r2e-sndr');
    await w.account('r2e-sndr', { suspended: true });
    await w.account('r2e-rcpt', { suspended: true });
    expectDecision(await w.dm('r2e-sndr', 'r2e-rcpt', at(minutes(1))), SENDER_SUSPENDED);
    // The recipient is lifted: the sender's own suspension still denies.
    await w.account('r2e-rcpt', { suspended: false });
    expectDecision(await w.dm('r2e-sndr', 'r2e-rcpt', at(minutes(2))), SENDER_SUSPENDED);
  });

  it('updating another field keeps the suspension (a PUT changes only the fields it names)', async () => {
    const { w } = ctx;
    await w.follow('r2f-rcpt', 'r2f-sndr');
    await w.account('r2f-rcpt', { suspended: true });
    await w.account('r2f-rcpt', { verified: true });
    expectDecision(await w.dm('r2f-sndr', 'r2f-rcpt', at(minutes(1))), RECIPIENT_SUSPENDED);
  });
});

describe('R2 suspended recipient — x-2023: inbox "everyone" does not admit', () => {
  const ctx = useService('x-2023');

  it('a suspended recipient with inbox everyone still cannot receive', async () => {
    const { w } = ctx;
    await w.account('r2x-rcpt', { inbox: 'everyone', suspended: true });
    expectDecision(await w.dm('r2x-sndr', 'r2x-rcpt', at(0)), RECIPIENT_SUSPENDED);
    await w.account('r2x-rcpt', { suspended: false });
    expectDecision(await w.dm('r2x-sndr', 'r2x-rcpt', at(minutes(1))), ALLOWED);
  });
});

// Seed 000 (X help, 2023): "If you previously had a conversation with a person through Direct Message, that person is
// able to message you regardless of if you follow them or not. Disabling the Receive Direct Messages from anyone setting
// does not stop accounts from messaging you whom you have previously had conversations with and do not follow."
// Seed 004 (forum): "Y has already sent a message to X".
// R5 (DESIGN §1, x-2023 and x-api-v2): once the recipient has messaged the sender (or accepted a request), the sender
// may message them regardless of follow or setting.
import { describe, expect, it } from 'vitest';
import { at, hours, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, request, useService } from './helpers.ts';

const MESSAGE_REQUEST = request('message_request', 'inbox-setting');
const NOT_FOLLOWING = deny('recipient_not_following', 'follow-gate');
const REPLY_WINDOW = { decision: 'allow', reason: 'reply_window', rule: 'reply-window' } as const;

describe('R5 prior conversation — x-2023', () => {
  const ctx = useService('x-2023');

  it('after the recipient messaged the sender, a non-follower may message a "following" inbox', async () => {
    const { w } = ctx;
    // The recipient (default inbox following) does not follow the sender.
    expectDecision(await w.dm('r5a-sndr', 'r5a-rcpt', at(0)), MESSAGE_REQUEST);
    await w.account('r5a-sndr', { inbox: 'everyone' }); // so that the recipient's message to the sender is delivered
    expect((await w.dm('r5a-rcpt', 'r5a-sndr', at(minutes(1)))).decision).toBe('allow');
    expectDecision(await w.dm('r5a-sndr', 'r5a-rcpt', at(minutes(2))), ALLOWED);
    // It lasts: no time limit in x-2023.
    expectDecision(await w.dm('r5a-sndr', 'r5a-rcpt', at(hours(24 * 30))), ALLOWED);
  });

  it('the recipient\'s message counts even if it was itself delivered as a request', async () => {
    const { w } = ctx;
    // Neither follows the other, both inboxes "following": the recipient's message lands in the sender's requests.
    expectDecision(await w.dm('r5b-rcpt', 'r5b-sndr', at(0)), MESSAGE_REQUEST);
    expectDecision(await w.dm('r5b-sndr', 'r5b-rcpt', at(minutes(1))), ALLOWED);
  });

  it('accepting the sender\'s request counts as a prior conversation', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r5c-sndr', 'r5c-rcpt', at(0)), MESSAGE_REQUEST);
    await w.accept('r5c-rcpt', 'r5c-sndr', at(minutes(1)));
    expectDecision(await w.dm('r5c-sndr', 'r5c-rcpt', at(minutes(2))), ALLOWED);
  });

  it('disabling "everyone" later does not stop an account the recipient had a conversation with', async () => {
    const { w } = ctx;
    await w.account('r5d-rcpt', { inbox: 'everyone' });
    await w.account('r5d-sndr', { inbox: 'everyone' });
    expectDecision(await w.dm('r5d-sndr', 'r5d-rcpt', at(0)), ALLOWED);
    expect((await w.dm('r5d-rcpt', 'r5d-sndr', at(minutes(1)))).decision).toBe('allow'); // the recipient replied
    await w.account('r5d-rcpt', { inbox: 'following' }, at(minutes(2)));
    expectDecision(await w.dm('r5d-sndr', 'r5d-rcpt', at(minutes(3))), ALLOWED);
  });

  it('boundary: an account that only wrote to the recipient (never answered) is stopped by disabling "everyone"', async () => {
    const { w } = ctx;
    await w.account('r5e-rcpt', { inbox: 'everyone' });
    expectDecision(await w.dm('r5e-sndr', 'r5e-rcpt', at(0)), ALLOWED);
    await w.account('r5e-rcpt', { inbox: 'following' }, at(minutes(1)));
    expectDecision(await w.dm('r5e-sndr', 'r5e-rcpt', at(minutes(2))), MESSAGE_REQUEST);
  });

  it('a conversation with one account admits no other account', async () => {
    const { w } = ctx;
    await w.accept('r5f-rcpt', 'r5f-sndr');
    expectDecision(await w.dm('r5f-sndr', 'r5f-rcpt', at(0)), ALLOWED);
    expectDecision(await w.dm('r5f-other', 'r5f-rcpt', at(0)), MESSAGE_REQUEST);
  });

  it('a prior conversation does not override a block', async () => {
    const { w } = ctx;
    await w.accept('r5g-rcpt', 'r5g-sndr');
    await w.block('r5g-rcpt', 'r5g-sndr', at(minutes(1)));
    expectDecision(await w.dm('r5g-sndr', 'r5g-rcpt', at(minutes(2))), deny('blocked', 'block'));
  });
});

describe('R5 prior conversation — x-api-v2', () => {
  const ctx = useService('x-api-v2');

  it('after the recipient messaged the sender, the sender may message a non-follower', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r5h-sndr', 'r5h-rcpt', at(0)), NOT_FOLLOWING);
    await w.follow('r5h-sndr', 'r5h-rcpt'); // the recipient's message to the sender needs the sender to follow them
    expect((await w.dm('r5h-rcpt', 'r5h-sndr', at(minutes(1)))).decision).toBe('allow');
    expectDecision(await w.dm('r5h-sndr', 'r5h-rcpt', at(minutes(2))), REPLY_WINDOW);
    // Outside the 24 h reply window the conversation still admits (counted against the daily cap).
    expectDecision(await w.dm('r5h-sndr', 'r5h-rcpt', at(hours(26))), ALLOWED);
  });

  it('accepting the sender\'s request counts as a prior conversation', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r5i-sndr', 'r5i-rcpt', at(0)), NOT_FOLLOWING);
    await w.accept('r5i-rcpt', 'r5i-sndr', at(minutes(1)));
    expectDecision(await w.dm('r5i-sndr', 'r5i-rcpt', at(minutes(2))), ALLOWED);
  });

  it('a conversation with one account admits no other account', async () => {
    const { w } = ctx;
    await w.accept('r5j-rcpt', 'r5j-sndr');
    expectDecision(await w.dm('r5j-sndr', 'r5j-rcpt', at(0)), ALLOWED);
    expectDecision(await w.dm('r5j-other', 'r5j-rcpt', at(0)), NOT_FOLLOWING);
  });

  it('a prior conversation does not override a block', async () => {
    const { w } = ctx;
    await w.accept('r5k-rcpt', 'r5k-sndr');
    await w.block('r5k-sndr', 'r5k-rcpt', at(minutes(1)));
    expectDecision(await w.dm('r5k-sndr', 'r5k-rcpt', at(minutes(2))), deny('blocked', 'block'));
  });
});

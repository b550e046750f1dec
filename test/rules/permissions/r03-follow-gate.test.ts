// Seed 001 (Twitter help, 2016): "You can only send Direct Messages to users who follow you."
// Seed 004 (forum): "account X can send DMs to account Y via the API if Y follows X or Y has already sent a message to X".
// R3 (DESIGN §1): twitter-2016 and x-api-v2 deny `recipient_not_following` unless the recipient follows the sender;
// in x-api-v2 a prior conversation (R5) also admits; in x-2023 the inbox setting (R4) decides instead.
import { describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { at, hours, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, request, useService } from './helpers.ts';

const NOT_FOLLOWING = deny('recipient_not_following', 'follow-gate');

describe.each<PresetName>(['twitter-2016', 'x-api-v2'])('R3 follow gate — %s', (preset) => {
  const ctx = useService(preset);

  it('admits a send to a recipient who follows the sender', async () => {
    const { w } = ctx;
    await w.follow('r3a-rcpt', 'r3a-sndr');
    expectDecision(await w.dm('r3a-sndr', 'r3a-rcpt', at(0)), ALLOWED);
  });

  it('denies a send to a recipient who does not follow the sender; nothing is delivered', async () => {
    const { w } = ctx;
    const refused = await w.dm('r3b-sndr', 'r3b-rcpt', at(0));
    expectDecision(refused, NOT_FOLLOWING);
    expect(refused.sendId).toBeNull();
    expect(refused.conversationId).toBeNull();
  });

  it('the sender following the recipient is the wrong direction: still denied', async () => {
    const { w } = ctx;
    await w.follow('r3c-sndr', 'r3c-rcpt');
    expectDecision(await w.dm('r3c-sndr', 'r3c-rcpt', at(0)), NOT_FOLLOWING);
  });

  it('following admits, unfollowing closes the gate again', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r3d-sndr', 'r3d-rcpt', at(0)), NOT_FOLLOWING);
    await w.follow('r3d-rcpt', 'r3d-sndr', at(minutes(1)));
    expectDecision(await w.dm('r3d-sndr', 'r3d-rcpt', at(minutes(2))), ALLOWED);
    await w.unfollow('r3d-rcpt', 'r3d-sndr', at(minutes(3)));
    expectDecision(await w.dm('r3d-sndr', 'r3d-rcpt', at(hours(30))), NOT_FOLLOWING);
  });

  it('protected or verified recipients follow the same gate', async () => {
    const { w } = ctx;
    await w.account('r3e-rcpt', { protected: true, verified: true });
    await w.account('r3e-sndr', { verified: true, phoneVerified: true });
    expectDecision(await w.dm('r3e-sndr', 'r3e-rcpt', at(0)), NOT_FOLLOWING);
  });
});

describe('R3 follow gate — twitter-2016: only following admits (no prior-conversation exception)', () => {
  const ctx = useService('twitter-2016');

  it('after the recipient messaged the sender, the sender still needs the recipient to follow them', async () => {
    const { w } = ctx;
    await w.follow('r3t-sndr', 'r3t-rcpt'); // so that the recipient can message the sender
    expect((await w.dm('r3t-rcpt', 'r3t-sndr', at(0))).decision).toBe('allow');
    expectDecision(await w.dm('r3t-sndr', 'r3t-rcpt', at(minutes(1))), NOT_FOLLOWING);
  });

  it('an accepted request does not open the gate either', async () => {
    const { w } = ctx;
    await w.accept('r3u-rcpt', 'r3u-sndr');
    expectDecision(await w.dm('r3u-sndr', 'r3u-rcpt', at(0)), NOT_FOLLOWING);
  });
});

describe('R3 follow gate — x-api-v2: a prior conversation also admits', () => {
  const ctx = useService('x-api-v2');

  it('after the recipient messaged the sender, the sender may message a non-follower', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r3v-sndr', 'r3v-rcpt', at(0)), NOT_FOLLOWING);
    await w.follow('r3v-sndr', 'r3v-rcpt'); // the recipient's message to the sender needs the sender to follow them
    expect((await w.dm('r3v-rcpt', 'r3v-sndr', at(minutes(1)))).decision).toBe('allow');
    // Within 24 h of that message the reply window (R11) is what admits: still an allow.
    expectDecision(await w.dm('r3v-sndr', 'r3v-rcpt', at(minutes(2))), { decision: 'allow', reason: 'reply_window', rule: 'reply-window' });
    // Long after the window the prior conversation still passes the follow gate.
    expectDecision(await w.dm('r3v-sndr', 'r3v-rcpt', at(hours(48))), ALLOWED);
  });

  it('accepting the sender\'s request admits the sender', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r3w-sndr', 'r3w-rcpt', at(0)), NOT_FOLLOWING);
    await w.accept('r3w-rcpt', 'r3w-sndr', at(minutes(1)));
    expectDecision(await w.dm('r3w-sndr', 'r3w-rcpt', at(minutes(2))), ALLOWED);
  });

  it('a refused message is no conversation: the recipient\'s denied attempt does not admit the sender', async () => {
    const { w } = ctx;
    // Neither follows the other: the recipient's message to the sender is itself refused.
    expectDecision(await w.dm('r3x-rcpt', 'r3x-sndr', at(0)), NOT_FOLLOWING);
    expectDecision(await w.dm('r3x-sndr', 'r3x-rcpt', at(minutes(1))), NOT_FOLLOWING);
  });

  it('the sender\'s own earlier messages are no conversation', async () => {
    const { w } = ctx;
    await w.follow('r3y-rcpt', 'r3y-sndr');
    expectDecision(await w.dm('r3y-sndr', 'r3y-rcpt', at(0)), ALLOWED);
    await w.unfollow('r3y-rcpt', 'r3y-sndr', at(minutes(1)));
    expectDecision(await w.dm('r3y-sndr', 'r3y-rcpt', at(minutes(2))), NOT_FOLLOWING);
  });
});

describe('R3 via the inbox setting — x-2023: a non-follower is not denied but sent to requests', () => {
  const ctx = useService('x-2023');

  it('a stranger to a default (following) inbox gets a message request, not recipient_not_following', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r3z-sndr', 'r3z-rcpt', at(0)), request('message_request', 'inbox-setting'));
  });

  it('a recipient who follows the sender admits them', async () => {
    const { w } = ctx;
    await w.follow('r3za-rcpt', 'r3za-sndr');
    expectDecision(await w.dm('r3za-sndr', 'r3za-rcpt', at(0)), ALLOWED);
  });
});

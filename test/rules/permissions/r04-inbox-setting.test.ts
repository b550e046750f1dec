// Seed 000 (X help, 2023): "Regardless of your post privacy settings (i.e.whether your posts are protected or not
// protected), your account will be able to receive Direct Messages from anyone if you enable the option to Receive
// Direct Messages from anyone."
// R4 (DESIGN §1, x-2023 only): the recipient's setting `everyone` / `following` / `verified` decides; protected
// accounts follow the same setting. A send the setting doesn't admit becomes a message request (R6).
import { describe, expect, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, expectDecision, request, useService } from './helpers.ts';

const MESSAGE_REQUEST = request('message_request', 'inbox-setting');

describe('R4 inbox setting — x-2023', () => {
  const ctx = useService('x-2023');

  describe('everyone', () => {
    it('admits a stranger', async () => {
      const { w } = ctx;
      await w.account('r4a-rcpt', { inbox: 'everyone' });
      expectDecision(await w.dm('r4a-sndr', 'r4a-rcpt', at(0)), ALLOWED);
    });
  });

  describe('following', () => {
    it('an account that was never PUT has inbox following: a stranger goes to requests', async () => {
      const { w } = ctx;
      expectDecision(await w.dm('r4b-sndr', 'r4b-rcpt', at(0)), MESSAGE_REQUEST);
    });

    it('admits an account the recipient follows', async () => {
      const { w } = ctx;
      await w.account('r4c-rcpt', { inbox: 'following' });
      await w.follow('r4c-rcpt', 'r4c-sndr');
      expectDecision(await w.dm('r4c-sndr', 'r4c-rcpt', at(0)), ALLOWED);
    });

    it('the sender following the recipient does not admit (wrong direction)', async () => {
      const { w } = ctx;
      await w.account('r4d-rcpt', { inbox: 'following' });
      await w.follow('r4d-sndr', 'r4d-rcpt');
      expectDecision(await w.dm('r4d-sndr', 'r4d-rcpt', at(0)), MESSAGE_REQUEST);
    });

    it('a verified stranger is not admitted by "following"', async () => {
      const { w } = ctx;
      await w.account('r4e-rcpt', { inbox: 'following' });
      await w.account('r4e-sndr', { verified: true });
      expectDecision(await w.dm('r4e-sndr', 'r4e-rcpt', at(0)), MESSAGE_REQUEST);
    });

    it('the recipient unfollowing the sender sends them back to requests', async () => {
      const { w } = ctx;
      await w.account('r4f-rcpt', { inbox: 'following' });
      await w.follow('r4f-rcpt', 'r4f-sndr');
      expectDecision(await w.dm('r4f-sndr', 'r4f-rcpt', at(0)), ALLOWED);
      await w.unfollow('r4f-rcpt', 'r4f-sndr', at(minutes(1)));
      expectDecision(await w.dm('r4f-sndr', 'r4f-rcpt', at(minutes(2))), MESSAGE_REQUEST);
    });
  });

  describe('verified', () => {
    it('admits a verified stranger', async () => {
      const { w } = ctx;
      await w.account('r4g-rcpt', { inbox: 'verified' });
      await w.account('r4g-sndr', { verified: true });
      expectDecision(await w.dm('r4g-sndr', 'r4g-rcpt', at(0)), ALLOWED);
    });

    it('sends an unverified stranger to requests', async () => {
      const { w } = ctx;
      await w.account('r4h-rcpt', { inbox: 'verified' });
      await w.account('r4h-sndr', { verified: false, phoneVerified: true });
      expectDecision(await w.dm('r4h-sndr', 'r4h-rcpt', at(0)), MESSAGE_REQUEST);
    });

    it('admits an unverified account the recipient follows', async () => {
      const { w } = ctx;
      await w.account('r4i-rcpt', { inbox: 'verified' });
      await w.follow('r4i-rcpt', 'r4i-sndr');
      expectDecision(await w.dm('r4i-sndr', 'r4i-rcpt', at(0)), ALLOWED);
    });

    it('the sender losing verification sends them back to requests', async () => {
      const { w } = ctx;
      await w.account('r4j-rcpt', { inbox: 'verified' });
      await w.account('r4j-sndr', { verified: true });
      expectDecision(await w.dm('r4j-sndr', 'r4j-rcpt', at(0)), ALLOWED);
      await w.account('r4j-sndr', { verified: false }, at(minutes(1)));
      expectDecision(await w.dm('r4j-sndr', 'r4j-rcpt', at(minutes(2))), MESSAGE_REQUEST);
    });
  });

  describe('protected accounts follow the same setting ("regardless of your post privacy settings")', () => {
    it('a protected account with inbox everyone admits a stranger', async () => {
      const { w } = ctx;
      await w.account('r4k-rcpt', { protected: true, inbox: 'everyone' });
      expectDecision(await w.dm('r4k-sndr', 'r4k-rcpt', at(0)), ALLOWED);
    });

    it('a protected account with inbox following sends a stranger to requests', async () => {
      const { w } = ctx;
      await w.account('r4l-rcpt', { protected: true, inbox: 'following' });
      expectDecision(await w.dm('r4l-sndr', 'r4l-rcpt', at(0)), MESSAGE_REQUEST);
    });

    it('a protected account with inbox following admits an account it follows', async () => {
      const { w } = ctx;
      await w.account('r4m-rcpt', { protected: true, inbox: 'following' });
      await w.follow('r4m-rcpt', 'r4m-sndr');
      expectDecision(await w.dm('r4m-sndr', 'r4m-rcpt', at(0)), ALLOWED);
    });

    it('a protected account with inbox verified admits a verified stranger', async () => {
      const { w } = ctx;
      await w.account('r4n-rcpt', { protected: true, inbox: 'verified' });
      await w.account('r4n-sndr', { verified: true });
      expectDecision(await w.dm('r4n-sndr', 'r4n-rcpt', at(0)), ALLOWED);
    });
  });

  describe('changing the setting', () => {
    it('switching from everyone to following sends a stranger to requests; the sender\'s own earlier sends are no conversation', async () => {
      const { w } = ctx;
      await w.account('r4o-rcpt', { inbox: 'everyone' });
      expectDecision(await w.dm('r4o-sndr', 'r4o-rcpt', at(0)), ALLOWED);
      await w.account('r4o-rcpt', { inbox: 'following' }, at(minutes(1)));
      expectDecision(await w.dm('r4o-sndr', 'r4o-rcpt', at(minutes(2))), MESSAGE_REQUEST);
    });

    it('switching from following to everyone admits a stranger', async () => {
      const { w } = ctx;
      expectDecision(await w.dm('r4p-sndr', 'r4p-rcpt', at(0)), MESSAGE_REQUEST);
      await w.account('r4p-rcpt', { inbox: 'everyone' }, at(minutes(1)));
      expectDecision(await w.dm('r4p-sndr', 'r4p-rcpt', at(minutes(2))), ALLOWED);
    });
  });

  it('a message request is delivered (recorded, with a conversation), not refused', async () => {
    const { w } = ctx;
    const res = await w.dm('r4q-sndr', 'r4q-rcpt', at(0));
    expectDecision(res, MESSAGE_REQUEST);
    expect(res.sendId).toEqual(expect.any(String));
    expect(res.conversationId).toEqual(expect.any(String));
  });
});

// Seed 000 (X help, 2023): "If you are sending Direct Messages to accounts that do not follow you, you may need to
// verify your phone number."
// R9 (DESIGN §1, x-2023, parameter requirePhoneForNonFollowers, default off): sending to an account that doesn't
// follow the sender may require a verified phone. "On" is tested with a what-if check whose inline `params` fact
// overrides the parameter.
import { describe, expect, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, useService } from './helpers.ts';

const PHONE_REQUIRED = deny('phone_verification_required', 'phone-verification');
const phoneOn = { params: { requirePhoneForNonFollowers: true } };

describe('R9 phone verification — x-2023', () => {
  const ctx = useService('x-2023');

  it('with the default (off), a non-follower without a verified phone is admitted by inbox everyone', async () => {
    const { w } = ctx;
    await w.account('r9a-rcpt', { inbox: 'everyone' });
    await w.account('r9a-sndr', { phoneVerified: false });
    const res = await w.dm('r9a-sndr', 'r9a-rcpt', at(0), { trace: true });
    expectDecision(res, ALLOWED);
    expect(res.trace[0].facts.params.requirePhoneForNonFollowers).toBe(false);
  });

  it('with the parameter on, a non-follower without a verified phone is denied', async () => {
    const { w } = ctx;
    await w.account('r9b-rcpt', { inbox: 'everyone' });
    const res = await w.check({ senderId: 'r9b-sndr', recipientIds: ['r9b-rcpt'], text: 'hi', facts: phoneOn });
    expectDecision(res, PHONE_REQUIRED);
    // The same check without the override is admitted: only the parameter changed.
    expectDecision(await w.check({ senderId: 'r9b-sndr', recipientIds: ['r9b-rcpt'], text: 'hi' }), ALLOWED);
  });

  it('with the parameter on, a sender with a verified phone is admitted', async () => {
    const { w } = ctx;
    await w.account('r9c-rcpt', { inbox: 'everyone' });
    await w.account('r9c-sndr', { phoneVerified: true });
    expectDecision(await w.check({ senderId: 'r9c-sndr', recipientIds: ['r9c-rcpt'], text: 'hi', facts: phoneOn }), ALLOWED);
  });

  it('with the parameter on, verifying the phone restores', async () => {
    const { w } = ctx;
    await w.account('r9d-rcpt', { inbox: 'everyone' });
    expectDecision(await w.check({ senderId: 'r9d-sndr', recipientIds: ['r9d-rcpt'], text: 'hi', facts: phoneOn }, at(0)), PHONE_REQUIRED);
    await w.account('r9d-sndr', { phoneVerified: true }, at(minutes(1)));
    expectDecision(await w.check({ senderId: 'r9d-sndr', recipientIds: ['r9d-rcpt'], text: 'hi', facts: phoneOn }, at(minutes(2))), ALLOWED);
  });

  it('with the parameter on, a recipient who follows the sender admits a sender without a verified phone', async () => {
    const { w } = ctx;
    await w.follow('r9e-rcpt', 'r9e-sndr');
    expectDecision(await w.check({ senderId: 'r9e-sndr', recipientIds: ['r9e-rcpt'], text: 'hi', facts: phoneOn }), ALLOWED);
  });

  it('with the parameter on, the sender following the recipient is not enough (the recipient must follow)', async () => {
    const { w } = ctx;
    await w.account('r9f-rcpt', { inbox: 'everyone' });
    await w.follow('r9f-sndr', 'r9f-rcpt');
    expectDecision(await w.check({ senderId: 'r9f-sndr', recipientIds: ['r9f-rcpt'], text: 'hi', facts: phoneOn }), PHONE_REQUIRED);
  });

  it('with the parameter on, the phone check outranks the message request (deny rather than request)', async () => {
    const { w } = ctx;
    await w.account('r9g-rcpt', { inbox: 'following' });
    expectDecision(await w.check({ senderId: 'r9g-sndr', recipientIds: ['r9g-rcpt'], text: 'hi', facts: phoneOn }),
      deny('phone_verification_required', 'phone-verification'));
    // Off: the same send is just a message request.
    expectDecision(await w.check({ senderId: 'r9g-sndr', recipientIds: ['r9g-rcpt'], text: 'hi' }),
      { decision: 'request', reason: 'message_request', rule: 'inbox-setting' });
  });

  it('the inline override applies to the check only: an enforced send with inline facts is refused with 400', async () => {
    const { s } = ctx;
    const res = await s.call('POST', '/v1/sends', {
      body: { senderId: 'r9h-sndr', recipientIds: ['r9h-rcpt'], text: 'hi', facts: phoneOn }, now: at(0),
    });
    expect(res.status).toBe(400);
  });
});

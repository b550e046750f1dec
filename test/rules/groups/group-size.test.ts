// Seed 001 (Twitter help, 2016): "A group Message can include up to 20 people."
// R15 (DESIGN §1): a group holds at most N participants (20), the creator included; group_create and
// group_invite are decided per invitee and the decision is the most severe one (§2).
import { describe, expect, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { allFollow, allPresets, createGroup, expectVerdict, ids, maxGroupSize, perRecipient, useService } from './helpers.ts';

const ALLOWED = { decision: 'allow', reason: 'allowed' } as const;
const TOO_LARGE = { decision: 'deny', reason: 'group_too_large' } as const;

describe.each(allPresets)('R15 group size — %s', (preset) => {
  const ctx = useService(preset);

  it(`group_create with ${maxGroupSize - 1} invitees (${maxGroupSize} participants with the creator) is allowed and returns the conversation`, async () => {
    const { w } = ctx;
    const id = ids('gs1');
    const creator = id.one('creator');
    const invitees = id.many('f', maxGroupSize - 1);
    await allFollow(w, invitees, creator);

    const res = await w.send({ senderId: creator, kind: 'group_create', recipientIds: invitees, text: 'welcome all' });
    expectVerdict(res, ALLOWED);
    expect(res.conversationId).toEqual(expect.any(String));
    expect(res.sendId).toEqual(expect.any(String));
    expect(res.recipients).toHaveLength(maxGroupSize - 1);
    for (const r of res.recipients) expect({ id: r.id, decision: r.decision }).toEqual({ id: r.id, decision: 'allow' });
    expect(res.recipients.map((r: any) => r.id)).toEqual(invitees);

    // The conversation exists with every invitee in it: the last invitee can message it.
    const msg = await w.send({ senderId: invitees[maxGroupSize - 2], kind: 'group_message', conversationId: res.conversationId, text: 'hi all' }, at(minutes(1)));
    expectVerdict(msg, ALLOWED, 'an invitee messages the new group');
  });

  it(`group_create with ${maxGroupSize} invitees (${maxGroupSize + 1} participants) is denied group_too_large for every invitee, and creates nothing`, async () => {
    const { w } = ctx;
    const id = ids('gs2');
    const creator = id.one('creator');
    const invitees = id.many('f', maxGroupSize);
    await allFollow(w, invitees, creator);

    const res = await w.send({ senderId: creator, kind: 'group_create', recipientIds: invitees, text: 'too many' });
    expectVerdict(res, TOO_LARGE);
    expect(res.conversationId).toBeNull();
    expect(res.sendId).toBeNull();
    const detail = perRecipient(res);
    expect(Object.keys(detail)).toEqual(invitees);
    for (const v of Object.values(detail)) expect(v).toEqual(TOO_LARGE);
  });

  it('a dry run of an oversized group_create gives the same denial', async () => {
    const { w } = ctx;
    const id = ids('gs3');
    const creator = id.one('creator');
    const invitees = id.many('f', maxGroupSize + 5);
    await allFollow(w, invitees, creator);
    expectVerdict(await w.check({ senderId: creator, kind: 'group_create', recipientIds: invitees }), TOO_LARGE);
    expectVerdict(await w.check({ senderId: creator, kind: 'group_create', recipientIds: invitees.slice(0, maxGroupSize - 1) }), ALLOWED);
  });

  it(`group_invite bringing a group to ${maxGroupSize} is allowed; to ${maxGroupSize + 1} is denied`, async () => {
    const { w } = ctx;
    const id = ids('gs4');
    const creator = id.one('creator');
    const followers = id.many('f', maxGroupSize + 1);
    await allFollow(w, followers, creator);

    // creator + 2 = 3 participants.
    const conversationId = await createGroup(w, creator, followers.slice(0, 2));

    // 3 + 18 = 21: one too many, all at once → denied, nobody added.
    const tooMany = await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: followers.slice(2, 20) }, at(minutes(1)));
    expectVerdict(tooMany, TOO_LARGE, 'invite to 21');
    expect(Object.values(perRecipient(tooMany))).toEqual(Array(18).fill(TOO_LARGE));
    const outsider = await w.send({ senderId: followers[2], kind: 'group_message', conversationId, text: 'am I in?' }, at(minutes(2)));
    expectVerdict(outsider, { decision: 'deny', reason: 'not_a_participant' }, 'a denied invite adds nobody');

    // 3 + 17 = 20: exactly the maximum → allowed.
    const toMax = await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: followers.slice(2, 19) }, at(minutes(3)));
    expectVerdict(toMax, ALLOWED, 'invite to 20');
    expect(toMax.conversationId).toBe(conversationId);
    expect(Object.values(perRecipient(toMax))).toEqual(Array(17).fill(ALLOWED));

    // 20 + 1 = 21 → denied.
    const oneMore = await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [followers[19]] }, at(minutes(4)));
    expectVerdict(oneMore, TOO_LARGE, 'invite the 21st');
    expect(perRecipient(oneMore)).toEqual({ [followers[19]]: TOO_LARGE });

    // The 20th participant is in; the refused 21st is not.
    expectVerdict(await w.send({ senderId: followers[18], kind: 'group_message', conversationId, text: 'twenty' }, at(minutes(5))), ALLOWED, '20th participant');
    expectVerdict(await w.send({ senderId: followers[19], kind: 'group_message', conversationId, text: 'twenty-one' }, at(minutes(5))),
      { decision: 'deny', reason: 'not_a_participant' }, 'refused 21st');
  });

  it('a participant other than the creator is held to the same maximum', async () => {
    const { w } = ctx;
    const id = ids('gs5');
    const creator = id.one('creator');
    const member = id.one('member');
    await w.follow(member, creator);
    const conversationId = await createGroup(w, creator, [member]);
    const memberFollowers = id.many('mf', maxGroupSize - 1);
    await allFollow(w, memberFollowers, member);

    // 2 + 19 = 21 → denied; 2 + 18 = 20 → allowed.
    expectVerdict(await w.send({ senderId: member, kind: 'group_invite', conversationId, recipientIds: memberFollowers }, at(minutes(1))), TOO_LARGE);
    expectVerdict(await w.send({ senderId: member, kind: 'group_invite', conversationId, recipientIds: memberFollowers.slice(0, maxGroupSize - 2) }, at(minutes(2))), ALLOWED);
  });
});

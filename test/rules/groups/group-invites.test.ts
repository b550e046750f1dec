// Seed 001 (Twitter help, 2016), "Group Messages":
//   "You can only invite users who follow you to a group."
//   "Other users participating in the conversation can invite their followers (even if they aren't
//    followed by everyone involved in the group Message)."
//   "Users who have been blocked by anyone participating in the group Message can't be invited to join."
// R16 (DESIGN §1) in every preset; §2: group_create / group_invite are decided per invitee, the decision
// is the most severe one (deny > limit > request > allow) with per-recipient detail; group_message needs
// the sender to be a participant, is subject to the sender's own limits (R10, R12, R14), and pairwise
// permission (R3–R7) is not asked again inside an existing group.
import { describe, expect, it } from 'vitest';
import { at, minutes } from '../../support/world.ts';
import { allFollow, allPresets, createGroup, expectVerdict, ids, perRecipient, useService } from './helpers.ts';

const ALLOWED = { decision: 'allow', reason: 'allowed' } as const;
const NOT_FOLLOWER = { decision: 'deny', reason: 'invitee_not_follower' } as const;
const BLOCKED_BY_PARTICIPANT = { decision: 'deny', reason: 'invitee_blocked_by_participant' } as const;
const NOT_PARTICIPANT = { decision: 'deny', reason: 'not_a_participant' } as const;
const COOLDOWN = { decision: 'limit', reason: 'duplicate_cooldown' } as const;

describe.each(allPresets)('R16 group invites — %s', (preset) => {
  const ctx = useService(preset);

  describe('"You can only invite users who follow you to a group"', () => {
    it('group_create with a non-follower among the invitees is denied invitee_not_follower, naming that invitee', async () => {
      const { w } = ctx;
      const id = ids('gi1');
      const [creator, fan, stranger] = [id.one('creator'), id.one('fan'), id.one('stranger')];
      await w.follow(fan, creator);
      await w.follow(creator, stranger); // the creator following them is not enough: they must follow the creator

      const res = await w.send({ senderId: creator, kind: 'group_create', recipientIds: [fan, stranger], text: 'hello group' });
      expectVerdict(res, NOT_FOLLOWER);
      expect(perRecipient(res)).toEqual({ [fan]: ALLOWED, [stranger]: NOT_FOLLOWER });
      expect(res.conversationId).toBeNull();
      expect(res.sendId).toBeNull();
    });

    it('group_invite by the creator of a non-follower is denied; once they follow, the invite is allowed', async () => {
      const { w } = ctx;
      const id = ids('gi2');
      const [creator, fan, stranger] = [id.one('creator'), id.one('fan'), id.one('stranger')];
      await w.follow(fan, creator);
      const conversationId = await createGroup(w, creator, [fan]);

      const denied = await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [stranger] }, at(minutes(1)));
      expectVerdict(denied, NOT_FOLLOWER);
      expect(denied.recipients).toEqual([{ id: stranger, ...NOT_FOLLOWER, rule: 'group-invite-follower' }]);
      expectVerdict(await w.send({ senderId: stranger, kind: 'group_message', conversationId, text: 'in?' }, at(minutes(2))), NOT_PARTICIPANT, 'denied invitee is not added');

      await w.follow(stranger, creator);
      const allowed = await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [stranger] }, at(minutes(3)));
      expectVerdict(allowed, ALLOWED);
      expect(allowed.conversationId).toBe(conversationId);
      expectVerdict(await w.send({ senderId: stranger, kind: 'group_message', conversationId, text: 'in!' }, at(minutes(4))), ALLOWED, 'invitee now participates');
    });
  });

  describe('"Other users participating in the conversation can invite their followers"', () => {
    it("a participant invites its own follower who doesn't follow the creator → allow", async () => {
      const { w } = ctx;
      const id = ids('gi3');
      const [creator, member, friend] = [id.one('creator'), id.one('member'), id.one('friend')];
      await w.follow(member, creator);
      await w.follow(friend, member); // friend follows member only: not the creator
      const conversationId = await createGroup(w, creator, [member]);

      const res = await w.send({ senderId: member, kind: 'group_invite', conversationId, recipientIds: [friend] }, at(minutes(1)));
      expectVerdict(res, ALLOWED);
      expect(perRecipient(res)).toEqual({ [friend]: ALLOWED });
      // friend is now a participant, although neither the creator nor friend follow each other.
      expectVerdict(await w.send({ senderId: friend, kind: 'group_message', conversationId, text: 'thanks for the invite' }, at(minutes(2))), ALLOWED);
    });

    it("a participant can't invite someone who follows only the creator (their own followers only)", async () => {
      const { w } = ctx;
      const id = ids('gi4');
      const [creator, member, creatorFan] = [id.one('creator'), id.one('member'), id.one('creatorfan')];
      await w.follow(member, creator);
      await w.follow(creatorFan, creator);
      const conversationId = await createGroup(w, creator, [member]);

      const res = await w.send({ senderId: member, kind: 'group_invite', conversationId, recipientIds: [creatorFan] }, at(minutes(1)));
      expectVerdict(res, NOT_FOLLOWER);
      expect(perRecipient(res)).toEqual({ [creatorFan]: NOT_FOLLOWER });
      // The creator may invite them.
      expectVerdict(await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [creatorFan] }, at(minutes(2))), ALLOWED);
    });
  });

  describe('"Users who have been blocked by anyone participating in the group Message can\'t be invited"', () => {
    it('an invitee blocked by a participant other than the inviter → deny invitee_blocked_by_participant', async () => {
      const { w } = ctx;
      const id = ids('gi5');
      const [creator, m1, m2, target] = [id.one('creator'), id.one('m1'), id.one('m2'), id.one('target')];
      await allFollow(w, [m1, m2, target], creator);
      const conversationId = await createGroup(w, creator, [m1, m2]);
      await w.block(m2, target);

      const res = await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [target] }, at(minutes(1)));
      expectVerdict(res, BLOCKED_BY_PARTICIPANT);
      expect(perRecipient(res)).toEqual({ [target]: BLOCKED_BY_PARTICIPANT });

      // The unblock restores the invite.
      await w.unblock(m2, target);
      expectVerdict(await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [target] }, at(minutes(2))), ALLOWED, 'after unblock');
    });

    it('group_create: an invitee blocked by another invitee is denied invitee_blocked_by_participant', async () => {
      const { w } = ctx;
      const id = ids('gi6');
      const [creator, a, b] = [id.one('creator'), id.one('a'), id.one('b')];
      await allFollow(w, [a, b], creator);
      await w.block(a, b);

      const res = await w.send({ senderId: creator, kind: 'group_create', recipientIds: [a, b], text: 'together' });
      expectVerdict(res, BLOCKED_BY_PARTICIPANT);
      expect(perRecipient(res)).toEqual({ [a]: ALLOWED, [b]: BLOCKED_BY_PARTICIPANT });
      expect(res.conversationId).toBeNull();
    });

    it('a block by someone outside the group does not prevent the invite', async () => {
      const { w } = ctx;
      const id = ids('gi7');
      const [creator, member, target, outsider] = [id.one('creator'), id.one('member'), id.one('target'), id.one('outsider')];
      await allFollow(w, [member, target], creator);
      const conversationId = await createGroup(w, creator, [member]);
      await w.block(outsider, target);
      expectVerdict(await w.send({ senderId: creator, kind: 'group_invite', conversationId, recipientIds: [target] }, at(minutes(1))), ALLOWED);
    });

    it("a participant's own follower blocked by the creator can't be invited by that participant", async () => {
      const { w } = ctx;
      const id = ids('gi8');
      const [creator, member, friend] = [id.one('creator'), id.one('member'), id.one('friend')];
      await w.follow(member, creator);
      await w.follow(friend, member);
      const conversationId = await createGroup(w, creator, [member]);
      await w.block(creator, friend);
      const res = await w.send({ senderId: member, kind: 'group_invite', conversationId, recipientIds: [friend] }, at(minutes(1)));
      expectVerdict(res, BLOCKED_BY_PARTICIPANT);
    });
  });

  describe('participants only', () => {
    it("a non-participant can't invite to or message a group (not_a_participant)", async () => {
      const { w } = ctx;
      const id = ids('gi9');
      const [creator, member, outsider, outsiderFan] = [id.one('creator'), id.one('member'), id.one('outsider'), id.one('outsiderfan')];
      await w.follow(member, creator);
      await w.follow(outsiderFan, outsider);
      await w.follow(outsider, creator);
      const conversationId = await createGroup(w, creator, [member]);

      const invite = await w.send({ senderId: outsider, kind: 'group_invite', conversationId, recipientIds: [outsiderFan] }, at(minutes(1)));
      expectVerdict(invite, NOT_PARTICIPANT, 'invite');
      expect(perRecipient(invite)).toEqual({ [outsiderFan]: NOT_PARTICIPANT });
      const message = await w.send({ senderId: outsider, kind: 'group_message', conversationId, text: 'let me in' }, at(minutes(1)));
      expectVerdict(message, NOT_PARTICIPANT, 'message');
      expect(message.sendId).toBeNull();
    });

    it('a conversation that does not exist has no participants', async () => {
      const { w } = ctx;
      const id = ids('gi10');
      const [sender, fan] = [id.one('sender'), id.one('fan')];
      await w.follow(fan, sender);
      expectVerdict(await w.send({ senderId: sender, kind: 'group_message', conversationId: 'g:does-not-exist', text: 'hello?' }), NOT_PARTICIPANT);
      expectVerdict(await w.send({ senderId: sender, kind: 'group_invite', conversationId: 'g:does-not-exist', recipientIds: [fan] }), NOT_PARTICIPANT);
    });

    // The group lookup filters on kind = 'group', so a direct conversation's id finds no group.
    it('a direct conversation is not a group: its id cannot be used for group_message or group_invite', async () => {
      const { w } = ctx;
      const id = ids('gi11');
      const [a, b, c] = [id.one('a'), id.one('b'), id.one('c')];
      await w.follow(b, a);
      await w.follow(c, a);
      const dm = await w.dm(a, b);
      expect(dm.decision).toBe('allow');
      expect(dm.conversationId).toEqual(expect.any(String));
      expectVerdict(await w.send({ senderId: a, kind: 'group_invite', conversationId: dm.conversationId, recipientIds: [c] }, at(minutes(1))), NOT_PARTICIPANT);
      expectVerdict(await w.send({ senderId: a, kind: 'group_message', conversationId: dm.conversationId, text: 'group?' }, at(minutes(1))), NOT_PARTICIPANT);
    });
  });

  describe('group_message', () => {
    it('by a participant → allow, recorded, and counts toward the daily quota', async () => {
      const { w } = ctx;
      const id = ids('gi12');
      const [creator, member] = [id.one('creator'), id.one('member')];
      await w.follow(member, creator);
      const conversationId = await createGroup(w, creator, [member]);

      const first = await w.send({ senderId: member, kind: 'group_message', conversationId, text: 'first' }, at(minutes(1)));
      expectVerdict(first, ALLOWED);
      expect(first.sendId).toEqual(expect.any(String));
      expect(first.conversationId).toBe(conversationId);
      expect(first.recipients).toEqual([]);
      expect(first.quota.daily).toMatchObject({ used: 1, remaining: first.quota.daily.limit - 1 });

      const second = await w.send({ senderId: member, kind: 'group_message', conversationId, text: 'second' }, at(minutes(2)));
      expectVerdict(second, ALLOWED);
      expect(second.quota.daily.used).toBe(2);
      expect(second.sendId).not.toBe(first.sendId);

      // A refused group_message (by a non-participant) does not count.
      const outsider = id.one('outsider');
      expectVerdict(await w.send({ senderId: outsider, kind: 'group_message', conversationId, text: 'x' }, at(minutes(3))), NOT_PARTICIPANT);
      const dryOutsider = await w.check({ senderId: outsider, kind: 'group_message', conversationId, text: 'y' }, at(minutes(4)));
      expect(dryOutsider.quota.daily.used).toBe(0);
    });

    it('a dry run of group_message records nothing', async () => {
      const { w } = ctx;
      const id = ids('gi13');
      const [creator, member] = [id.one('creator'), id.one('member')];
      await w.follow(member, creator);
      const conversationId = await createGroup(w, creator, [member]);
      const dry = await w.check({ senderId: member, kind: 'group_message', conversationId, text: 'dry' }, at(minutes(1)));
      expectVerdict(dry, ALLOWED);
      expect(dry.sendId).toBeNull();
      const real = await w.send({ senderId: member, kind: 'group_message', conversationId, text: 'real' }, at(minutes(2)));
      expect(real.quota.daily.used).toBe(1);
    });

    it("pairwise permission is not asked inside an existing group: a participant messages a group with someone who doesn't follow them", async () => {
      const { w } = ctx;
      const id = ids('gi14');
      const [creator, p, q] = [id.one('creator'), id.one('p'), id.one('q')];
      await allFollow(w, [p, q], creator);
      await w.account(q, { inbox: 'following', protected: true });
      const conversationId = await createGroup(w, creator, [p, q]);

      // p and q don't follow each other: a direct send p → q is not allowed…
      const direct = await w.check({ senderId: p, recipientIds: [q], text: 'psst' }, at(minutes(1)));
      expect(direct.decision).not.toBe('allow');
      // …but inside the group it is.
      expectVerdict(await w.send({ senderId: p, kind: 'group_message', conversationId, text: 'hello group' }, at(minutes(1))), ALLOWED);

      // Even after q reports p (R7 is pairwise too).
      await w.report(q, p, at(minutes(2)));
      expectVerdict(await w.send({ senderId: p, kind: 'group_message', conversationId, text: 'still here' }, at(minutes(3))), ALLOWED, 'after report');
    });
  });

  describe('the group decision is the most severe of the per-invitee ones', () => {
    it('deny beats allow, and every invitee gets its own verdict', async () => {
      const { w } = ctx;
      const id = ids('gi15');
      const [creator, fan1, fan2, stranger, blocked] = [id.one('creator'), id.one('fan1'), id.one('fan2'), id.one('stranger'), id.one('blocked')];
      await allFollow(w, [fan1, fan2, blocked], creator);
      await w.block(fan2, blocked);

      const res = await w.send({ senderId: creator, kind: 'group_create', recipientIds: [fan1, stranger, fan2, blocked], text: 'mixed' });
      // Two invitees are denied: the group answer carries the first of them, in the order invited.
      expectVerdict(res, NOT_FOLLOWER);
      expect(res.recipients).toEqual([
        { id: fan1, ...ALLOWED, rule: null },
        { id: stranger, ...NOT_FOLLOWER, rule: 'group-invite-follower' },
        { id: fan2, ...ALLOWED, rule: null },
        { id: blocked, ...BLOCKED_BY_PARTICIPANT, rule: 'group-invite-blocked' },
      ]);
    });

    it('deny beats limit beats allow: a sender in a duplicate-spam cooldown', async () => {
      const { w } = ctx;
      const id = ids('gi16');
      const creator = id.one('creator');
      const fans = id.many('fan', 12);
      const stranger = id.one('stranger');
      await allFollow(w, fans, creator);

      // The same text to more than duplicateRecipientLimit (10) groups trips the duplicate-spam cooldown (R14).
      const spam = 'join my group https://spam.example/x';
      for (let i = 0; i < 10; i++) {
        expectVerdict(await w.send({ senderId: creator, kind: 'group_create', recipientIds: [fans[i]], text: spam }, at(minutes(1) + i * 1000)), ALLOWED, `spam group ${i}`);
      }
      const tripped = await w.send({ senderId: creator, kind: 'group_create', recipientIds: [fans[10]], text: spam }, at(minutes(1) + 10_000));
      expectVerdict(tripped, { decision: 'limit', reason: 'duplicate_spam' }, 'the 11th group');

      // In the cooldown: followers get `limit`, the non-follower `deny`; the group decision is `deny`.
      const mixed = await w.send({ senderId: creator, kind: 'group_create', recipientIds: [fans[0], stranger], text: 'something else' }, at(minutes(2)));
      expectVerdict(mixed, NOT_FOLLOWER, 'deny > limit');
      const detail = perRecipient(mixed);
      expect(detail[stranger]).toEqual(NOT_FOLLOWER);
      expect(detail[fans[0]]).toEqual(COOLDOWN);

      // Only followers: every invitee is limited, so the group is `limit` with a retry time.
      const limited = await w.send({ senderId: creator, kind: 'group_create', recipientIds: [fans[0], fans[1]], text: 'and another' }, at(minutes(3)));
      // An attempt in the cooldown restarts it (R14): cooldownMinutes (30) from this one.
      expectVerdict(limited, { decision: 'limit', reason: 'duplicate_cooldown' });
      expect(limited.retryAfterSeconds).toBe(30 * 60);
      expect(perRecipient(limited)).toEqual({ [fans[0]]: COOLDOWN, [fans[1]]: COOLDOWN });
      expect(limited.conversationId).toBeNull();
    });
  });
});

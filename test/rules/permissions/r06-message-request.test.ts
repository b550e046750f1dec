// Seed 002 (blog about X DMs): "If someone has enabled the setting to receive DMs only from people they follow, you can
// still send them a message. They will receive a notification requesting permission to receive your message. If they
// accept your request, you can continue the conversation."
// R6 (DESIGN §1): x-2023 delivers a send the inbox setting doesn't admit as a request (`request`, `message_request`);
// accepting counts as R5. twitter-2016 and x-api-v2 deny instead.
import { describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, request, useService } from './helpers.ts';

const MESSAGE_REQUEST = request('message_request', 'inbox-setting');
const NOT_FOLLOWING = deny('recipient_not_following', 'follow-gate');

describe('R6 message request — x-2023', () => {
  const ctx = useService('x-2023');

  it('a send the inbox admits is a plain allow', async () => {
    const { w } = ctx;
    await w.follow('r6a-rcpt', 'r6a-sndr');
    expectDecision(await w.dm('r6a-sndr', 'r6a-rcpt', at(0)), ALLOWED);
  });

  it('a send the inbox does not admit is delivered as a request: recorded and counted', async () => {
    const { w } = ctx;
    const res = await w.dm('r6b-sndr', 'r6b-rcpt', at(0));
    expectDecision(res, MESSAGE_REQUEST);
    expect(res.sendId).toEqual(expect.any(String));
    expect(res.conversationId).toEqual(expect.any(String));
    expect(res.quota.daily.used).toBe(1);
  });

  it('further sends before acceptance stay requests', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r6c-sndr', 'r6c-rcpt', at(0)), MESSAGE_REQUEST);
    expectDecision(await w.dm('r6c-sndr', 'r6c-rcpt', at(minutes(1))), MESSAGE_REQUEST);
  });

  it('accepting the request makes later sends allow', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r6d-sndr', 'r6d-rcpt', at(0)), MESSAGE_REQUEST);
    await w.accept('r6d-rcpt', 'r6d-sndr', at(minutes(1)));
    expectDecision(await w.dm('r6d-sndr', 'r6d-rcpt', at(minutes(2))), ALLOWED);
  });

  it('acceptance is per sender: another stranger still gets a request', async () => {
    const { w } = ctx;
    await w.accept('r6e-rcpt', 'r6e-sndr');
    expectDecision(await w.dm('r6e-sndr', 'r6e-rcpt', at(minutes(1))), ALLOWED);
    expectDecision(await w.dm('r6e-other', 'r6e-rcpt', at(minutes(1))), MESSAGE_REQUEST);
  });

  it('acceptance is directional: the recipient accepting the sender does not admit the recipient to a "following" sender', async () => {
    const { w } = ctx;
    await w.accept('r6f-rcpt', 'r6f-sndr');
    // r6f-sndr never wrote to nor accepted r6f-rcpt: r6f-rcpt's send to it is still a request.
    expectDecision(await w.dm('r6f-rcpt', 'r6f-sndr', at(minutes(1))), MESSAGE_REQUEST);
  });

  it('a request does not bypass a deny: a blocked stranger is refused, not sent to requests', async () => {
    const { w } = ctx;
    await w.block('r6g-rcpt', 'r6g-sndr');
    const res = await w.dm('r6g-sndr', 'r6g-rcpt', at(0));
    expectDecision(res, deny('blocked', 'block'));
    expect(res.sendId).toBeNull();
  });
});

describe.each<PresetName>(['twitter-2016', 'x-api-v2'])('R6 message request — %s denies instead', (preset) => {
  const ctx = useService(preset);

  it('a recipient who follows the sender admits them', async () => {
    const { w } = ctx;
    await w.follow('r6h-rcpt', 'r6h-sndr');
    expectDecision(await w.dm('r6h-sndr', 'r6h-rcpt', at(0)), ALLOWED);
  });

  it('a send the follow gate does not admit is denied, never delivered as a request, and not counted', async () => {
    const { w } = ctx;
    const res = await w.dm('r6i-sndr', 'r6i-rcpt', at(0));
    expectDecision(res, NOT_FOLLOWING);
    expect(res.sendId).toBeNull();
    expect(res.conversationId).toBeNull();
    expect(res.quota.daily.used).toBe(0);
    // Even an inbox set to "everyone" is no x-2023 request path here.
    await w.account('r6i-rcpt', { inbox: 'everyone' });
    expectDecision(await w.dm('r6i-sndr', 'r6i-rcpt', at(minutes(1))), NOT_FOLLOWING);
  });
});

describe('R6 — twitter-2016: accepting a request opens nothing (no R5)', () => {
  const ctx = useService('twitter-2016');

  it('an accept does not open the follow gate', async () => {
    await ctx.w.accept('r6j-rcpt', 'r6j-sndr');
    expectDecision(await ctx.w.dm('r6j-sndr', 'r6j-rcpt', at(0)), NOT_FOLLOWING);
  });
});

describe('R6 — x-api-v2: accepting a request counts as R5', () => {
  const ctx = useService('x-api-v2');

  it('an accept admits the sender', async () => {
    expectDecision(await ctx.w.dm('r6k-sndr', 'r6k-rcpt', at(0)), NOT_FOLLOWING);
    await ctx.w.accept('r6k-rcpt', 'r6k-sndr', at(minutes(1)));
    expectDecision(await ctx.w.dm('r6k-sndr', 'r6k-rcpt', at(minutes(2))), ALLOWED);
  });
});

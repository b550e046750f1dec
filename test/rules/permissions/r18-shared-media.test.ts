// Seed 000 (X help, 2023): "If media is configured as shareable, it can be sent by the third-party app as part of
// multiple Direct Message conversations between you and other people and will be viewable by anyone with the media's URL."
// R18 (DESIGN §1, x-2023 and x-api-v2): media from another conversation may be attached only if it was marked
// shareable with the owner's consent.
import { describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, useService } from './helpers.ts';

const NOT_SHAREABLE = deny('media_not_shareable', 'shared-media');

describe.each<PresetName>(['x-2023', 'x-api-v2'])('R18 shared media — %s', (preset) => {
  const ctx = useService(preset);

  it('media from another conversation not marked shareable is denied; nothing is delivered', async () => {
    const { w } = ctx;
    await w.follow('r18a-rcpt', 'r18a-sndr');
    const res = await w.dm('r18a-sndr', 'r18a-rcpt', at(0), { media: [{ id: 'm1', fromConversationId: 'other', shareable: false }] });
    expectDecision(res, NOT_SHAREABLE);
    expect(res.sendId).toBeNull();
  });

  it('the same media marked shareable is admitted', async () => {
    const { w } = ctx;
    await w.follow('r18b-rcpt', 'r18b-sndr');
    expectDecision(await w.dm('r18b-sndr', 'r18b-rcpt', at(0), { media: [{ id: 'm1', fromConversationId: 'other', shareable: true }] }), ALLOWED);
  });

  it('media from the same conversation is admitted without the shareable mark', async () => {
    const { w } = ctx;
    await w.follow('r18c-rcpt', 'r18c-sndr');
    expectDecision(await w.dm('r18c-sndr', 'r18c-rcpt', at(0), {
      conversationId: 'r18c-conv', media: [{ id: 'm1', fromConversationId: 'r18c-conv', shareable: false }],
    }), ALLOWED);
  });

  it('freshly attached media (from no conversation) is admitted', async () => {
    const { w } = ctx;
    await w.follow('r18d-rcpt', 'r18d-sndr');
    expectDecision(await w.dm('r18d-sndr', 'r18d-rcpt', at(0), { media: [{ id: 'm1' }] }), ALLOWED);
  });

  it('shareable defaults to false: media from another conversation without the mark is denied', async () => {
    const { w } = ctx;
    await w.follow('r18e-rcpt', 'r18e-sndr');
    expectDecision(await w.dm('r18e-sndr', 'r18e-rcpt', at(0), { media: [{ id: 'm1', fromConversationId: 'other' }] }), NOT_SHAREABLE);
  });

  it('one unshareable item among shareable ones denies the whole send; removing it restores', async () => {
    const { w } = ctx;
    await w.follow('r18f-rcpt', 'r18f-sndr');
    const ok = [{ id: 'm1', fromConversationId: 'other', shareable: true }, { id: 'm2' }];
    const bad = { id: 'm3', fromConversationId: 'c-elsewhere', shareable: false };
    expectDecision(await w.dm('r18f-sndr', 'r18f-rcpt', at(0), { media: [...ok, bad] }), NOT_SHAREABLE);
    expectDecision(await w.dm('r18f-sndr', 'r18f-rcpt', at(minutes(1)), { media: ok }), ALLOWED);
  });

  it('media from the same conversation is judged against the conversation named by the send', async () => {
    const { w } = ctx;
    await w.follow('r18g-rcpt', 'r18g-sndr');
    // Named conversation differs from the media's: it is "another conversation".
    expectDecision(await w.dm('r18g-sndr', 'r18g-rcpt', at(0), {
      conversationId: 'r18g-conv', media: [{ id: 'm1', fromConversationId: 'r18g-elsewhere', shareable: false }],
    }), NOT_SHAREABLE);
  });
});

describe('R18 shared media — not part of twitter-2016', () => {
  const ctx = useService('twitter-2016');

  it('media from another conversation is not refused for shareability', async () => {
    const { w } = ctx;
    await w.follow('r18h-rcpt', 'r18h-sndr');
    expectDecision(await w.dm('r18h-sndr', 'r18h-rcpt', at(0), { media: [{ id: 'm1', fromConversationId: 'other', shareable: false }] }), ALLOWED);
  });
});

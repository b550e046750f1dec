// Seed 001 (Twitter help, 2016): "Please be careful to ensure that your Messages are under 160 characters, including
// the d command and username."
// R17 (DESIGN §1, twitter-2016 only): a message sent by SMS (`d username text`) must fit 160 characters including the
// `d username ` prefix. Lengths are Unicode code points (rules/facts.json content.smsLength).
import { describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { at, minutes } from '../../support/world.ts';
import { ALLOWED, deny, expectDecision, useService } from './helpers.ts';

const SMS_TOO_LONG = deny('sms_too_long', 'sms-length');

/** A text that makes `d <recipientId> <text>` exactly `total` code points long, of `unit` repeated. */
function smsText(recipientId: string, total: number, unit = 'x'): string {
  const prefix = `d ${recipientId} `;
  const n = total - [...prefix].length;
  const text = unit.repeat(n);
  expect([...`${prefix}${text}`].length).toBe(total);
  return text;
}

describe('R17 SMS length — twitter-2016', () => {
  const ctx = useService('twitter-2016');

  it('an SMS whose command is exactly 160 characters is admitted', async () => {
    const { w } = ctx;
    await w.follow('r17a-rcpt', 'r17a-sndr');
    const text = smsText('r17a-rcpt', 160);
    expectDecision(await w.dm('r17a-sndr', 'r17a-rcpt', at(0), { channel: 'sms', text }), ALLOWED);
  });

  it('an SMS whose command is 161 characters is denied', async () => {
    const { w } = ctx;
    await w.follow('r17b-rcpt', 'r17b-sndr');
    const text = smsText('r17b-rcpt', 161);
    const res = await w.dm('r17b-sndr', 'r17b-rcpt', at(0), { channel: 'sms', text });
    expectDecision(res, SMS_TOO_LONG);
    expect(res.sendId).toBeNull();
  });

  it('the prefix counts: the same text fits for a short username and not for a longer one', async () => {
    const { w } = ctx;
    await w.follow('r17c-r', 'r17c-sndr');
    await w.follow('r17c-rcpt-longer', 'r17c-sndr');
    const text = smsText('r17c-r', 160);
    expectDecision(await w.dm('r17c-sndr', 'r17c-r', at(0), { channel: 'sms', text }), ALLOWED);
    expectDecision(await w.dm('r17c-sndr', 'r17c-rcpt-longer', at(minutes(1)), { channel: 'sms', text }), SMS_TOO_LONG);
  });

  it('characters are code points: 160 astral characters (320 UTF-16 units) fit', async () => {
    const { w } = ctx;
    await w.follow('r17d-rcpt', 'r17d-sndr');
    expectDecision(await w.dm('r17d-sndr', 'r17d-rcpt', at(0), { channel: 'sms', text: smsText('r17d-rcpt', 160, '😀') }), ALLOWED);
    expectDecision(await w.dm('r17d-sndr', 'r17d-rcpt', at(minutes(1)), { channel: 'sms', text: smsText('r17d-rcpt', 161, '😀') }), SMS_TOO_LONG);
  });

  it('the limit does not apply on channel web', async () => {
    const { w } = ctx;
    await w.follow('r17e-rcpt', 'r17e-sndr');
    const text = smsText('r17e-rcpt', 500);
    expectDecision(await w.dm('r17e-sndr', 'r17e-rcpt', at(0), { channel: 'web', text }), ALLOWED);
    expectDecision(await w.dm('r17e-sndr', 'r17e-rcpt', at(minutes(1)), { text }), ALLOWED);
  });

  it('a too-long SMS is denied even to a follower, and a non-follower\'s short SMS meets the follow gate', async () => {
    const { w } = ctx;
    expectDecision(await w.dm('r17f-sndr', 'r17f-rcpt', at(0), { channel: 'sms', text: 'hi' }), deny('recipient_not_following', 'follow-gate'));
    // SMS length (960) outranks the follow gate (890).
    expectDecision(await w.dm('r17f-sndr', 'r17f-rcpt', at(minutes(1)), { channel: 'sms', text: smsText('r17f-rcpt', 161) }), SMS_TOO_LONG);
  });
});

describe.each<PresetName>(['x-2023', 'x-api-v2'])('R17 SMS length — not part of %s', (preset) => {
  const ctx = useService(preset);

  it('a 161-character SMS is not refused for its length', async () => {
    const { w } = ctx;
    await w.follow('r17g-rcpt', 'r17g-sndr');
    expectDecision(await w.dm('r17g-sndr', 'r17g-rcpt', at(0), { channel: 'sms', text: smsText('r17g-rcpt', 161) }), ALLOWED);
  });
});

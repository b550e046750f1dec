/**
 * R14, seeds 000 / 001: "If you are sending duplicate Direct Messages to multiple accounts (including
 * sending the same link to multiple accounts), this may be reported as spam activity and can result in
 * you not being able to send a Direct Message for a short time. You may need to wait at least 30
 * minutes without any attempt at sending a Direct Message before you'll be able to do so again."
 * Presets: duplicateRecipientLimit 10, duplicateWindowMinutes 60, cooldownMinutes 30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresetName } from '../../../server/config.ts';
import { startTestService, type TestService } from '../../support/service.ts';
import { at, minutes } from '../../support/world.ts';
import { followedBy, ids, send, uniqueText } from './helpers.ts';

const presets: PresetName[] = ['twitter-2016', 'x-2023', 'x-api-v2'];

const spam = { decision: 'limit', reason: 'duplicate_spam', rule: 'duplicate-spam', retryAfterSeconds: 1800, sendId: null };
const cooldown = { decision: 'limit', reason: 'duplicate_cooldown', rule: 'duplicate-cooldown', retryAfterSeconds: 1800, sendId: null };
const allowed = { decision: 'allow', reason: 'allowed', rule: null, retryAfterSeconds: null };

describe.each(presets)('R14 duplicate spam and cooldown, %s', (preset) => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset }); });
  afterAll(async () => { await s.close(); });

  /** A sender with `n` recipients that follow it (so every preset admits the sends). */
  async function sender(name: string, n = 14) {
    const id = `${preset}-${name}`;
    const recipients = ids(`${id}-r`, n);
    await followedBy(s, id, recipients);
    const dm = (i: number, text: string, now: Date) => send(s, { senderId: id, recipientIds: [recipients[i]], text }, now);
    return { id, recipients, dm };
  }

  /** The same text to recipients 0 … 9 at minutes 0 … 9 (fine), then to recipient 10 at minute 10 (trips). */
  async function trip(name: string) {
    const u = await sender(name);
    const text = `Win a prize today, ${name}!`;
    for (let i = 0; i < 10; i++) expect(await u.dm(i, text, at(minutes(i))), `recipient ${i}`).toMatchObject(allowed);
    const tripped = await u.dm(10, text, at(minutes(10)));
    expect(tripped).toMatchObject(spam);
    expect(tripped.recipients).toEqual([{ id: u.recipients[10], decision: 'limit', reason: 'duplicate_spam', rule: 'duplicate-spam' }]);
    return u;
  }

  it('the same text to 10 distinct recipients within 60 minutes is fine; the 11th trips a 30-minute cooldown', async () => {
    await trip('trip');
  });

  it('an attempt during the cooldown is limited and restarts it; 31 minutes after the last attempt sends again', async () => {
    const u = await trip('restart');
    // Minute 29 after the trip (minute 39): any text, any recipient.
    expect(await u.dm(0, uniqueText(), at(minutes(39)))).toMatchObject(cooldown);
    // Minute 68: past the first cooldown's end (minute 40), but the attempt at 39 restarted it.
    expect(await u.dm(11, uniqueText(), at(minutes(68)))).toMatchObject(cooldown);
    // 31 minutes after the last attempt.
    expect(await u.dm(12, uniqueText(), at(minutes(68 + 31)))).toMatchObject(allowed);
  });

  it('without any attempt, minute 31 after the trip sends again', async () => {
    const u = await trip('quiet');
    expect(await u.dm(11, uniqueText(), at(minutes(10 + 31)))).toMatchObject(allowed);
  });

  it('minute 29 after the trip, without earlier attempts, is limited', async () => {
    const u = await trip('early');
    const r = await u.dm(11, uniqueText(), at(minutes(10 + 29)));
    expect(r).toMatchObject(cooldown);
    expect(r.recipients).toEqual([{ id: u.recipients[11], decision: 'limit', reason: 'duplicate_cooldown', rule: 'duplicate-cooldown' }]);
  });

  it('a retry exactly retryAfterSeconds after the last attempt succeeds, one second earlier does not', async () => {
    const u = await trip('exact');
    expect(await u.dm(11, uniqueText(), at(minutes(40) - 1000))).toMatchObject(cooldown);
    // That attempt at 39:59 restarted the cooldown: it ends at 69:59.
    expect(await u.dm(11, uniqueText(), at(minutes(70) - 1000))).toMatchObject(allowed);
  });

  it('the same link with different surrounding text counts as a duplicate', async () => {
    const u = await sender('link');
    for (let i = 0; i < 10; i++) {
      const r = await u.dm(i, `${uniqueText('hey')} have a look https://spam.example/offer?id=7 — ${i}`, at(minutes(i)));
      expect(r, `recipient ${i}`).toMatchObject(allowed);
    }
    expect(await u.dm(10, `something else entirely: https://spam.example/offer?id=7`, at(minutes(10)))).toMatchObject(spam);
    expect(await u.dm(11, uniqueText(), at(minutes(11)))).toMatchObject(cooldown);
  });

  it('the same text to the same recipient again does not increase the count', async () => {
    const u = await sender('same');
    const text = 'Same old text';
    for (let k = 0; k < 5; k++) expect(await u.dm(0, text, at(minutes(k))), `repeat ${k}`).toMatchObject(allowed);
    for (let i = 1; i < 10; i++) expect(await u.dm(i, text, at(minutes(5 + i))), `recipient ${i}`).toMatchObject(allowed);
    // Ten distinct recipients so far: any of them may get it again.
    for (let i = 0; i < 10; i++) expect(await u.dm(i, text, at(minutes(20))), `again ${i}`).toMatchObject(allowed);
    expect(await u.dm(10, text, at(minutes(21)))).toMatchObject(spam);
  });

  it('only sends inside the 60-minute window count', async () => {
    const u = await sender('window');
    const text = 'Window text';
    for (let i = 0; i < 10; i++) expect(await u.dm(i, text, at(minutes(i))), `recipient ${i}`).toMatchObject(allowed);
    // At minute 60 the send at minute 0 has left the window: 9 distinct recipients remain.
    expect(await u.dm(10, text, at(minutes(60)))).toMatchObject(allowed);
    // Now recipients 1 … 10 (10 of them) are inside it.
    expect(await u.dm(11, text, at(minutes(60)))).toMatchObject(spam);
  });
});

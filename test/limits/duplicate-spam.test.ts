/**
 * R14, seed 000 (X, 2023): "If you are sending duplicate Direct Messages to multiple accounts
 * (including sending the same link to multiple accounts), this may be reported as spam activity and
 * can result in you not being able to send a Direct Message for a short time. You may need to wait at
 * least 30 minutes without any attempt at sending a Direct Message before you'll be able to do so
 * again." (Seed 001 says the same of Twitter in 2016.) The presets: duplicateRecipientLimit 10 within
 * duplicateWindowMinutes 60, cooldownMinutes 30; the rule trips at `content.duplicateRecipients >= 10`
 * (the other recipients that already got it): the 10th distinct recipient is fine, the 11th trips.
 */
import { describe, expect, it } from 'vitest';
import {
  cooldownAfterAttempt, cooldownMs, DuplicateSpam, duplicateTarget, duplicateWindowMs, fingerprintKey, targetConversation, tripsCooldown, unmetTarget,
  type Target,
} from '../../server/limits/duplicate-spam.ts';
import { Fingerprinter } from '../../server/limits/fingerprint.ts';
import { dayMs, minuteMs, rollingWindowStart } from '../../server/limits/windows.ts';
import { Retention } from '../../server/state/retention.ts';
import { DecisionWorld } from '../../server/state/world.ts';
import { minutes, t0 } from '../support/world.ts';
import { decisionOf, presetParams } from './helpers.ts';

const params = presetParams('x-2023');
const fingerprints = new Fingerprinter(Buffer.from('duplicate-spam-unit-test-secret'));
/** A recipient as a target: its account number. */
const recipient = (i: number): Target => i;

/** DuplicateSpam as the live state holds it: every recorded decision advances the retention first (foldCounters). */
function duplicateSpam(keepMs?: number) {
  const retention = new Retention();
  const spam = new DuplicateSpam(retention, keepMs);
  const deliver = (sender: number, text: string, target: Target, at: number) => {
    retention.advance(at);
    spam.recordDelivery(sender, fingerprints.message(text), target, at);
  };
  /** `content.duplicateRecipients` of a send of `text` to `target` at `now`, as a decision reads it. */
  const duplicates = (sender: number, text: string, target: Target, now: number) =>
    spam.duplicateRecipients(sender, fingerprints.message(text), target, rollingWindowStart(now, duplicateWindowMs(params)));
  /** One message attempt at `now` as it is recorded: the cooldown it leaves (server/decisions/record.ts). */
  const attempt = (sender: number, now: number, tripped: boolean) => {
    retention.advance(now);
    const until = cooldownAfterAttempt(spam.cooldownUntil(sender), params, now, tripped);
    if (until !== null) spam.restartCooldown(sender, until);
  };
  return { retention, spam, deliver, duplicates, attempt };
}

describe('DuplicateSpam: distinct recipients of the same text or link', () => {
  it('presets: more than 10 distinct recipients within 60 minutes, then a 30-minute cooldown', () => {
    expect([params.duplicateRecipientLimit, duplicateWindowMs(params), cooldownMs(params)]).toEqual([10, 60 * minuteMs, 30 * minuteMs]);
    expect(duplicateWindowMs({})).toBe(60 * minuteMs);
    expect(duplicateWindowMs({ duplicateWindowMinutes: 15 })).toBe(15 * minuteMs);
    expect(cooldownMs({})).toBeNull();
  });

  it('the 10th distinct recipient sees 9 others (fine); the 11th sees 10 (trips)', () => {
    const { deliver, duplicates } = duplicateSpam();
    const text = 'Win a prize today!';
    for (let i = 0; i < 9; i++) deliver(0, text, recipient(i), t0 + minutes(i));
    expect(duplicates(0, text, recipient(9), t0 + minutes(9))).toBe(9);
    deliver(0, text, recipient(9), t0 + minutes(9));
    expect(duplicates(0, text, recipient(10), t0 + minutes(10))).toBe(10);
  });

  it('the same recipient again adds nobody, and is not counted against itself', () => {
    const { deliver, duplicates } = duplicateSpam();
    const text = 'Same old news';
    for (let i = 0; i < 3; i++) deliver(0, text, recipient(0), t0 + minutes(i));
    deliver(0, text, recipient(1), t0 + minutes(3));
    expect(duplicates(0, text, recipient(0), t0 + minutes(4))).toBe(1);
    expect(duplicates(0, text, recipient(2), t0 + minutes(4))).toBe(2);
  });

  it('the same link in different texts is a duplicate; the text and each link are counted apart, not added up', () => {
    const { deliver, duplicates } = duplicateSpam();
    for (let i = 0; i < 4; i++) deliver(0, `look #${i}: https://Spam.example/offer!`, recipient(i), t0 + minutes(i));
    for (let i = 4; i < 7; i++) deliver(0, 'Win a prize https://spam.example/offer', recipient(i), t0 + minutes(i));
    // The link went to 7 recipients, whatever the text around it.
    expect(duplicates(0, 'https://spam.example/offer is new', recipient(9), t0 + minutes(8))).toBe(7);
    // Text (3 recipients) and link (7): the send counts 7, the most of either, not 10.
    expect(duplicates(0, 'win  a PRIZE https://spam.example/offer', recipient(9), t0 + minutes(8))).toBe(7);
    expect(duplicates(0, 'Something else https://spam.example/other', recipient(9), t0 + minutes(8))).toBe(0);
    // A text without links: the same text, case and spacing aside.
    deliver(0, 'Hello there', recipient(7), t0 + minutes(8));
    deliver(0, 'Hello there', recipient(8), t0 + minutes(8));
    expect(duplicates(0, 'hello   THERE', recipient(9), t0 + minutes(9))).toBe(2);
  });

  it('counts per sender, and group conversations as targets', () => {
    const { spam, deliver, duplicates } = duplicateSpam();
    const text = 'Join my group';
    deliver(0, text, spam.conversationTarget('c1', true), t0);
    deliver(0, text, recipient(1), t0);
    // A group conversation is a target of its own, apart from every account; one never delivered to matches nothing.
    expect(spam.conversationTarget('c1', false)).toBe(spam.conversationTarget('c1', true));
    expect(spam.conversationOf(spam.conversationTarget('c1', true))).toBe('c1');
    expect(spam.conversationTarget('c2', false)).toBe(unmetTarget);
    expect(duplicates(0, text, spam.conversationTarget('c2', false), t0 + 1)).toBe(2);
    expect(duplicates(0, text, spam.conversationTarget('c1', false), t0 + 1)).toBe(1);
    expect(duplicates(0, text, recipient(1), t0 + 1)).toBe(1);
    expect(duplicates(1, text, unmetTarget, t0 + 1)).toBe(0);
    expect(duplicates(-1, text, unmetTarget, t0 + 1)).toBe(0);
  });

  it('the log names targets by recipient id or `conversation:<id>`; the state tells them apart by kind', () => {
    expect(duplicateTarget('group_create', 'r2', 'c2')).toBe('conversation:c2');
    expect(targetConversation(duplicateTarget('group_message', null, 'c2'))).toBe('c2');
    expect(duplicateTarget('direct', 'r2', 'dm:x:y')).toBe('r2');
    // An account id may itself read `conversation:c1`: as a direct recipient it is that account, not the group c1.
    const world = new DecisionWorld();
    const account = world.duplicateTarget('direct', 'conversation:c1', true);
    const group = world.duplicateTarget('group_message', 'conversation:c1', true);
    expect(account).toBe(world.accounts.find('conversation:c1'));
    expect(world.duplicateSpam.conversationOf(group)).toBe('c1');
    expect(world.duplicateTarget('group_message', 'conversation:c1', false)).toBe(group);
    expect(world.duplicateTarget('group_message', 'conversation:c9', false)).toBe(unmetTarget);
    expect(world.duplicateTarget('direct', 'never-seen', false)).toBe(unmetTarget);
  });

  it('the window: a delivery 60 minutes minus one millisecond ago counts, one 60 minutes ago no longer', () => {
    const { deliver, duplicates } = duplicateSpam();
    const text = 'Burst at one instant';
    for (let i = 0; i < 10; i++) deliver(0, text, recipient(i), t0);
    expect(duplicates(0, text, recipient(10), t0 + minutes(60) - 1)).toBe(10);
    expect(duplicates(0, text, recipient(10), t0 + minutes(60))).toBe(0);
  });
});

describe('DuplicateSpam: the cooldown, 30 minutes without any attempt', () => {
  it('tripping starts 30 minutes: minute 29 is still in cooldown, minute 30 and 31 are not', () => {
    const { spam, attempt } = duplicateSpam();
    attempt(0, t0, true);
    expect(spam.cooldownUntil(0)).toBe(t0 + minutes(30));
    expect(spam.inCooldown(0, t0 + minutes(29))).toBe(true);
    expect(spam.inCooldown(0, t0 + minutes(30) - 1)).toBe(true);
    expect(spam.inCooldown(0, t0 + minutes(30))).toBe(false);
    expect(spam.inCooldown(0, t0 + minutes(31))).toBe(false);
  });

  it('each attempt during it restarts it from that attempt: 29 and 31 minutes after the last attempt', () => {
    const { spam, attempt } = duplicateSpam();
    attempt(0, t0, true);
    attempt(0, t0 + minutes(29), false); // refused by the cooldown, and restarts it
    expect(spam.cooldownUntil(0)).toBe(t0 + minutes(59));
    // Minute 31 after the trip: still cooling down, the attempt at 29 restarted it.
    expect(spam.inCooldown(0, t0 + minutes(31))).toBe(true);
    attempt(0, t0 + minutes(31), false);
    expect(spam.inCooldown(0, t0 + minutes(31 + 29))).toBe(true);
    expect(spam.inCooldown(0, t0 + minutes(31 + 30) - 1)).toBe(true);
    expect(spam.inCooldown(0, t0 + minutes(31 + 31))).toBe(false);
    expect(spam.cooldownUntil(0)).toBe(t0 + minutes(61));
  });

  it('cooldownAfterAttempt: what one attempt leaves', () => {
    // A trip starts it; an attempt while it runs restarts it; one at or after its end leaves it alone.
    expect(cooldownAfterAttempt(null, params, t0, true)).toBe(t0 + minutes(30));
    expect(cooldownAfterAttempt(t0 + 1, params, t0, false)).toBe(t0 + minutes(30));
    expect(cooldownAfterAttempt(t0, params, t0, false)).toBeNull();
    expect(cooldownAfterAttempt(null, params, t0, false)).toBeNull();
    // A trip after a cooldown ended starts a new one.
    expect(cooldownAfterAttempt(t0 - 1, params, t0, true)).toBe(t0 + minutes(30));
    // A version without a cooldown never has one.
    expect(cooldownAfterAttempt(t0 + 1, {}, t0, true)).toBeNull();
  });

  it('tripsCooldown: any subject whose matching rules named the cooldown', () => {
    expect(tripsCooldown(decisionOf({ outcome: 'limit', params: { reason: 'duplicate_spam', limit: 'cooldown' }, limits: ['cooldown'] }))).toBe(true);
    expect(tripsCooldown(decisionOf({ outcome: 'allow' }, { outcome: 'limit', limits: ['daily', 'cooldown'] }))).toBe(true);
    expect(tripsCooldown(decisionOf({ outcome: 'limit', params: { reason: 'daily_limit', limit: 'daily' }, limits: ['daily'] }))).toBe(false);
    expect(tripsCooldown(decisionOf({ outcome: 'allow' }))).toBe(false);
  });

  it('per sender', () => {
    const { spam, attempt } = duplicateSpam();
    attempt(0, t0, true);
    expect(spam.inCooldown(1, t0 + 1)).toBe(false);
    expect(spam.cooldownUntil(1)).toBeNull();
  });
});

describe('DuplicateSpam: counter reset and retention', () => {
  it('an operator reset forgets the uses and ends the cooldown', () => {
    const { spam, deliver, duplicates, attempt } = duplicateSpam();
    for (let i = 0; i < 10; i++) deliver(0, 'spam', recipient(i), t0);
    deliver(1, 'spam', recipient(0), t0);
    attempt(0, t0 + 1, true);
    spam.reset(0);
    expect(spam.inCooldown(0, t0 + 2)).toBe(false);
    expect(spam.cooldownUntil(0)).toBeNull();
    expect(duplicates(0, 'spam', recipient(10), t0 + 2)).toBe(0);
    expect(spam.snapshot(0)).toEqual([]);
    expect(duplicates(1, 'spam', recipient(10), t0 + 2)).toBe(1);
    deliver(0, 'spam', recipient(1), t0 + 3);
    expect(duplicates(0, 'spam', recipient(10), t0 + 4)).toBe(1);
  });

  it('forgets a use more than 24 h before the latest recorded decision, keeps one exactly 24 h before', () => {
    const { spam, deliver } = duplicateSpam();
    const latest = t0 + dayMs;
    const [text] = fingerprints.message('old news');
    deliver(0, 'old news', recipient(0), latest - dayMs - 1);
    deliver(0, 'old news', recipient(1), latest - dayMs);
    deliver(1, 'anything', recipient(0), latest);
    expect(spam.snapshot(0)).toEqual([[fingerprintKey(text), recipient(1), latest - dayMs]]);
    // A decision dated earlier than the latest, whose window reaches back past the horizon, sees only what is kept.
    expect(spam.duplicateRecipients(0, [text], recipient(9), latest - dayMs - minutes(10))).toBe(1);
  });

  it('a cooldown that ended more than 24 h before the latest recorded decision is forgotten', () => {
    const { retention, spam, attempt } = duplicateSpam();
    attempt(0, t0, true); // ends at t0 + 30 min
    attempt(1, t0 + minutes(1), true); // ends at t0 + 31 min
    retention.advance(t0 + minutes(31) + dayMs);
    expect(spam.cooldownUntil(0)).toBeNull();
    expect(spam.cooldownUntil(1)).toBe(t0 + minutes(31));
    expect(spam.inCooldown(1, t0 + minutes(31) + dayMs)).toBe(false);
  });

  it('a replay keeps each sender\'s uses only as long before its latest delivery as its windows reach', () => {
    const { spam, deliver } = duplicateSpam(60 * minuteMs);
    const [text] = fingerprints.message('burst');
    deliver(0, 'burst', recipient(0), t0);
    deliver(0, 'burst', recipient(1), t0 + minutes(60));
    expect(spam.snapshot(0).map(([, target]) => target)).toEqual([recipient(0), recipient(1)]);
    deliver(0, 'burst', recipient(2), t0 + minutes(60) + 1);
    expect(spam.snapshot(0)).toEqual([[fingerprintKey(text), recipient(1), t0 + minutes(60)], [fingerprintKey(text), recipient(2), t0 + minutes(60) + 1]]);
  });
});

describe('DuplicateSpam: fingerprints held as numbers', () => {
  it('a fingerprint\'s key is the same each time, below 2^53, and differs between 100 000 distinct texts and links', () => {
    const all = Array.from({ length: 50_000 }, (_, i) => fingerprints.message(`message ${i} https://example.com/${i}`)).flat();
    const keys = all.map(fingerprintKey);
    expect(new Set(all).size).toBe(100_000);
    expect(new Set(keys).size).toBe(100_000);
    expect(keys.every((k) => Number.isSafeInteger(k) && k >= 0)).toBe(true);
    expect(all.slice(0, 100).map(fingerprintKey)).toEqual(keys.slice(0, 100));
  });

  it('a text that differs only in its fingerprint\'s last character is another text', () => {
    const { spam, deliver } = duplicateSpam();
    const [text] = fingerprints.message('hello');
    const other = text.slice(0, -1) + (text.endsWith('A') ? 'B' : 'A');
    deliver(0, 'hello', recipient(1), t0);
    expect(spam.duplicateRecipients(0, [text], recipient(2), t0)).toBe(1);
    expect(spam.duplicateRecipients(0, [other], recipient(2), t0)).toBe(0);
    // The same target counts no duplicate, and a target never met is another target.
    expect(spam.duplicateRecipients(0, [text], recipient(1), t0)).toBe(0);
    expect(spam.duplicateRecipients(0, [text], recipient(99), t0)).toBe(1);
    expect(spam.duplicateRecipients(0, [text], unmetTarget, t0)).toBe(1);
  });
});

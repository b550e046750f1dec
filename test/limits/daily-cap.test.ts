/**
 * R10, seed 000 (X, 2023): "There is an account limit of 500 Direct Messages sent per day. Once you
 * reach this limit, you can't send any more Direct Messages for the day." Seed 001 (Twitter, 2016):
 * "There is an account limit of 1,000 Direct Messages sent per day." Seed 004 (API): "you're using
 * your account limit for the 24 hour period (which is 1000 Direct Messages on your account)".
 * x-2023: 500 per calendar day; x-api-v2: 1000 per rolling 24 h. The rule limits at
 * `quota.dailyUsed >= dailyLimit`: 499 used admits the 500th, 500 used refuses the 501st.
 */
import { describe, expect, it } from 'vitest';
import { countsTowardDailyCap, DailyCap, dailyWindow } from '../../server/limits/daily-cap.ts';
import { dayMs } from '../../server/limits/windows.ts';
import { Retention } from '../../server/state/retention.ts';
import { hours, minutes, t0 } from '../support/world.ts';
import { decisionOf, presetParams } from './helpers.ts';

const calendar = presetParams('x-2023');
const rolling = presetParams('x-api-v2');
const second = 1000;
/** t0 is Monday 2 March 2026, 10:00 UTC: the calendar day ends at the next UTC midnight. */
const midnight = Date.parse('2026-03-03T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A DailyCap as the live state holds it: every recorded decision advances the retention first (foldCounters). */
function dailyCap() {
  const retention = new Retention();
  const cap = new DailyCap(retention);
  const record = (sender: number, at: number) => {
    retention.advance(at);
    cap.record(sender, at);
  };
  /** `n` counted sends one second apart from `from`. */
  const recordMany = (sender: number, n: number, from: number) => {
    for (let i = 0; i < n; i++) record(sender, from + i * second);
  };
  return { retention, cap, record, recordMany };
}

describe('DailyCap, calendar day (x-2023: 500 per day)', () => {
  it('presets: x-2023 counts 500 per calendar day, x-api-v2 1000 per rolling 24 h', () => {
    expect([calendar.dailyLimit, dailyWindow(calendar)]).toEqual([500, 'calendar-day']);
    expect([rolling.dailyLimit, dailyWindow(rolling)]).toEqual([1000, 'rolling-24h']);
    expect(dailyWindow({ ...rolling, dailyWindow: 'anything-else' })).toBe('calendar-day');
  });

  it('499 counted: the 500th send is still under the cap; 500 counted: the 501st waits for the next UTC midnight', () => {
    const { cap, recordMany, record } = dailyCap();
    recordMany(0, 499, t0);
    const now = t0 + 600 * second;
    expect(cap.used(0, calendar, now)).toBe(499);
    expect(cap.reopensAt(0, calendar, now)).toBeNull();
    // The 500th, deciding now and counted: the response says 500 of 500.
    expect(cap.quota(0, calendar, now, false)).toEqual({ limit: 500, used: 499, remaining: 1, resetsAt: iso(midnight) });
    expect(cap.quota(0, calendar, now, true)).toEqual({ limit: 500, used: 500, remaining: 0, resetsAt: iso(midnight) });
    record(0, now);
    expect(cap.used(0, calendar, now)).toBe(500);
    expect(cap.reopensAt(0, calendar, now)).toBe(midnight);
    expect(cap.quota(0, calendar, now, false)).toEqual({ limit: 500, used: 500, remaining: 0, resetsAt: iso(midnight) });
  });

  it('the day ends at UTC midnight exactly: one millisecond before, still 500; at midnight, 0 and open', () => {
    const { cap, recordMany } = dailyCap();
    recordMany(0, 500, t0);
    expect(cap.used(0, calendar, midnight - 1)).toBe(500);
    expect(cap.reopensAt(0, calendar, midnight - 1)).toBe(midnight);
    expect(cap.used(0, calendar, midnight)).toBe(0);
    expect(cap.reopensAt(0, calendar, midnight)).toBeNull();
    expect(cap.quota(0, calendar, midnight, true)).toEqual({ limit: 500, used: 1, remaining: 499, resetsAt: iso(midnight + dayMs) });
  });

  it('a send at 00:00:00.000 belongs to the new day, one at 23:59:59.999 to the old one', () => {
    const { cap, record } = dailyCap();
    record(0, midnight - 1);
    expect(cap.used(0, calendar, midnight - 1)).toBe(1);
    expect(cap.used(0, calendar, midnight)).toBe(0);
    record(0, midnight);
    expect(cap.used(0, calendar, midnight)).toBe(1);
    expect(cap.used(0, calendar, midnight + hours(23))).toBe(1);
  });

  it('counts per sender', () => {
    const { cap, recordMany } = dailyCap();
    recordMany(0, 500, t0);
    recordMany(1, 3, t0);
    expect(cap.used(1, calendar, t0 + hours(1))).toBe(3);
    expect(cap.reopensAt(1, calendar, t0 + hours(1))).toBeNull();
    expect(cap.used(2, calendar, t0 + hours(1))).toBe(0);
    expect(cap.used(-1, calendar, t0 + hours(1))).toBe(0);
  });
});

describe('DailyCap, rolling 24 h (x-api-v2: 1000 per 24 h)', () => {
  it('999 counted: the 1000th is under the cap; 1000 counted: the 1001st waits until the oldest is 24 h old', () => {
    const { cap, recordMany, record } = dailyCap();
    recordMany(0, 999, t0);
    const now = t0 + 1000 * second;
    expect(cap.used(0, rolling, now)).toBe(999);
    expect(cap.reopensAt(0, rolling, now)).toBeNull();
    expect(cap.quota(0, rolling, now, true)).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(t0 + dayMs) });
    record(0, now);
    expect(cap.used(0, rolling, now)).toBe(1000);
    expect(cap.reopensAt(0, rolling, now)).toBe(t0 + dayMs);
  });

  it('the oldest send leaves the window exactly 24 h after it: one millisecond before it still counts', () => {
    const { cap, recordMany } = dailyCap();
    recordMany(0, 1000, t0);
    expect(cap.used(0, rolling, t0 + dayMs - 1)).toBe(1000);
    expect(cap.reopensAt(0, rolling, t0 + dayMs - 1)).toBe(t0 + dayMs);
    expect(cap.used(0, rolling, t0 + dayMs)).toBe(999);
    expect(cap.reopensAt(0, rolling, t0 + dayMs)).toBeNull();
    // The response's resetsAt is when the oldest send still in the window leaves it.
    expect(cap.quota(0, rolling, t0 + dayMs, true)).toEqual({ limit: 1000, used: 1000, remaining: 0, resetsAt: iso(t0 + second + dayMs) });
  });

  it('above the cap (a lowered limit): reopens when enough sends leave for one more to fit', () => {
    const { cap, recordMany } = dailyCap();
    recordMany(0, 1000, t0);
    const lowered = { ...rolling, dailyLimit: 998 };
    // 1000 used, 998 allowed: the sends at t0, t0 + 1 s and t0 + 2 s must leave.
    expect(cap.reopensAt(0, lowered, t0 + hours(1))).toBe(t0 + 2 * second + dayMs);
  });

  it('no counted send yet: no reset time; the first counted now resets 24 h from now', () => {
    const { cap } = dailyCap();
    expect(cap.quota(0, rolling, t0, false)).toEqual({ limit: 1000, used: 0, remaining: 1000, resetsAt: null });
    expect(cap.quota(0, rolling, t0, true)).toEqual({ limit: 1000, used: 1, remaining: 999, resetsAt: iso(t0 + dayMs) });
  });

  it('calendar day and rolling 24 h differ across midnight', () => {
    const { cap, record } = dailyCap();
    for (const at of [midnight - minutes(30), midnight - minutes(20), midnight - minutes(10), midnight + minutes(30), midnight + minutes(40)]) record(0, at);
    const now = midnight + hours(1);
    expect(cap.used(0, calendar, now)).toBe(2);
    expect(cap.used(0, rolling, now)).toBe(5);
  });

  it('a version without a dailyLimit reports no quota', () => {
    const { cap } = dailyCap();
    const { dailyLimit: _, ...withoutLimit } = rolling;
    expect(cap.quota(0, withoutLimit, t0, true)).toBeUndefined();
  });
});

describe('countsTowardDailyCap: which sends count', () => {
  it('a delivered message counts, to the inbox or to message requests', () => {
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'allow' }))).toBe(true);
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'request', params: { reason: 'message_request' } }))).toBe(true);
  });

  it('a refused send, or an invite (no message), does not count', () => {
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'deny' }))).toBe(false);
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'limit', params: { limit: 'daily' } }))).toBe(false);
    expect(countsTowardDailyCap(false, decisionOf({ outcome: 'allow' }))).toBe(false);
  });

  it('a free reply (R11: the admitting rule says countsTowardDailyLimit false) does not count', () => {
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'allow', params: { reason: 'reply_window', countsTowardDailyLimit: false } }))).toBe(false);
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'allow', params: { reason: 'allowed', countsTowardDailyLimit: true } }))).toBe(true);
    // Over several subjects, it counts only if no admitting rule exempted any of them.
    expect(countsTowardDailyCap(true, decisionOf({ outcome: 'allow' }, { outcome: 'allow', params: { countsTowardDailyLimit: false } }))).toBe(false);
  });
});

describe('DailyCap: counter reset and retention', () => {
  it('an operator reset: nothing sent so far counts, the next send counts as the first', () => {
    const { cap, recordMany, record } = dailyCap();
    recordMany(0, 500, t0);
    recordMany(1, 2, t0);
    cap.reset(0);
    const now = t0 + hours(1);
    expect(cap.used(0, calendar, now)).toBe(0);
    expect(cap.reopensAt(0, calendar, now)).toBeNull();
    expect(cap.snapshot(0)).toEqual([]);
    expect(cap.used(1, calendar, now)).toBe(2);
    record(0, now);
    expect(cap.used(0, calendar, now)).toBe(1);
    expect(cap.snapshot(0)).toEqual([now]);
  });

  it('forgets a send more than 24 h before the latest recorded decision, keeps one exactly 24 h before', () => {
    const { cap, record } = dailyCap();
    const latest = t0 + dayMs;
    record(0, latest - dayMs - 1);
    record(0, latest - dayMs);
    record(1, latest); // another sender's decision moves the retention on
    expect(cap.snapshot(0)).toEqual([latest - dayMs]);
    // No window at or after the latest reaches the one kept...
    expect(cap.used(0, rolling, latest)).toBe(0);
    // ...a decision dated earlier (a simulated clock set back) sees it, and only it.
    expect(cap.used(0, rolling, latest - 1)).toBe(1);
    expect(cap.used(0, rolling, latest - hours(2))).toBe(1);
  });
});

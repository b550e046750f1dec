/**
 * R12, seed 003 (Twitter API v2): "There is a user rate limit of 200 requests per 15 minutes for the
 * POST method. There is also a rate limit of 1000 requests per 24 hours per user. Additionally, there
 * is a rate limit of 15000 requests per 24 hours. Note that these rate limits are shared across these
 * POST endpoints." The rules limit at `quota.apiUser15m >= apiUserPer15Min` (and alike): 199 made
 * admits the 200th, 200 made refuses the 201st.
 */
import { describe, expect, it } from 'vitest';
import { ApiWindows, countsAsApiRequest } from '../../server/limits/api-windows.ts';
import { dayMs } from '../../server/limits/windows.ts';
import { Retention } from '../../server/state/retention.ts';
import { hours, minutes, t0 } from '../support/world.ts';
import { decisionOf, presetParams } from './helpers.ts';

const params = presetParams('x-api-v2');
const second = 1000;

/** ApiWindows as the live state holds them: every recorded decision advances the retention first (foldCounters). */
function apiWindows() {
  const retention = new Retention();
  const api = new ApiWindows(retention);
  const record = (sender: number, appId: string | null, at: number) => {
    retention.advance(at);
    api.record(sender, appId, at);
  };
  return { api, record };
}

describe('ApiWindows per user', () => {
  it('x-api-v2 caps 200 per 15 min and 1000 per 24 h per user, 15 000 per 24 h per app', () => {
    expect([params.apiUserPer15Min, params.apiUserPer24h, params.apiAppPer24h]).toEqual([200, 1000, 15_000]);
  });

  it('199 requests in 15 min: the 200th is admitted; 200: the 201st waits until the oldest is 15 min old', () => {
    const { api, record } = apiWindows();
    for (let i = 0; i < 199; i++) record(0, null, t0 + i * second);
    const now = t0 + 199 * second;
    expect(api.usage(0, null, now)).toEqual({ apiUser15m: 199, apiUser24h: 199, apiApp24h: 0 });
    expect(api.reopensAt('apiUser15m', 0, null, params, now)).toBeNull();
    record(0, null, now);
    expect(api.usage(0, null, now).apiUser15m).toBe(200);
    expect(api.reopensAt('apiUser15m', 0, null, params, now)).toBe(t0 + minutes(15));
    expect(api.reopensAt('apiUser24h', 0, null, params, now)).toBeNull();
  });

  it('the 15-minute window: one millisecond before the oldest is 15 min old it still counts; at 15 min it has left', () => {
    const { api, record } = apiWindows();
    for (let i = 0; i < 200; i++) record(0, null, t0 + i * second);
    expect(api.usage(0, null, t0 + minutes(15) - 1).apiUser15m).toBe(200);
    expect(api.reopensAt('apiUser15m', 0, null, params, t0 + minutes(15) - 1)).toBe(t0 + minutes(15));
    expect(api.usage(0, null, t0 + minutes(15)).apiUser15m).toBe(199);
    expect(api.reopensAt('apiUser15m', 0, null, params, t0 + minutes(15))).toBeNull();
    // The 24-hour window still holds all 200.
    expect(api.usage(0, null, t0 + minutes(15)).apiUser24h).toBe(200);
  });

  it('999 requests in 24 h: the 1000th is admitted; 1000: the 1001st waits until the oldest is 24 h old, to the millisecond', () => {
    const { api, record } = apiWindows();
    // One a minute: never near the 15-minute cap.
    for (let i = 0; i < 999; i++) record(0, null, t0 + minutes(i));
    const now = t0 + minutes(999);
    // The last 15 minutes hold the requests at minutes 985 … 998.
    expect(api.usage(0, null, now)).toEqual({ apiUser15m: 14, apiUser24h: 999, apiApp24h: 0 });
    expect(api.reopensAt('apiUser24h', 0, null, params, now)).toBeNull();
    record(0, null, now);
    expect(api.usage(0, null, now).apiUser24h).toBe(1000);
    expect(api.reopensAt('apiUser24h', 0, null, params, now)).toBe(t0 + dayMs);
    expect(api.usage(0, null, t0 + dayMs - 1).apiUser24h).toBe(1000);
    expect(api.usage(0, null, t0 + dayMs).apiUser24h).toBe(999);
    expect(api.reopensAt('apiUser24h', 0, null, params, t0 + dayMs)).toBeNull();
  });

  it('above the cap (a lowered limit): reopens when enough requests leave for one more to fit', () => {
    const { api, record } = apiWindows();
    for (let i = 0; i < 200; i++) record(0, null, t0 + i * second);
    // 200 made, 197 allowed: the requests at t0 … t0 + 3 s must leave.
    expect(api.reopensAt('apiUser15m', 0, null, { ...params, apiUserPer15Min: 197 }, t0 + minutes(5))).toBe(t0 + 3 * second + minutes(15));
  });

  it('counts per user: another user, or an account never seen, has made none', () => {
    const { api, record } = apiWindows();
    for (let i = 0; i < 200; i++) record(0, null, t0 + i * second);
    record(1, null, t0);
    expect(api.usage(1, null, t0 + minutes(5))).toEqual({ apiUser15m: 1, apiUser24h: 1, apiApp24h: 0 });
    expect(api.usage(-1, null, t0 + minutes(5))).toEqual({ apiUser15m: 0, apiUser24h: 0, apiApp24h: 0 });
    expect(api.reopensAt('apiUser15m', -1, null, params, t0 + minutes(5))).toBeNull();
  });
});

describe('ApiWindows per app', () => {
  /** `n` requests through `app` from 75 users, five seconds apart from t0 (20 h 50 min for 15 000). */
  function appTraffic(n: number, app = 'app-1') {
    const windows = apiWindows();
    for (let i = 0; i < n; i++) windows.record(i % 75, app, t0 + i * 5 * second);
    return windows;
  }

  it('14 999 requests across its users: the 15 000th is admitted; 15 000: the 15 001st waits until the oldest is 24 h old', () => {
    const { api, record } = appTraffic(14_999);
    const now = t0 + 14_999 * 5 * second;
    expect(api.usage(0, 'app-1', now).apiApp24h).toBe(14_999);
    expect(api.reopensAt('apiApp24h', 0, 'app-1', params, now)).toBeNull();
    record(74, 'app-1', now);
    // Whichever user asks, through the app. User 0 made every 75th request, 375 s apart: 2 in the last 15 min.
    expect(api.usage(0, 'app-1', now)).toEqual({ apiUser15m: 2, apiUser24h: 200, apiApp24h: 15_000 });
    expect(api.usage(200, 'app-1', now).apiApp24h).toBe(15_000);
    expect(api.reopensAt('apiApp24h', 200, 'app-1', params, now)).toBe(t0 + dayMs);
    expect(api.usage(200, 'app-1', t0 + dayMs - 1).apiApp24h).toBe(15_000);
    expect(api.usage(200, 'app-1', t0 + dayMs).apiApp24h).toBe(14_999);
    expect(api.reopensAt('apiApp24h', 200, 'app-1', params, t0 + dayMs)).toBeNull();
  });

  it('the app window is per app; a request through no app counts for no app', () => {
    const { api, record } = appTraffic(10);
    record(0, null, t0 + minutes(1));
    expect(api.usage(0, 'app-2', t0 + minutes(2))).toEqual({ apiUser15m: 2, apiUser24h: 2, apiApp24h: 0 });
    expect(api.usage(0, null, t0 + minutes(2)).apiApp24h).toBe(0);
    expect(api.reopensAt('apiApp24h', 0, null, params, t0 + minutes(2))).toBeNull();
    expect(api.apps()).toEqual(['app-1']);
  });
});

describe('countsAsApiRequest: which attempts count', () => {
  it('every message sent through the API, whatever its outcome', () => {
    expect(countsAsApiRequest(true, 'api', decisionOf({ outcome: 'allow' }))).toBe(true);
    expect(countsAsApiRequest(true, 'api', decisionOf({ outcome: 'deny', params: { reason: 'blocked' } }))).toBe(true);
    expect(countsAsApiRequest(true, 'api', decisionOf({ outcome: 'limit', params: { reason: 'daily_limit', limit: 'daily' } }))).toBe(true);
    expect(countsAsApiRequest(true, 'api', decisionOf({ outcome: 'limit', params: { reason: 'duplicate_cooldown', limit: 'cooldown' } }))).toBe(true);
  });

  it('but not one R12 refused itself, so that a client waiting retryAfterSeconds gets in', () => {
    for (const limit of ['apiUser15m', 'apiUser24h', 'apiApp24h'] as const) {
      expect(countsAsApiRequest(true, 'api', decisionOf({ outcome: 'limit', params: { reason: 'api_rate_limit', limit } })), limit).toBe(false);
    }
  });

  it('nor a send on another channel, nor an invite (no message)', () => {
    for (const channel of ['web', 'app', 'sms']) expect(countsAsApiRequest(true, channel, decisionOf({ outcome: 'allow' })), channel).toBe(false);
    expect(countsAsApiRequest(false, 'api', decisionOf({ outcome: 'allow' }))).toBe(false);
  });
});

describe('ApiWindows: counter reset and retention', () => {
  it("an operator reset takes the user's requests out of its own windows and of its apps'", () => {
    const { api, record } = apiWindows();
    for (let i = 0; i < 5; i++) record(0, 'app-1', t0 + i * second);
    for (let i = 0; i < 3; i++) record(1, 'app-1', t0 + (10 + i) * second);
    api.reset(0);
    const now = t0 + minutes(1);
    expect(api.usage(0, 'app-1', now)).toEqual({ apiUser15m: 0, apiUser24h: 0, apiApp24h: 3 });
    expect(api.usage(1, 'app-1', now)).toEqual({ apiUser15m: 3, apiUser24h: 3, apiApp24h: 3 });
    expect(api.appSnapshot('app-1')).toEqual([[t0 + 10 * second, 1], [t0 + 11 * second, 1], [t0 + 12 * second, 1]]);
    record(0, 'app-1', now);
    expect(api.usage(0, 'app-1', now)).toEqual({ apiUser15m: 1, apiUser24h: 1, apiApp24h: 4 });
  });

  it('forgets a request more than 24 h before the latest recorded decision, keeps one exactly 24 h before', () => {
    const { api, record } = apiWindows();
    const latest = t0 + dayMs;
    record(0, 'app-1', latest - dayMs - 1);
    record(0, 'app-1', latest - dayMs);
    record(1, null, latest);
    expect(api.snapshot(0)).toEqual([latest - dayMs]);
    expect(api.appSnapshot('app-1')).toEqual([[latest - dayMs, 0]]);
    expect(api.usage(0, 'app-1', latest)).toEqual({ apiUser15m: 0, apiUser24h: 0, apiApp24h: 0 });
    // A decision dated earlier than the latest sees only what is kept.
    expect(api.usage(0, 'app-1', latest - 1)).toEqual({ apiUser15m: 0, apiUser24h: 1, apiApp24h: 1 });
    expect(api.usage(0, 'app-1', latest - hours(2))).toEqual({ apiUser15m: 0, apiUser24h: 1, apiApp24h: 1 });
  });
});

/** R12: API send requests per user (15 min, 24 h) and per app (24 h) — when each window reopens. */
import type { Executor } from '../../db/client.ts';
import { nthOldestApiRequest, type SenderState } from '../../db/stores/decision-state.ts';
import type { Params } from '../decisions/facts.ts';
import { dayMs, minuteMs, rollingReopensAt, rollingWindowStart } from './windows.ts';

export type RateWindow = 'apiUser15m' | 'apiUser24h' | 'apiApp24h';

const windows: Record<RateWindow, { lengthMs: number; cap: string; used: (s: SenderState) => number }> = {
  apiUser15m: { lengthMs: 15 * minuteMs, cap: 'apiUserPer15Min', used: (s) => s.apiUser15m },
  apiUser24h: { lengthMs: dayMs, cap: 'apiUserPer24h', used: (s) => s.apiUser24h },
  apiApp24h: { lengthMs: dayMs, cap: 'apiAppPer24h', used: (s) => s.apiApp24h },
};

/** A window's figures after a decision, in the shape of the daily quota. */
export interface RateWindowQuota {
  limit: number;
  used: number;
  remaining: number;
  /** When `remaining` next grows: the oldest counted request leaves (when full: a retry can succeed). */
  resetsAt: string | null;
}

export const rateWindows: readonly RateWindow[] = ['apiUser15m', 'apiUser24h', 'apiApp24h'];

/**
 * The R12 windows of an API send after its decision, for the X API surface's rate-limit headers.
 * `counted`: whether this request counts; `stored`: whether it is already among the rows `db` sees
 * (an enforced send) or not (a dry run, which reports the same figures). Windows whose cap the policy
 * has no parameter for are left out; so is the app window of a send without an app.
 */
export async function rateWindowQuotas(
  db: Executor, sender: SenderState, appId: string | null, params: Params, now: number, request: { counted: boolean; stored: boolean },
): Promise<Partial<Record<RateWindow, RateWindowQuota>>> {
  const quotas: Partial<Record<RateWindow, RateWindowQuota>> = {};
  for (const window of rateWindows) {
    const w = windows[window];
    const limit = params[w.cap];
    const by = window === 'apiApp24h' ? (appId === null ? null : { appId }) : { senderId: sender.account.id };
    if (typeof limit !== 'number' || by === null) continue;
    const before = w.used(sender);
    const used = before + (request.counted ? 1 : 0);
    const k = Math.max(0, used - limit);
    const since = rollingWindowStart(now, w.lengthMs);
    const nth = (i: number) => nthOldestApiRequest(db, by, since, i);
    let oldest: number | null;
    if (used === 0) oldest = null;
    else if (!request.counted || request.stored) oldest = await nth(k);
    else {
      // The k-th oldest of the stored times with `now` added (the clock may have gone back: stored
      // times can be later than now): min(stored[k], max(stored[k-1], now)).
      const kth = k < before ? (await nth(k)) ?? Infinity : Infinity;
      const previous = k > 0 ? (await nth(k - 1)) ?? -Infinity : -Infinity;
      oldest = Math.min(kth, Math.max(previous, now));
    }
    quotas[window] = {
      limit, used, remaining: Math.max(0, limit - used), resetsAt: oldest === null ? null : new Date(oldest + w.lengthMs).toISOString(),
    };
  }
  return quotas;
}

export async function rateWindowReopensAt(db: Executor, window: RateWindow, sender: SenderState, appId: string | null, params: Params, now: number): Promise<number | null> {
  const w = windows[window];
  const since = rollingWindowStart(now, w.lengthMs);
  const by = window === 'apiApp24h' ? (appId === null ? null : { appId }) : { senderId: sender.account.id };
  if (by === null) return null;
  return rollingReopensAt(w.used(sender), Number(params[w.cap]), w.lengthMs, (k) => nthOldestApiRequest(db, by, since, k));
}

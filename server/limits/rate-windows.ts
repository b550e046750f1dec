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

export async function rateWindowReopensAt(db: Executor, window: RateWindow, sender: SenderState, appId: string | null, params: Params, now: number): Promise<number | null> {
  const w = windows[window];
  const since = rollingWindowStart(now, w.lengthMs);
  const by = window === 'apiApp24h' ? (appId === null ? null : { appId }) : { senderId: sender.account.id };
  if (by === null) return null;
  return rollingReopensAt(w.used(sender), Number(params[w.cap]), w.lengthMs, (k) => nthOldestApiRequest(db, by, since, k));
}

/** R10: the daily send cap — when it reopens, and the quota a response reports. */
import type { Executor } from '../../db/client.ts';
import { nthOldestCountedSend, type SenderState } from '../../db/stores/decision-state.ts';
import { dailyWindow, type Params } from '../decisions/facts.ts';
import { dailyWindowStart, dayMs, rollingReopensAt, utcMidnight } from './windows.ts';

export interface DailyQuota {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string | null;
}

/** When a send can count again: the next UTC midnight, or when enough sends leave the rolling 24 h. */
export async function dailyCapReopensAt(db: Executor, sender: SenderState, params: Params, now: number): Promise<number | null> {
  const cap = Number(params.dailyLimit);
  if (dailyWindow(params) === 'calendar-day') return sender.dailyUsed >= cap ? utcMidnight(now) + dayMs : null;
  const since = dailyWindowStart('rolling-24h', now);
  return rollingReopensAt(sender.dailyUsed, cap, dayMs, (k) => nthOldestCountedSend(db, sender.account.id, since, k));
}

/** The daily quota after this decision (`counted`: whether this send was counted). */
export function dailyQuota(sender: SenderState, params: Params, now: number, counted: boolean): DailyQuota | undefined {
  if (typeof params.dailyLimit !== 'number') return undefined;
  const used = sender.dailyUsed + (counted ? 1 : 0);
  let resetsAt: number | null;
  if (dailyWindow(params) === 'calendar-day') resetsAt = utcMidnight(now) + dayMs;
  else {
    const oldest = sender.dailyOldestAt ?? (counted ? now : null);
    resetsAt = oldest === null ? null : oldest + dayMs;
  }
  return { limit: params.dailyLimit, used, remaining: Math.max(0, params.dailyLimit - used), resetsAt: resetsAt === null ? null : new Date(resetsAt).toISOString() };
}

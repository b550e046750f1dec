/**
 * R10, the daily send cap (rule `daily-cap`, fact `quota.dailyUsed`): the sends that count, per
 * sender, over a calendar day or a rolling 24 h; what they give a decision; when the cap reopens.
 */
import { isAdmitted, type Decision } from '../policy/decision.ts';
import type { Params } from '../policy/document.ts';
import type { Retention } from '../state/retention.ts';
import { AccountTimelines, Timeline } from '../state/timeline.ts';
import { dailyWindowStart, dayMs, rollingReopensAt, utcMidnight, type DailyWindow } from './windows.ts';

export interface DailyQuota {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string | null;
}

export function dailyWindow(params: Params): DailyWindow {
  return params.dailyWindow === 'rolling-24h' ? 'rolling-24h' : 'calendar-day';
}

/**
 * Whether a send counts: a message delivered (or sent to requests) that no admitting rule exempted
 * (R11's free replies say `countsTowardDailyLimit: false`).
 */
export function countsTowardDailyCap(isMessage: boolean, decision: Decision): boolean {
  return isAdmitted(decision) && isMessage && decision.subjects.every((s) => s.event.params.countsTowardDailyLimit !== false);
}

/** The counted sends of every sender (by account number), as far back as the retention keeps. */
export class DailyCap {
  private readonly counted: AccountTimelines;

  constructor(private readonly retention: Retention) {
    this.counted = new AccountTimelines(retention);
  }

  /** `sender` sent a counted message at `at`. */
  record(sender: number, at: number): void {
    this.counted.add(sender, at);
  }

  /** Counted sends in the daily window at `now`. */
  used(sender: number, params: Params, now: number): number {
    const timeline = this.timeline(sender);
    return timeline ? timeline.countSince(this.retention.from(dailyWindowStart(dailyWindow(params), now))) : 0;
  }

  /** When a send can count again: the next UTC midnight, or when enough sends leave the rolling 24 h; null while under the cap. */
  reopensAt(sender: number, params: Params, now: number): number | null {
    const cap = Number(params.dailyLimit);
    const used = this.used(sender, params, now);
    if (dailyWindow(params) === 'calendar-day') return used >= cap ? utcMidnight(now) + dayMs : null;
    const since = this.retention.from(dailyWindowStart('rolling-24h', now));
    return rollingReopensAt(used, cap, dayMs, (k) => this.timeline(sender)?.nthSince(since, k) ?? null);
  }

  /** The quota a response reports after this decision (`countedNow`: whether this send was just counted). */
  quota(sender: number, params: Params, now: number, countedNow: boolean): DailyQuota | undefined {
    if (typeof params.dailyLimit !== 'number') return undefined;
    const used = this.used(sender, params, now) + (countedNow ? 1 : 0);
    let resetsAt: number | null;
    if (dailyWindow(params) === 'calendar-day') resetsAt = utcMidnight(now) + dayMs;
    else {
      const oldest = this.timeline(sender)?.nthSince(this.retention.from(dailyWindowStart('rolling-24h', now)), 0) ?? (countedNow ? now : null);
      resetsAt = oldest === null ? null : oldest + dayMs;
    }
    return { limit: params.dailyLimit, used, remaining: Math.max(0, params.dailyLimit - used), resetsAt: resetsAt === null ? null : new Date(resetsAt).toISOString() };
  }

  /** An operator reset the sender's counters: nothing it sent so far counts. */
  reset(sender: number): void {
    this.counted.clear(sender);
  }

  /** The counted send times kept for `sender`, oldest first: for comparing states. */
  snapshot(sender: number): number[] {
    return this.timeline(sender)?.events().map(([at]) => at) ?? [];
  }

  private timeline(sender: number): Timeline | undefined {
    return this.counted.get(sender);
  }
}

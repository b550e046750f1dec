/**
 * R12, the API's rate limits (rules `api-user-15m`, `api-user-24h`, `api-app-24h`; facts
 * `quota.apiUser15m`, `quota.apiUser24h`, `quota.apiApp24h`): send requests per user over 15 minutes
 * and 24 hours and per app over 24 hours, shared by the three send endpoints.
 */
import type { Decision } from '../policy/decision.ts';
import type { LimitName, Params } from '../policy/document.ts';
import type { Retention } from '../state/retention.ts';
import { AccountTimelines, Timeline } from '../state/timeline.ts';
import { dayMs, minuteMs, rollingReopensAt, rollingWindowStart } from './windows.ts';

export type RateWindow = Extract<LimitName, 'apiUser15m' | 'apiUser24h' | 'apiApp24h'>;

/** A window's figures after a decision, in the shape of the daily quota (the X API's rate-limit headers). */
export interface RateWindowQuota {
  limit: number;
  used: number;
  remaining: number;
  /** When `remaining` next grows: the oldest counted request leaves (when full: a retry can succeed). */
  resetsAt: string | null;
}

export const rateWindows: readonly RateWindow[] = ['apiUser15m', 'apiUser24h', 'apiApp24h'];

export interface ApiUsage {
  apiUser15m: number;
  apiUser24h: number;
  apiApp24h: number;
}

const windows: Record<RateWindow, { lengthMs: number; cap: string }> = {
  apiUser15m: { lengthMs: 15 * minuteMs, cap: 'apiUserPer15Min' },
  apiUser24h: { lengthMs: dayMs, cap: 'apiUserPer24h' },
  apiApp24h: { lengthMs: dayMs, cap: 'apiAppPer24h' },
};

/** The cap of a window and its length, as the version sets them. */
export function rateWindow(window: RateWindow, params: Params): { cap: number; lengthMs: number } {
  return { cap: Number(params[windows[window].cap]), lengthMs: windows[window].lengthMs };
}

/**
 * Whether an attempt counts as an API request: every message sent through the API, whatever its
 * outcome, except one R12 refused itself — so that a client waiting `retryAfterSeconds` gets in.
 */
export function countsAsApiRequest(isMessage: boolean, channel: string, decision: Decision): boolean {
  const refusedByRateLimit = decision.outcome === 'limit' && decision.event.params.limit?.startsWith('api') === true;
  return isMessage && channel === 'api' && !refusedByRateLimit;
}

/** API requests by sender (account number) and by app, as far back as the retention keeps. */
export class ApiWindows {
  private readonly bySender: AccountTimelines;
  /** Tagged with the sender, so that a counter reset can take one sender's requests out. */
  private readonly byApp = new Map<string, Timeline>();

  constructor(private readonly retention: Retention) {
    this.bySender = new AccountTimelines(retention);
  }

  /** `sender` made an API request at `at`, through `appId` if any. */
  record(sender: number, appId: string | null, at: number): void {
    this.bySender.add(sender, at);
    if (appId === null) return;
    let app = this.byApp.get(appId);
    if (!app) this.byApp.set(appId, (app = new Timeline(true)));
    app.forget(this.retention.horizon);
    app.add(at, sender);
  }

  usage(sender: number, appId: string | null, now: number): ApiUsage {
    const mine = this.senderTimeline(sender);
    const app = appId === null ? undefined : this.appTimeline(appId);
    // A method, not a closure per call: tsx names each closure as it is made (esbuild's keepNames).
    return {
      apiUser15m: mine?.countSince(this.windowStart(windows.apiUser15m.lengthMs, now)) ?? 0,
      apiUser24h: mine?.countSince(this.windowStart(windows.apiUser24h.lengthMs, now)) ?? 0,
      apiApp24h: app?.countSince(this.windowStart(windows.apiApp24h.lengthMs, now)) ?? 0,
    };
  }

  /** Where a window `lengthMs` long ending at `now` starts, within what is retained. */
  private windowStart(lengthMs: number, now: number): number {
    return this.retention.from(rollingWindowStart(now, lengthMs));
  }

  /** When `window` admits again at `now`; null while it is under its cap (or has no app). */
  reopensAt(window: RateWindow, sender: number, appId: string | null, params: Params, now: number): number | null {
    const { cap, lengthMs } = rateWindow(window, params);
    const timeline = window === 'apiApp24h' ? (appId === null ? undefined : this.appTimeline(appId)) : this.senderTimeline(sender);
    if (!timeline) return null;
    const since = this.windowStart(lengthMs, now);
    return rollingReopensAt(timeline.countSince(since), cap, lengthMs, (k) => timeline.nthSince(since, k));
  }

  /**
   * `window`'s figures after a decision at `now`. `pending`: the decision's own request counts but is
   * not recorded yet (a dry run), so it is counted at `now` as the enforced send will be. Null when the
   * version has no cap for the window, or for the app window of a send without an app.
   */
  quota(window: RateWindow, sender: number, appId: string | null, params: Params, now: number, pending: boolean): RateWindowQuota | null {
    if (typeof params[windows[window].cap] !== 'number' || (window === 'apiApp24h' && appId === null)) return null;
    const { cap, lengthMs } = rateWindow(window, params);
    const timeline = window === 'apiApp24h' ? this.appTimeline(appId!) : this.senderTimeline(sender);
    const since = this.windowStart(lengthMs, now);
    const recorded = timeline?.countSince(since) ?? 0;
    const used = recorded + (pending ? 1 : 0);
    // The k-th oldest request leaves the window first among those above what it admits (k = 0 under the cap).
    const k = Math.max(0, used - cap);
    const nth = (i: number) => timeline?.nthSince(since, i) ?? null;
    let leaves: number | null;
    if (used === 0) leaves = null;
    else if (!pending) leaves = nth(k);
    else {
      // The k-th oldest of the recorded times with `now` among them (a clock set back leaves later
      // times recorded): min(recorded[k], max(recorded[k - 1], now)).
      const kth = k < recorded ? nth(k) ?? Infinity : Infinity;
      const previous = k > 0 ? nth(k - 1) ?? -Infinity : -Infinity;
      leaves = Math.min(kth, Math.max(previous, now));
    }
    return { limit: cap, used, remaining: Math.max(0, cap - used), resetsAt: leaves === null ? null : new Date(leaves + lengthMs).toISOString() };
  }

  /** An operator reset the sender's counters: its requests stop counting, for itself and its apps. */
  reset(sender: number): void {
    this.bySender.clear(sender);
    for (const timeline of this.byApp.values()) timeline.dropTag(sender);
  }

  /** The request times kept for a sender, and for an app (with their senders): for comparing states. */
  snapshot(sender: number): number[] {
    return this.senderTimeline(sender)?.events().map(([at]) => at) ?? [];
  }

  appSnapshot(appId: string): Array<[number, number]> {
    return this.appTimeline(appId)?.events() ?? [];
  }

  apps(): string[] {
    return [...this.byApp.keys()];
  }

  private senderTimeline(sender: number): Timeline | undefined {
    return this.bySender.get(sender);
  }

  private appTimeline(appId: string): Timeline | undefined {
    const timeline = this.byApp.get(appId);
    timeline?.forget(this.retention.horizon);
    return timeline;
  }
}

/**
 * The counters of one replayed world, in memory, mirroring what the store counts for a live decision:
 * counted sends (R10), API requests per sender and per app (R12), cooldowns and duplicate targets
 * (R14) and pair history (R5, R11). Fed with the decisions of that world, through the same recording
 * rules as server/decisions/record.ts, so the two can't drift apart.
 */
import type { SenderState } from '../../../db/stores/decision-state.ts';
import type { Decision } from '../../decisions/decide.ts';
import { fingerprintTarget, type Params } from '../../decisions/facts.ts';
import { countsAsApiRequest, countsTowardDailyCap, tripsCooldown } from '../../decisions/record.ts';
import { cooldownAfterAttempt } from '../../limits/duplicate-cooldown.ts';
import { dailyWindowStart, dayMs, minuteMs, rollingWindowStart, type DailyWindow } from '../../limits/windows.ts';
import type { ReplayAttempt } from './attempt.ts';
import { PairLedger } from './pair-history.ts';
import { Timeline } from './timeline.ts';

export interface ApiUsage {
  apiUser15m: number;
  apiUser24h: number;
  apiApp24h: number;
}

const isAdmitted = (d: Decision) => d.outcome === 'allow' || d.outcome === 'request';

export class ReplayState {
  private readonly counted = new Map<string, Timeline>();
  private readonly apiBySender = new Map<string, Timeline>();
  private readonly apiByApp = new Map<string, Timeline>();
  /** Known cooldown ends; a sender absent here hasn't made a message attempt in the replay yet. */
  private readonly cooldownUntil = new Map<string, number | null>();
  /** sender → fingerprint → target → latest delivery. */
  private readonly targets = new Map<string, Map<string, Map<string, number>>>();
  readonly pairs = new PairLedger();

  /** `keepMs`: how far back duplicate targets are needed (the longest duplicate window). */
  constructor(private readonly keepMs: number = dayMs) {}

  dailyUsed(senderId: string, window: DailyWindow, now: number): number {
    const timeline = this.counted.get(senderId);
    if (!timeline) return 0;
    timeline.forget(now - dayMs);
    return timeline.countSince(dailyWindowStart(window, now));
  }

  apiUsage(senderId: string, appId: string | null, now: number): ApiUsage {
    const mine = this.apiBySender.get(senderId);
    mine?.forget(now - dayMs);
    const app = appId === null ? undefined : this.apiByApp.get(appId);
    app?.forget(now - dayMs);
    return {
      apiUser15m: mine?.countSince(rollingWindowStart(now, 15 * minuteMs)) ?? 0,
      apiUser24h: mine?.countSince(rollingWindowStart(now, dayMs)) ?? 0,
      apiApp24h: app?.countSince(rollingWindowStart(now, dayMs)) ?? 0,
    };
  }

  /** Whether the sender is in a cooldown, or undefined while the replay doesn't know yet. */
  inCooldown(senderId: string, now: number): boolean | undefined {
    if (!this.cooldownUntil.has(senderId)) return undefined;
    const until = this.cooldownUntil.get(senderId)!;
    return until !== null && until > now;
  }

  /**
   * Takes over a sender's cooldown at its first message attempt in the replay, from what the log says
   * the sender was in then. An attempt during a cooldown restarts it, so the moment it would have
   * ended before doesn't matter: only whether it was running.
   */
  seedCooldown(senderId: string, running: boolean, now: number): void {
    if (!this.cooldownUntil.has(senderId)) this.cooldownUntil.set(senderId, running ? now + 1 : null);
  }

  /** Distinct other targets that got any of `fingerprints` from the sender at or after `since` (R14). */
  duplicateRecipients(senderId: string, fingerprints: string[], target: string, since: number, now: number): number {
    const bySender = this.targets.get(senderId);
    if (!bySender) return 0;
    let most = 0;
    for (const fingerprint of fingerprints) {
      const byTarget = bySender.get(fingerprint);
      if (!byTarget) continue;
      let n = 0;
      for (const [t, at] of byTarget) {
        if (at < now - this.keepMs) byTarget.delete(t);
        else if (at >= since && t !== target) n++;
      }
      if (n > most) most = n;
    }
    return most;
  }

  /** What this world's decision on the attempt leaves behind: record.ts's rules, in memory. */
  record(attempt: ReplayAttempt, decision: Decision, params: Params): void {
    const { request, at } = attempt;
    const senderId = request.senderId;
    if (countsAsApiRequest(request, decision)) {
      timelineOf(this.apiBySender, senderId).add(at);
      if (request.appId !== undefined) timelineOf(this.apiByApp, request.appId).add(at, senderId);
    }
    if (attempt.isMessage) {
      const sender = { cooldownUntil: this.cooldownUntil.get(senderId) ?? null } as SenderState; // cooldownAfterAttempt reads only this
      const until = cooldownAfterAttempt(sender, params, at, tripsCooldown(decision));
      if (until !== null) this.cooldownUntil.set(senderId, until);
    }
    if (!isAdmitted(decision) || request.kind === 'group_invite') return; // an invite delivers no message
    if (countsTowardDailyCap(request, decision)) timelineOf(this.counted, senderId).add(at);
    const recipientId = request.kind === 'direct' ? request.recipientIds[0] : null;
    const target = fingerprintTarget(request, recipientId, attempt.newConversationId);
    if (attempt.fingerprints.length) {
      let bySender = this.targets.get(senderId);
      if (!bySender) this.targets.set(senderId, (bySender = new Map()));
      for (const fingerprint of attempt.fingerprints) {
        let byTarget = bySender.get(fingerprint);
        if (!byTarget) bySender.set(fingerprint, (byTarget = new Map()));
        byTarget.set(target, at);
      }
    }
    if (recipientId !== null) this.pairs.delivered(senderId, recipientId, at);
  }

  /**
   * An operator reset the sender's counters at `at` (account-controls): what it counted in the last
   * 24 h stops counting and its cooldown ends. Anything older is outside every window from then on,
   * so the sender's counters simply start again.
   */
  resetCounters(senderId: string): void {
    this.counted.delete(senderId);
    this.apiBySender.delete(senderId);
    for (const timeline of this.apiByApp.values()) timeline.dropTag(senderId);
    this.targets.delete(senderId);
    this.cooldownUntil.set(senderId, null);
  }
}

function timelineOf(map: Map<string, Timeline>, key: string): Timeline {
  let timeline = map.get(key);
  if (!timeline) map.set(key, (timeline = new Timeline()));
  return timeline;
}

/**
 * The counters of one replayed world, in memory, mirroring what the store counts for a live decision:
 * counted sends (R10), API requests per sender and per app (R12), cooldowns and duplicate targets
 * (R14) and pair history (R5, R11). Fed with the decisions of that world, through the same recording
 * rules as server/decisions/record.ts, so the two can't drift apart. Senders are the replay's account
 * numbers (numbering.ts).
 */
import type { SenderState } from '../../../db/stores/decision-state.ts';
import type { Decision } from '../../decisions/decide.ts';
import { fingerprintTarget, type Params } from '../../decisions/facts.ts';
import { countsAsApiRequest, countsTowardDailyCap, tripsCooldown } from '../../decisions/record.ts';
import { cooldownAfterAttempt } from '../../limits/duplicate-cooldown.ts';
import { dailyWindowStart, dayMs, minuteMs, rollingWindowStart, type DailyWindow } from '../../limits/windows.ts';
import type { ReplayAttempt } from './attempt.ts';
import { DuplicateTargets } from './duplicate-targets.ts';
import { NumberRows, ObjectColumn } from './numbering.ts';
import { PairLedger } from './pair-history.ts';
import { Timeline } from './timeline.ts';

export interface ApiUsage {
  apiUser15m: number;
  apiUser24h: number;
  apiApp24h: number;
}

const isAdmitted = (d: Decision) => d.outcome === 'allow' || d.outcome === 'request';

export class ReplayState {
  /** By sender (its account number). */
  private readonly counted = new ObjectColumn<Timeline>();
  private readonly apiBySender = new ObjectColumn<Timeline>();
  /** By app id, each event tagged with its sender. */
  private readonly apiByApp = new Map<string, Timeline>();
  /** By sender: when its cooldown ends; -Infinity for none, NaN while it hasn't made a message attempt in the replay. */
  private readonly cooldownUntil = new NumberRows([NaN]);
  private readonly targets: DuplicateTargets;
  readonly pairs: PairLedger;

  /**
   * `duplicateWindowMs`: the candidate's, how far back duplicate targets are needed. `expectedPairs`:
   * about how many pairs the replay will meet (PairNumbers).
   */
  constructor(duplicateWindowMs: number, expectedPairs: number) {
    this.targets = new DuplicateTargets(duplicateWindowMs);
    this.pairs = new PairLedger(expectedPairs);
  }

  dailyUsed(sender: number, window: DailyWindow, now: number): number {
    const timeline = this.counted.get(sender);
    if (!timeline) return 0;
    timeline.forget(now - dayMs);
    return timeline.countSince(dailyWindowStart(window, now));
  }

  apiUsage(sender: number, appId: string | null, now: number): ApiUsage {
    const mine = this.apiBySender.get(sender);
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
  inCooldown(sender: number, now: number): boolean | undefined {
    const until = this.cooldownUntil.get(sender, 0);
    return Number.isNaN(until) ? undefined : until > now;
  }

  /**
   * Takes over a sender's cooldown at its first message attempt in the replay, from what the log says
   * the sender was in then. An attempt during a cooldown restarts it, so the moment it would have
   * ended before doesn't matter: only whether it was running.
   */
  seedCooldown(sender: number, running: boolean, now: number): void {
    if (Number.isNaN(this.cooldownUntil.get(sender, 0))) this.cooldownUntil.set(sender, 0, running ? now + 1 : -Infinity);
  }

  /** Distinct other targets that got any of `fingerprints` from the sender at or after `since` (R14). */
  duplicateRecipients(sender: number, fingerprints: string[], target: string, since: number): number {
    return this.targets.count(sender, fingerprints, target, since);
  }

  /** What this world's decision on the attempt leaves behind: record.ts's rules, in memory. */
  record(attempt: ReplayAttempt, decision: Decision, params: Params): void {
    const { request, at, sender } = attempt;
    if (countsAsApiRequest(request, decision)) {
      senderTimeline(this.apiBySender, sender).add(at);
      if (request.appId !== undefined) appTimeline(this.apiByApp, request.appId).add(at, sender);
    }
    if (attempt.isMessage) {
      const until = this.cooldownUntil.get(sender, 0);
      // cooldownAfterAttempt reads only this of the sender's state.
      const state = { cooldownUntil: Number.isNaN(until) || until === -Infinity ? null : until } as SenderState;
      const next = cooldownAfterAttempt(state, params, at, tripsCooldown(decision));
      if (next !== null) this.cooldownUntil.set(sender, 0, next);
    }
    if (!isAdmitted(decision) || request.kind === 'group_invite') return; // an invite delivers no message
    if (countsTowardDailyCap(request, decision)) senderTimeline(this.counted, sender).add(at);
    const recipientId = request.kind === 'direct' ? request.recipientIds[0] : null;
    if (attempt.fingerprints.length) this.targets.add(sender, attempt.fingerprints, fingerprintTarget(request, recipientId, attempt.newConversationId), at);
    if (recipientId !== null) this.pairs.delivered(attempt.toRecipient, attempt.fromRecipient, at);
  }

  /**
   * An operator reset the sender's counters at `at` (account-controls): what it counted in the last
   * 24 h stops counting and its cooldown ends. Anything older is outside every window from then on,
   * so the sender's counters simply start again.
   */
  resetCounters(sender: number): void {
    this.counted.set(sender, undefined);
    this.apiBySender.set(sender, undefined);
    for (const timeline of this.apiByApp.values()) timeline.dropTag(sender);
    this.targets.drop(sender);
    this.cooldownUntil.set(sender, 0, -Infinity);
  }
}

function senderTimeline(timelines: ObjectColumn<Timeline>, sender: number): Timeline {
  let timeline = timelines.get(sender);
  if (!timeline) timelines.set(sender, (timeline = new Timeline()));
  return timeline;
}

function appTimeline(timelines: Map<string, Timeline>, appId: string): Timeline {
  let timeline = timelines.get(appId);
  if (!timeline) timelines.set(appId, (timeline = new Timeline(true)));
  return timeline;
}

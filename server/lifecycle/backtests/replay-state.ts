/**
 * One replayed world's counters: the same rule families as the live state (server/limits/: daily
 * cap, API windows, duplicate spam, pair history), folded through the same recording rules
 * (decisions/record.ts's countersOf, state/world.ts's foldCounters), over the replay's account and
 * pair numbers. A candidate's decisions, with its parameters, are what it counts.
 */
import { countersOf } from '../../decisions/record.ts';
import { ApiWindows, type ApiUsage } from '../../limits/api-windows.ts';
import { DailyCap } from '../../limits/daily-cap.ts';
import { DuplicateSpam, type Target } from '../../limits/duplicate-spam.ts';
import { PairHistory } from '../../limits/pair-history.ts';
import { isAdmitted, type Decision } from '../../policy/decision.ts';
import type { Params } from '../../policy/document.ts';
import { ByteColumn } from '../../state/numbering.ts';
import { Retention } from '../../state/retention.ts';
import { foldCounters, type CounterFamilies } from '../../state/world.ts';
import type { ReplayAttempt } from './attempt.ts';

export class ReplayState implements CounterFamilies {
  readonly retention = new Retention();
  readonly dailyCap = new DailyCap(this.retention);
  readonly apiWindows = new ApiWindows(this.retention);
  readonly duplicateSpam: DuplicateSpam;
  /** Delivered direct messages in this world, by the replay's pair numbers. */
  readonly pairs: PairHistory;
  /** By sender: 1 once its cooldown is known — from its first message attempt in the replay, or a reset. */
  private readonly cooldownKnown = new ByteColumn();

  /**
   * `duplicateWindowMs`: the candidate's, how far back duplicate targets are needed. `expectedPairs`:
   * about how many pairs the replay will meet (PairNumbers).
   */
  constructor(duplicateWindowMs: number, expectedPairs: number) {
    this.duplicateSpam = new DuplicateSpam(this.retention, duplicateWindowMs);
    this.pairs = new PairHistory(expectedPairs);
  }

  dailyUsed(sender: number, params: Params, now: number): number {
    return this.dailyCap.used(sender, params, now);
  }

  apiUsage(sender: number, appId: string | null, now: number): ApiUsage {
    return this.apiWindows.usage(sender, appId, now);
  }

  /** Whether the sender is in a cooldown, or undefined while the replay doesn't know yet. */
  inCooldown(sender: number, now: number): boolean | undefined {
    return this.cooldownKnown.get(sender) ? this.duplicateSpam.inCooldown(sender, now) : undefined;
  }

  /**
   * Takes over a sender's cooldown at its first message attempt in the replay, from what the log says
   * the sender was in then. An attempt during a cooldown restarts it, so the moment it would have
   * ended before doesn't matter: only whether it was running.
   */
  seedCooldown(sender: number, running: boolean, now: number): void {
    if (this.cooldownKnown.get(sender)) return;
    this.cooldownKnown.set(sender, 1);
    if (running) this.duplicateSpam.restartCooldown(sender, now + 1);
  }

  /** Distinct other targets that got any of `fingerprints` from the sender at or after `since` (R14). */
  duplicateRecipients(sender: number, fingerprints: string[], target: Target, since: number): number {
    return this.duplicateSpam.duplicateRecipients(sender, fingerprints, target, since);
  }

  /** What this world's decision on the attempt leaves behind, by the live recording rules. */
  record(attempt: ReplayAttempt, decision: Decision, params: Params): void {
    const { request, at, sender } = attempt;
    const admitted = isAdmitted(decision);
    const cooldownUntil = this.cooldownKnown.get(sender) ? this.duplicateSpam.cooldownUntil(sender) : null;
    const counters = countersOf(attempt.isMessage, request.channel, decision, params, cooldownUntil, at);
    const delivered = admitted && request.kind !== 'group_invite';
    const target = delivered && attempt.fingerprints.length ? this.duplicateTarget(attempt, true) : null;
    foldCounters(this, sender, { at, appId: request.appId ?? null, kind: request.kind, admitted, ...counters, fingerprints: attempt.fingerprints }, target);
    if (delivered && attempt.recipient >= 0) this.pairs.delivered(attempt.toRecipient, attempt.fromRecipient, at, attempt.log.seq);
  }

  /**
   * Where the attempt's message lands for duplicate counting (the direct recipient by the replay's
   * account number, else the group conversation); `delivered`: numbered if new, else unmetTarget if never met.
   */
  duplicateTarget(attempt: ReplayAttempt, delivered: boolean): Target {
    if (attempt.recipient >= 0) return attempt.recipient;
    return this.duplicateSpam.conversationTarget(attempt.request.conversationId ?? attempt.newConversationId!, delivered);
  }

  /**
   * An operator reset the sender's counters (account-controls): what it counted stops counting and
   * its cooldown ends.
   */
  resetCounters(sender: number): void {
    this.dailyCap.reset(sender);
    this.apiWindows.reset(sender);
    this.duplicateSpam.reset(sender);
    this.cooldownKnown.set(sender, 1);
  }
}

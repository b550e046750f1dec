/**
 * R14, duplicate spam (rules `duplicate-spam` and `duplicate-cooldown`; facts
 * `content.duplicateRecipients`, `sender.inCooldown`): where each sender's texts and links went over
 * the duplicate window, and the cooldown, which lasts cooldownMinutes "without any attempt" — an
 * attempt while it runs, or one that trips it, (re)starts it from that attempt.
 */
import type { Decision } from '../policy/decision.ts';
import type { Params } from '../policy/document.ts';
import { NumberRows, ObjectColumn } from '../state/numbering.ts';
import type { Retention } from '../state/retention.ts';
import { minuteMs } from './windows.ts';

export function duplicateWindowMs(params: Params): number {
  return (typeof params.duplicateWindowMinutes === 'number' ? params.duplicateWindowMinutes : 60) * minuteMs;
}

export function cooldownMs(params: Params): number | null {
  return typeof params.cooldownMinutes === 'number' ? params.cooldownMinutes * minuteMs : null;
}

/** Whether the attempt trips the cooldown: any subject's matching rules named it. */
export const tripsCooldown = (decision: Decision) => decision.subjects.some((s) => s.limits.includes('cooldown'));

/** The cooldown's end after a message attempt, or null when the attempt leaves it alone. */
export function cooldownAfterAttempt(until: number | null, params: Params, now: number, tripped: boolean): number | null {
  const length = cooldownMs(params);
  if (length === null) return null;
  return tripped || (until !== null && until > now) ? now + length : null;
}

/**
 * Where a message lands, for duplicate counting, as the log records it (`fingerprint_target`): the
 * recipient of a direct one, or the group conversation. DuplicateSpam counts by number (`Target`).
 */
export function duplicateTarget(kind: string, recipientId: string | null, conversationId: string | null): string {
  return kind === 'direct' ? recipientId! : `${conversationPrefix}${conversationId}`;
}

const conversationPrefix = 'conversation:';

/** The group conversation of a logged target of a group kind (duplicateTarget). */
export function targetConversation(target: string): string {
  return target.slice(conversationPrefix.length);
}

/**
 * A duplicate target as DuplicateSpam counts it: a direct message's recipient by its account number
 * (>= 0, the numbering of the state that holds the family), a group conversation by the negative
 * number DuplicateSpam gives it (conversationTarget). -1 is a target nothing was delivered to.
 */
export type Target = number;

/** A target nothing was delivered to: it matches no use. */
export const unmetTarget: Target = -1;

/**
 * A sender's deliveries that carried fingerprints, oldest first: the k-th's (k < size) fingerprint
 * key and target number at 2k and 2k + 1 of `keys`, its time at k of `times`. Two arrays of numbers
 * (a third cost a sender who sends once more than its use), kept from one message to the next and
 * overwritten in place: an object per delivery left a million for the garbage collector to trace and
 * promote in a replay. The live state keeps every delivery of the last 24 hours (a version published
 * with a longer window counts them at once); holding the fingerprints' texts, the windows kept ~90
 * bytes a decision, as numbers ~40 (bench/RESULTS.md, session 10).
 */
interface Uses {
  keys: number[];
  times: number[];
  size: number;
}

/**
 * A fingerprint as a number below 2^53: two FNV-1a hashes of its text, 32 and 21 bits. Fingerprints
 * are keyed hashes already (limits/fingerprint.ts); two that differ share a key once in ~10^16 pairs,
 * and a sender's uses are compared only among themselves.
 */
export function fingerprintKey(fingerprint: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ fingerprint.length;
  for (let i = 0; i < fingerprint.length; i++) {
    const c = fingerprint.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) >>> 11);
}

/** Fingerprint uses and cooldowns by sender (account number). */
export class DuplicateSpam {
  private readonly bySender = new ObjectColumn<Uses>();
  /** By sender, its latest use: most senders sent nothing within a window, which this tells without a look at their list. */
  private readonly latest = new NumberRows([-Infinity]);
  /** By sender, when its cooldown ends; -Infinity for none. */
  private readonly cooldowns = new NumberRows([-Infinity]);
  /**
   * Group conversations' targets, numbered as first met (-2, -3, …). Recipients are targets by their
   * account numbers: a map of their ids here held a second copy of every recipient's id, and a replay
   * paid a look-up in it (a cache miss at a million accounts) for every delivery and every check.
   */
  private readonly conversationNumbers = new Map<string, Target>();
  /** By -2 - target: the conversation's id. */
  private readonly conversationIds: string[] = [];

  /**
   * `keepMs`: how long before its latest delivery a sender's uses are kept (beside the retention's
   * horizon). A replay passes its candidates' longest duplicate window, so that heavy senders' lists
   * stay short; the live state keeps what the retention keeps.
   */
  constructor(private readonly retention: Retention, private readonly keepMs = Infinity) {}

  /** Distinct targets other than `target` that got any of `fingerprints` from `sender` at or after `since`. */
  duplicateRecipients(sender: number, fingerprints: readonly string[], own: Target, since: number): number {
    const from = this.retention.from(since);
    if (this.latest.get(sender, 0) < from) return 0;
    const { keys, times, size } = this.bySender.get(sender)!;
    let most = 0;
    for (const fingerprint of fingerprints) {
      const key = fingerprintKey(fingerprint);
      let seen: Set<number> | null = null; // made only on a match
      for (let k = 0; k < size; k++) {
        if (times[k] >= from && keys[2 * k] === key && keys[2 * k + 1] !== own) (seen ??= new Set()).add(keys[2 * k + 1]);
      }
      if (seen !== null && seen.size > most) most = seen.size;
    }
    return most;
  }

  /** A message with `fingerprints` from `sender` reached `target` at `at`. */
  recordDelivery(sender: number, fingerprints: readonly string[], target: Target, at: number): void {
    if (!fingerprints.length) return;
    let uses = this.bySender.get(sender);
    if (uses === undefined) this.bySender.set(sender, (uses = { keys: [], times: [], size: 0 }));
    else forget(uses, Math.max(this.retention.horizon, at - this.keepMs));
    for (const fingerprint of fingerprints) {
      const k = uses.size++;
      uses.keys[2 * k] = fingerprintKey(fingerprint);
      uses.keys[2 * k + 1] = target;
      uses.times[k] = at;
    }
    if (at > this.latest.get(sender, 0)) this.latest.set(sender, 0, at);
  }

  /**
   * When the sender's cooldown ends, or null if it had none that ends within the retention (a
   * cooldown lasts at most a day, so one that ended before the horizon no longer matters).
   */
  cooldownUntil(sender: number): number | null {
    const until = this.cooldowns.get(sender, 0);
    return until === -Infinity || until < this.retention.horizon ? null : until;
  }

  inCooldown(sender: number, now: number): boolean {
    const until = this.cooldownUntil(sender);
    return until !== null && until > now;
  }

  /** An attempt (re)started the sender's cooldown: it now ends at `until`. */
  restartCooldown(sender: number, until: number): void {
    this.cooldowns.set(sender, 0, until);
  }

  /** An operator reset the sender's counters: its uses are forgotten and its cooldown ends. */
  reset(sender: number): void {
    this.bySender.set(sender, undefined);
    this.latest.set(sender, 0, -Infinity);
    this.cooldowns.set(sender, 0, -Infinity);
  }

  /** The uses kept for `sender` as [fingerprint key, target, at], oldest first: for comparing states and for a counter reset. */
  snapshot(sender: number): Array<[number, Target, number]> {
    const uses = this.bySender.get(sender);
    if (!uses) return [];
    forget(uses, this.retention.horizon);
    const out: Array<[number, Target, number]> = [];
    for (let k = 0; k < uses.size; k++) out.push([uses.keys[2 * k], uses.keys[2 * k + 1], uses.times[k]]);
    return out;
  }

  /**
   * The target of the group conversation `conversationId`: for a delivery (`delivered`), numbered if it
   * was not yet; for a look-up, unmetTarget if nothing was ever delivered there.
   */
  conversationTarget(conversationId: string, delivered: boolean): Target {
    let n = this.conversationNumbers.get(conversationId);
    if (n === undefined) {
      if (!delivered) return unmetTarget;
      this.conversationNumbers.set(conversationId, (n = -2 - this.conversationIds.length));
      this.conversationIds.push(conversationId);
    }
    return n;
  }

  /** The group conversation a negative target stands for. */
  conversationOf(target: Target): string {
    return this.conversationIds[-2 - target];
  }
}

/**
 * Drops the uses before `before` from the front, moving the rest there. Uses come in time order but
 * for a simulated clock set back, and then a stale one can outlive a later one: duplicateRecipients
 * ignores it, and live and rebuilt states keep the same ones.
 */
function forget(uses: Uses, before: number): void {
  const { keys, times, size } = uses;
  let stale = 0;
  while (stale < size && times[stale] < before) stale++;
  if (!stale) return;
  for (let k = stale; k < size; k++) {
    times[k - stale] = times[k];
    keys[2 * (k - stale)] = keys[2 * k];
    keys[2 * (k - stale) + 1] = keys[2 * k + 1];
  }
  uses.size = size - stale;
}

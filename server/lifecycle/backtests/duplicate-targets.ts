/**
 * Where each sender's messages went, by fingerprint, over the duplicate window (R14): what
 * send_fingerprints answers the live decision path. One short list per sender, in time order: most
 * senders have none or a few, and nearly every text is new. A list drops what left the window
 * whenever its sender sends, so it never holds more than one window of the sender's messages.
 * Senders are the replay's account numbers (numbering.ts).
 */
import { NumberRows, ObjectColumn } from './numbering.ts';

/**
 * A sender's deliveries that carried fingerprints, oldest first: the fingerprint and target of the
 * k-th (k < size) at 2k and 2k + 1 of `keys`, its time at k of `times`. Arrays kept from one message
 * to the next and overwritten in place (an object per delivery left a million for the garbage
 * collector to trace and promote, and shortening arrays cost about as much).
 */
interface Uses {
  keys: string[];
  times: number[];
  size: number;
}

export class DuplicateTargets {
  private readonly bySender = new ObjectColumn<Uses>();
  /** By sender, its latest use: most senders sent nothing within the window, which this tells without a look at their list. */
  private readonly latest = new NumberRows([-Infinity]);

  /** `keepMs`: how far back targets are needed (the duplicate window). */
  constructor(private readonly keepMs: number) {}

  /** Distinct targets other than `target` that got any of `fingerprints` from `sender` at or after `since`. */
  count(sender: number, fingerprints: string[], target: string, since: number): number {
    if (this.latest.get(sender, 0) < since) return 0;
    const { keys, times, size } = this.bySender.get(sender)!;
    let most = 0;
    for (const fingerprint of fingerprints) {
      let seen: Set<string> | null = null; // made only on a match
      for (let k = 0; k < size; k++) {
        if (times[k] >= since && keys[2 * k] === fingerprint && keys[2 * k + 1] !== target) (seen ??= new Set()).add(keys[2 * k + 1]);
      }
      if (seen !== null && seen.size > most) most = seen.size;
    }
    return most;
  }

  /** A message with `fingerprints` from `sender` reached `target` at `at` (added in time order). */
  add(sender: number, fingerprints: string[], target: string, at: number): void {
    let uses = this.bySender.get(sender);
    if (uses === undefined) this.bySender.set(sender, (uses = { keys: [], times: [], size: 0 }));
    else if (this.latest.get(sender, 0) < at - this.keepMs) uses.size = 0; // all gone: no need to read them
    else forget(uses, at - this.keepMs);
    for (const fingerprint of fingerprints) {
      const k = uses.size++;
      uses.keys[2 * k] = fingerprint;
      uses.keys[2 * k + 1] = target;
      uses.times[k] = at;
    }
    this.latest.set(sender, 0, at);
  }

  /** Forgets the sender's messages (a counter reset). */
  drop(sender: number): void {
    this.bySender.set(sender, undefined);
    this.latest.set(sender, 0, -Infinity);
  }
}

/** Drops the uses before `before` (the oldest come first), moving the rest to the front. */
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

/**
 * Where each sender's messages went, by fingerprint, over the duplicate window (R14): what
 * send_fingerprints answers the live decision path. One short list per sender, in time order: most
 * senders have none or a few, and nearly every text is new. A list drops what left the window
 * whenever its sender sends, so it never holds more than one window of the sender's messages.
 * Senders are the replay's account numbers (numbering.ts).
 */
import { NumberRows, ObjectColumn } from './numbering.ts';

/** A delivery that carried a fingerprint. */
interface Use {
  fingerprint: string;
  target: string;
  at: number;
}

export class DuplicateTargets {
  private readonly bySender = new ObjectColumn<Use[]>();
  /** By sender, its latest use: most senders sent nothing within the window, which this tells without a look at their list. */
  private readonly latest = new NumberRows([-Infinity]);

  /** `keepMs`: how far back targets are needed (the duplicate window). */
  constructor(private readonly keepMs: number) {}

  /** Distinct targets other than `target` that got any of `fingerprints` from `sender` at or after `since`. */
  count(sender: number, fingerprints: string[], target: string, since: number): number {
    if (this.latest.get(sender, 0) < since) return 0;
    const uses = this.bySender.get(sender)!;
    let most = 0;
    for (const fingerprint of fingerprints) {
      let seen: Set<string> | null = null; // made only on a match
      for (const use of uses) {
        if (use.at >= since && use.fingerprint === fingerprint && use.target !== target) (seen ??= new Set()).add(use.target);
      }
      if (seen !== null && seen.size > most) most = seen.size;
    }
    return most;
  }

  /** A message with `fingerprints` from `sender` reached `target` at `at` (added in time order). */
  add(sender: number, fingerprints: string[], target: string, at: number): void {
    let uses = this.bySender.get(sender);
    if (uses === undefined) this.bySender.set(sender, (uses = []));
    else forget(uses, at - this.keepMs);
    for (const fingerprint of fingerprints) uses.push({ fingerprint, target, at });
    this.latest.set(sender, 0, at);
  }

  /** Forgets the sender's messages (a counter reset). */
  drop(sender: number): void {
    this.bySender.set(sender, undefined);
    this.latest.set(sender, 0, -Infinity);
  }
}

/** Drops the uses before `before` (the oldest come first), in place. */
function forget(uses: Use[], before: number): void {
  let stale = 0;
  while (stale < uses.length && uses[stale].at < before) stale++;
  if (stale) {
    uses.copyWithin(0, stale);
    uses.length -= stale;
  }
}

/**
 * How far back the decision state keeps what its windows count: 24 hours before the latest decision
 * it recorded (no window is longer). Live, replayed and rebuilt states apply the same rule, so a state
 * rebuilt from the log equals the one that recorded it, even after a simulated clock went back.
 */
import { dayMs } from '../limits/windows.ts';

export class Retention {
  /** The latest time of a recorded decision; -Infinity before the first. */
  private latest = -Infinity;

  /** Events before this are forgotten: no window of a decision at or after `latest` reaches them. */
  get horizon(): number {
    return this.latest - dayMs;
  }

  /** A decision was recorded at `at`. */
  advance(at: number): void {
    if (at > this.latest) this.latest = at;
  }

  /** The earliest time a window starting at `since` may count: nothing before the horizon is kept. */
  from(since: number): number {
    return since > this.horizon ? since : this.horizon;
  }
}

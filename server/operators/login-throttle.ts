/**
 * Slows password guessing at `POST /v1/auth/login`: failed sign-ins are counted per (username,
 * client address) and per client address, over a sliding window; past either limit the next
 * attempt is refused with 429 until the oldest counted failure leaves the window.
 *
 * Keyed by address as well as username so that a stranger guessing at `admin` can't lock the real
 * admin out from elsewhere, and the per-address limit stops one client spraying many usernames.
 * The counts live in this process: each instance behind a load balancer counts its own.
 */

export interface LoginLimits {
  /** Failures of one username from one address within the window. */
  perAccount: number;
  /** Failures from one address within the window, whatever the username. */
  perAddress: number;
  windowMs: number;
}

export const defaultLoginLimits: LoginLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

/** Past this many keys, every expired one is swept, so memory stays bounded under a spray. */
const sweepAbove = 10_000;

export class LoginThrottle {
  /** Key → times of its failures, oldest first, all within the window of the last look. */
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits = defaultLoginLimits) {}

  /**
   * Seconds until `username` may try again from `address` (0: now). Call before checking the
   * password; then `attempted` before the check, so that a burst of concurrent guesses is counted
   * as it arrives, and `succeeded` after a right one.
   */
  retryAfterSeconds(username: string, address: string, now: number): number {
    const waits = [
      this.wait(accountKey(username, address), this.limits.perAccount, now),
      this.wait(addressKey(address), this.limits.perAddress, now),
    ];
    return Math.ceil(Math.max(...waits) / 1000);
  }

  /** Counts an attempt as failed until `succeeded` takes it back. */
  attempted(username: string, address: string, now: number): void {
    if (this.failures.size > sweepAbove) this.sweep(now);
    for (const key of [accountKey(username, address), addressKey(address)]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.set(key, times);
    }
  }

  /** A right password: that username's failures from that address are forgiven, one at the address too. */
  succeeded(username: string, address: string, now: number): void {
    this.failures.delete(accountKey(username, address));
    const times = this.recent(addressKey(address), now);
    times.pop();
    if (times.length) this.failures.set(addressKey(address), times);
    else this.failures.delete(addressKey(address));
  }

  /** Milliseconds until `key` is under `limit` again. */
  private wait(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    return times.length < limit ? 0 : times[times.length - limit] + this.limits.windowMs - now;
  }

  private recent(key: string, now: number): number[] {
    const times = this.failures.get(key) ?? [];
    const from = now - this.limits.windowMs;
    let first = 0;
    while (first < times.length && times[first] <= from) first++;
    return first ? times.slice(first) : times;
  }

  private sweep(now: number): void {
    for (const key of [...this.failures.keys()]) {
      const times = this.recent(key, now);
      if (times.length) this.failures.set(key, times);
      else this.failures.delete(key);
    }
  }
}

const accountKey = (username: string, address: string) => `${address}\u0000${username.toLowerCase()}`;
const addressKey = (address: string) => `${address}\u0000`;

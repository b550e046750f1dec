/**
 * Time windows of the limits. A counted event at time t is inside a rolling window of length w at
 * `now` while now - t < w; a calendar day runs from UTC midnight to the next.
 */
export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;

export type DailyWindow = 'calendar-day' | 'rolling-24h';

/** The earliest time (inclusive) an event may have and still count at `now`. */
export function rollingWindowStart(now: number, lengthMs: number): number {
  return now - lengthMs + 1;
}

export function utcMidnight(now: number): number {
  return Math.floor(now / dayMs) * dayMs;
}

export function dailyWindowStart(window: DailyWindow, now: number): number {
  return window === 'calendar-day' ? utcMidnight(now) : rollingWindowStart(now, dayMs);
}

/** Whole seconds from `now` until `at`, rounded up so that a retry then is never early. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * When a window capped at `cap` admits again, given it holds `used` events: the moment the
 * (used - cap + 1)th oldest event leaves. `nthOldestAt(k)` returns the k-th oldest (0-based).
 */
export function rollingReopensAt(used: number, cap: number, lengthMs: number, nthOldestAt: (k: number) => number | null): number | null {
  if (used < cap) return null;
  const at = nthOldestAt(used - cap);
  return at === null ? null : at + lengthMs;
}

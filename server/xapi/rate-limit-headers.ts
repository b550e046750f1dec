/**
 * X's rate-limit headers from the R12 windows a decision counted: `x-rate-limit-*` the user's
 * 15-minute window, `x-user-limit-24hour-*` the user's 24 hours, `x-app-limit-24hour-*` the app's.
 * Resets are epoch seconds: when the window next admits one more (for a full one, when a retry can
 * succeed).
 */
import type { DecisionResponse } from '../decisions/request.ts';

type Quota = NonNullable<DecisionResponse['quota']['apiUser15m']>;

const headerWindows = [
  ['x-rate-limit', 'apiUser15m'],
  ['x-user-limit-24hour', 'apiUser24h'],
  ['x-app-limit-24hour', 'apiApp24h'],
] as const;

/** Epoch seconds of an ISO time, rounded up so that a client waiting until then is never early; `now` when none. */
const epochSeconds = (iso: string | null, now: number) => Math.ceil((iso === null ? now : Date.parse(iso)) / 1000);

export function rateLimitHeaders(quota: DecisionResponse['quota'], now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [prefix, window] of headerWindows) {
    const figures: Quota | undefined = quota[window];
    if (!figures) continue;
    headers[`${prefix}-limit`] = String(figures.limit);
    headers[`${prefix}-remaining`] = String(figures.remaining);
    headers[`${prefix}-reset`] = String(epochSeconds(figures.resetsAt, now));
  }
  return headers;
}

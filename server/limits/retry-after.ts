/** `retryAfterSeconds` of a `limit`: the latest moment any limit that matched reopens. */
import type { LimitName, Params } from '../policy/document.ts';
import type { DecisionWorld } from '../state/world.ts';
import { cooldownMs } from './duplicate-spam.ts';
import { secondsUntil } from './windows.ts';

function reopensAt(world: DecisionWorld, limit: LimitName, sender: number, appId: string | null, params: Params, now: number): number | null {
  switch (limit) {
    case 'daily':
      return world.dailyCap.reopensAt(sender, params, now);
    case 'cooldown': {
      const length = cooldownMs(params);
      return length === null ? null : now + length;
    }
    default:
      return world.apiWindows.reopensAt(limit, sender, appId, params, now);
  }
}

/** `sender`: its account number (-1 if never seen). */
export function retryAfterSeconds(world: DecisionWorld, limits: LimitName[], sender: number, appId: string | null, params: Params, now: number): number | null {
  let latest: number | null = null;
  for (const limit of new Set(limits)) {
    const at = reopensAt(world, limit, sender, appId, params, now);
    if (at !== null && (latest === null || at > latest)) latest = at;
  }
  return latest === null ? null : secondsUntil(latest, now);
}

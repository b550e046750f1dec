/** `retryAfterSeconds` of a `limit`: the latest moment any limit that matched reopens. */
import type { Executor } from '../../db/client.ts';
import type { SenderState } from '../../db/stores/decision-state.ts';
import type { LimitName } from '../policy/document.ts';
import type { Params } from '../decisions/facts.ts';
import { dailyCapReopensAt } from './daily-cap.ts';
import { cooldownMs } from './duplicate-cooldown.ts';
import { rateWindowReopensAt } from './rate-windows.ts';
import { secondsUntil } from './windows.ts';

async function reopensAt(db: Executor, limit: LimitName, sender: SenderState, appId: string | null, params: Params, now: number): Promise<number | null> {
  switch (limit) {
    case 'daily':
      return dailyCapReopensAt(db, sender, params, now);
    case 'cooldown': {
      const length = cooldownMs(params);
      return length === null ? null : now + length;
    }
    default:
      return rateWindowReopensAt(db, limit, sender, appId, params, now);
  }
}

export async function retryAfterSeconds(db: Executor, limits: LimitName[], sender: SenderState, appId: string | null, params: Params, now: number): Promise<number | null> {
  let latest: number | null = null;
  for (const limit of new Set(limits)) {
    const at = await reopensAt(db, limit, sender, appId, params, now);
    if (at !== null && (latest === null || at > latest)) latest = at;
  }
  return latest === null ? null : secondsUntil(latest, now);
}

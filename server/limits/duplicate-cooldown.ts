/**
 * R14: the duplicate-spam cooldown. It lasts cooldownMinutes "without any attempt": an attempt
 * while it runs, or one that trips it, (re)starts it from that attempt.
 */
import type { SenderState } from '../../db/stores/decision-state.ts';
import type { Params } from '../decisions/facts.ts';
import { minuteMs } from './windows.ts';

export function cooldownMs(params: Params): number | null {
  return typeof params.cooldownMinutes === 'number' ? params.cooldownMinutes * minuteMs : null;
}

export function inCooldown(sender: SenderState, now: number): boolean {
  return sender.cooldownUntil !== null && sender.cooldownUntil > now;
}

/** The new end of the cooldown after this attempt, or null when the attempt leaves it alone. */
export function cooldownAfterAttempt(sender: SenderState, params: Params, now: number, tripped: boolean): number | null {
  const length = cooldownMs(params);
  if (length === null) return null;
  return tripped || inCooldown(sender, now) ? now + length : null;
}

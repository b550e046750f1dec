/** What the signed-in operator's role may do, so pages hide or disable the rest (the service checks again). */
import { session } from './session.svelte';
import type { Role } from './types';

const order: readonly Role[] = ['viewer', 'editor', 'publisher', 'admin'];

/**
 * Whether the signed-in operator holds `role` or a higher one (viewer < editor < publisher < admin),
 * as the service checks it: the UI hides what the service would refuse.
 * @example {#if can('publisher')}<button>Start</button>{/if}
 */
export function can(role: Role): boolean {
  const mine = session.operator?.role;
  return mine !== undefined && order.indexOf(mine) >= order.indexOf(role);
}

/** What the signed-in operator's role may do, so pages hide or disable the rest (the service checks again). */
import { session } from './session.svelte';
import type { Role } from './types';

const order: Role[] = ['viewer', 'editor', 'publisher', 'admin'];

/** Whether the signed-in operator has `role` or a higher one. */
export function can(role: Role): boolean {
  const mine = session.operator?.role;
  return mine !== undefined && order.indexOf(mine) >= order.indexOf(role);
}

/** The signed-in operator and the session's CSRF token, shared by the API client and the app shell, and what the role allows. */
import type { Operator, Role, Session } from './types';

export const session = $state<{ operator: Operator | null; csrfToken: string | null }>({ operator: null, csrfToken: null });

export function signedIn(s: Session) {
  session.operator = s.operator;
  session.csrfToken = s.csrfToken;
}

export function signedOut() {
  session.operator = null;
  session.csrfToken = null;
}

const ranks: readonly Role[] = ['viewer', 'editor', 'publisher', 'admin'];

/**
 * Whether the signed-in operator holds `role` or a higher one (viewer < editor < publisher < admin),
 * as the service checks it: the UI hides what the service would refuse.
 * @example {#if can('publisher')}<button>Start</button>{/if}
 */
export function can(role: Role): boolean {
  return session.operator !== null && ranks.indexOf(session.operator.role) >= ranks.indexOf(role);
}

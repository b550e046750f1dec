/** The signed-in operator and the session's CSRF token, shared by the API client and the app shell. */
import type { Operator, Session } from './types';

export const session = $state<{ operator: Operator | null; csrfToken: string | null }>({ operator: null, csrfToken: null });

export function signedIn(s: Session) {
  session.operator = s.operator;
  session.csrfToken = s.csrfToken;
}

export function signedOut() {
  session.operator = null;
  session.csrfToken = null;
}

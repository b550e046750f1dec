/** Who makes a request — a bearer token or a signed-in operator — and the operators' roles. */
import type { Scope } from '../../db/stores/tokens.ts';

export type Role = 'viewer' | 'editor' | 'publisher' | 'admin';
export const roles: readonly Role[] = ['viewer', 'editor', 'publisher', 'admin'];

export interface Principal {
  kind: 'token' | 'operator';
  id: string;
  /** How the principal appears in audit entries: `token:<name>` or the operator's username. */
  name: string;
  scopes: Scope[];
  role: Role | null;
  /** A token's user (the X API v2 surface sends as them) and app; absent for operators and service tokens. */
  userId?: string | null;
  appId?: string | null;
  /** Set for cookie sessions: state changes must echo it in `X-CSRF-Token`. */
  csrfToken?: string;
}

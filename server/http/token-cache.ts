/**
 * Bearer-token lookups kept briefly: the messaging backend presents its token on every decision, and
 * reading it from the database each time cost more than the rest of authenticating. A token revoked
 * on this instance is forgotten at once (server/operators/routes.ts); another instance keeps its
 * lookup for at most `ttlMs`.
 */
import type { Principal } from './principal.ts';

export class TokenCache {
  private readonly bySecret = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly ttlMs = 5_000) {}

  /** The principal of `secret` looked up less than ttlMs before `now`, or null. */
  get(secret: string, now: number): Principal | null {
    const kept = this.bySecret.get(secret);
    return kept && kept.until >= now ? kept.principal : null;
  }

  set(secret: string, principal: Principal, now: number): void {
    this.bySecret.set(secret, { principal, until: now + this.ttlMs });
  }

  /** Drops token `tokenId`'s lookups: its next use reads the database. */
  forget(tokenId: string): void {
    for (const [secret, kept] of this.bySecret) if (kept.principal.id === tokenId) this.bySecret.delete(secret);
  }
}

/**
 * Exemptions: an operator exempts an account from one rule until a time (the rule may still match
 * but never decides). The live state holds the unrevoked ones; a replay asks what was in force at a
 * past moment, revoked ones included.
 */
import { ObjectColumn } from '../state/numbering.ts';

export interface ActiveExemption {
  id: string;
  rule: string;
  expiresAt: number;
}

const none: ReadonlySet<string> = new Set();

/** Unrevoked exemptions by account number. */
export class Exemptions {
  private readonly byAccount = new ObjectColumn<ActiveExemption[]>();

  grant(account: number, exemption: ActiveExemption): void {
    const list = this.byAccount.get(account) ?? [];
    list.push(exemption);
    this.byAccount.set(account, list);
  }

  revoke(account: number, id: string): void {
    const list = this.byAccount.get(account);
    if (list) this.byAccount.set(account, list.filter((e) => e.id !== id));
  }

  /** The rules the account is exempt from at `now`; -1 is an account never seen. */
  rulesAt(account: number, now: number): ReadonlySet<string> {
    const list = account < 0 ? undefined : this.byAccount.get(account);
    if (!list?.length) return none;
    const rules = list.filter((e) => e.expiresAt > now).map((e) => e.rule);
    return rules.length ? new Set(rules) : none;
  }

  /** The account's unrevoked exemptions, by id: for comparing states. */
  snapshot(account: number): ActiveExemption[] {
    return [...(this.byAccount.get(account) ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  }
}

/** An exemption over the time it was in force. */
export interface ExemptionSpan {
  accountId: string;
  rule: string;
  from: number;
  /** Exclusive: the earlier of its expiry and its revocation. */
  until: number;
}

/** Which rules an operator had exempted a sender from at a past moment (they apply to a replay too). */
export class ExemptionsOverTime {
  private readonly byAccount = new Map<string, ExemptionSpan[]>();

  constructor(spans: ExemptionSpan[]) {
    for (const span of spans) {
      const list = this.byAccount.get(span.accountId) ?? [];
      list.push(span);
      this.byAccount.set(span.accountId, list);
    }
  }

  at(accountId: string, now: number): ReadonlySet<string> {
    if (!this.byAccount.size) return none; // the usual case, asked at every attempt
    const spans = this.byAccount.get(accountId);
    if (!spans) return none;
    const rules = spans.filter((s) => s.from <= now && now < s.until).map((s) => s.rule);
    return rules.length ? new Set(rules) : none;
  }
}

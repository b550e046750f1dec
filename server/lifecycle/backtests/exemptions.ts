/** Which rules an operator had exempted a sender from at a past moment (they apply to the replay too). */
import type { ExemptionSpan } from '../../../db/stores/decision-log-read.ts';

const none: ReadonlySet<string> = new Set();

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

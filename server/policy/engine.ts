/**
 * Evaluates a policy version with json-rules-engine: the decision is the event of the matching rule
 * with the highest priority (ties: earlier in the document), else the document's default.
 */
import { Engine, type RuleResult } from 'json-rules-engine';
import type { LimitName, PolicyDocument, PolicyEvent } from './document.ts';
import { compilePolicy, type CompiledDecision } from './compile.ts';
import { resolveMemberPath, type Evaluation, type ConditionTrace, type FactValues, type RuleTrace } from './evaluation.ts';

/**
 * One compiled version. json-rules-engine's Engine keeps a single run status, so a run that finishes
 * makes a concurrent run on the same instance skip its remaining priority groups: each run
 * therefore borrows an instance of its own from a small pool.
 */
export class PolicyEngine {
  private readonly idle: Engine[] = [];
  private readonly order = new Map<string, number>();
  private readonly compiled: CompiledDecision;

  constructor(private readonly document: PolicyDocument) {
    document.rules.forEach((rule, i) => this.order.set(rule.name, i));
    // A document compilePolicy refuses (never a validated one) fails on use, as json-rules-engine would.
    let compiled: CompiledDecision;
    try {
      compiled = compilePolicy(document).decide;
    } catch (error) {
      compiled = () => {
        throw error;
      };
    }
    this.compiled = compiled;
  }

  /**
   * The same decision as `evaluate` without a trace, synchronously, from the rules compiled to
   * JavaScript (server/policy/compile.ts). Throws where `evaluate` would reject.
   */
  decide(facts: FactValues, exempt?: ReadonlySet<string>): Evaluation {
    return this.compiled(facts, exempt);
  }

  /** `exempt`: rules an operator exempted this sender from; they may match but never decide. */
  async evaluate(facts: FactValues, options: { trace?: boolean; exempt?: ReadonlySet<string> } = {}): Promise<Evaluation> {
    const engine = this.idle.pop() ?? this.build();
    // A run that rejects may still be evaluating lower priority groups, and would mark the instance
    // finished under the next borrower: only an instance whose run completed goes back to the pool.
    const { results: matched, failureResults } = await engine.run(facts);
    this.idle.push(engine);
    const results = options.exempt?.size ? matched.filter((r) => !options.exempt!.has(r.name as string)) : matched;
    const winner = this.pickWinner(results);
    const event = winner ? (winner.event as PolicyEvent) : this.document.default;
    const limits = results.map((r) => (r.event as PolicyEvent).params.limit).filter((l): l is LimitName => l !== undefined);
    const evaluation: Evaluation = { outcome: event.type, event, rule: winner?.name ?? null, limits };
    if (options.trace) evaluation.trace = this.trace([...matched, ...failureResults], options.exempt);
    return evaluation;
  }

  private build(): Engine {
    const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: resolveMemberPath });
    for (const [name, conditions] of Object.entries(this.document.conditions ?? {})) {
      engine.setCondition(name, conditions as any);
    }
    for (const rule of this.document.rules) {
      engine.addRule({ name: rule.name, priority: rule.priority, conditions: rule.conditions as any, event: rule.event });
    }
    return engine;
  }

  /** Rules of equal priority run concurrently, so "first match" comes from the results, not event order. */
  private pickWinner(results: RuleResult[]): RuleResult | null {
    let best: RuleResult | null = null;
    for (const r of results) {
      if (!best || r.priority! > best.priority! || (r.priority === best.priority && this.order.get(r.name as string)! < this.order.get(best.name as string)!)) {
        best = r;
      }
    }
    return best;
  }

  private trace(all: RuleResult[], exempt: ReadonlySet<string> | undefined): RuleTrace[] {
    const byName = new Map(all.map((r) => [r.name as string, r]));
    return this.document.rules.map((rule) => {
      const r = byName.get(rule.name);
      return {
        rule: rule.name,
        family: rule.family,
        priority: rule.priority,
        matched: r?.result === true,
        ...(exempt?.has(rule.name) ? { exempt: true } : {}),
        event: rule.event,
        conditions: r ? (r.toJSON(false) as { conditions: ConditionTrace }).conditions : rule.conditions,
      };
    });
  }
}

/** What one evaluation of a version takes and gives, shared by json-rules-engine (engine.ts) and the compiled rules (compile.ts). */
import type { LimitName, Outcome, PolicyEvent } from './document.ts';

/** The facts of one evaluation, by fact name (see rules/facts.json). */
export type FactValues = Record<string, Record<string, unknown>>;

export interface Evaluation {
  outcome: Outcome;
  event: PolicyEvent;
  /** The deciding rule's name; null when the default decided. */
  rule: string | null;
  /** The `limit` of every matching limit rule, winner or not. */
  limits: LimitName[];
  trace?: RuleTrace[];
}

export interface RuleTrace {
  rule: string;
  family: string;
  priority: number;
  matched: boolean;
  /** The sender is exempted from this rule by an operator: it may match but does not decide. */
  exempt?: boolean;
  event: PolicyEvent;
  /** The condition tree with, on each comparison, the fact value seen (`factResult`) and `result`. */
  conditions: ConditionTrace;
}

/** A condition of a trace, as json-rules-engine reports it: a comparison or a group of conditions. */
export interface ConditionTrace {
  fact?: string;
  path?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
  all?: ConditionTrace[];
  any?: ConditionTrace[];
  not?: ConditionTrace;
  condition?: string;
  name?: string;
  priority?: number;
}

const pathCache = new Map<string, string[]>();

/**
 * Resolves the plain member paths documents are restricted to (`$.a.b`). Replacing
 * jsonpath-plus keeps filter expressions from ever executing and is much faster.
 */
export function resolveMemberPath(value: unknown, path: string): unknown {
  let keys = pathCache.get(path);
  if (!keys) {
    keys = path.split('.').slice(1);
    pathCache.set(path, keys);
  }
  let current: any = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

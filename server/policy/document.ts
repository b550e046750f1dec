/** A policy version as a JSON document (DESIGN §3): its types. Validation lives in validate.ts. */

export type Outcome = 'allow' | 'request' | 'deny' | 'limit';
export type LimitName = 'daily' | 'apiUser15m' | 'apiUser24h' | 'apiApp24h' | 'cooldown';

export interface NumberParameter {
  type: 'number';
  value: number;
  min: number;
  max: number;
  /** A count (sends, minutes, participants…): fractions are refused. */
  integer?: boolean;
  unit: string;
  description: string;
}
export interface BooleanParameter {
  type: 'boolean';
  value: boolean;
  description: string;
}
export interface EnumParameter {
  type: 'enum';
  value: string;
  options: string[];
  description: string;
}
export type Parameter = NumberParameter | BooleanParameter | EnumParameter;
export type ParameterValue = number | boolean | string;
/** A version's parameter values by name: the `params` fact every rule compares against. */
export type Params = Record<string, ParameterValue>;

export interface PolicyEvent {
  type: Outcome;
  params: {
    reason: string;
    /** For `limit`: which counter decides `retryAfterSeconds`. */
    limit?: LimitName;
    /** `false` on an admitting rule: this send does not count toward the daily cap (R11). */
    countsTowardDailyLimit?: boolean;
  };
}

export type FactReference = { fact: string; path?: string };

export interface Comparison {
  fact: string;
  path?: string;
  operator: string;
  value: string | number | boolean | null | Array<string | number | boolean> | FactReference;
  name?: string;
  priority?: number;
}
export type Condition =
  | { all: Condition[]; name?: string; priority?: number }
  | { any: Condition[]; name?: string; priority?: number }
  | { not: Condition; name?: string; priority?: number }
  | { condition: string; name?: string; priority?: number }
  | Comparison;
export type TopCondition =
  | { all: Condition[] } | { any: Condition[] } | { not: Condition } | { condition: string };

export interface PolicyRule {
  name: string;
  /** The rule family of DESIGN §1 it expresses, e.g. "R10". */
  family: string;
  description: string;
  priority: number;
  conditions: TopCondition;
  event: PolicyEvent;
}

export interface PolicyDocument {
  name: string;
  version: string;
  description: string;
  /** The seeds it is written from, e.g. ["000", "002"]. */
  source: string[];
  parameters: Record<string, Parameter>;
  /** The decision when no rule matches. */
  default: PolicyEvent;
  /** Named conditions rules may reference with `{ "condition": "<name>" }`. */
  conditions?: Record<string, TopCondition>;
  rules: PolicyRule[];
}

/** The parameter values of a document, by name: the `params` fact. */
export function parameterValues(doc: PolicyDocument): Record<string, ParameterValue> {
  return Object.fromEntries(Object.entries(doc.parameters).map(([k, p]) => [k, p.value]));
}

// Validation. Documents come from operators, so they are untrusted input (DESIGN §5): json-rules-engine
// hands `path` to jsonpath-plus, whose filter and script expressions execute, and a document's size,
// depth and named-condition references decide how much work every send costs.

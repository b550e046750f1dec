/**
 * Compiles a validated policy document into one synchronous JavaScript decision function with
 * json-rules-engine's semantics (json-rules-engine stays the reference: traces and the differential
 * test run it).
 *
 * What is reproduced, from json-rules-engine 7.3.1 (dist/engine-default-operators.js, operator.js,
 * almanac.js, rule.js) with the options PolicyEngine gives it (`allowUndefinedFacts: false`,
 * `resolveMemberPath`):
 * - operators: `equal`/`notEqual` are `===`/`!==`; `in`/`notIn` are `value.indexOf(fact) > -1` /
 *   `=== -1`; `contains`/`doesNotContain` are `fact.indexOf(value)` and false unless the fact value is
 *   an array; the four ordering operators are `<`, `<=`, `>`, `>=`, false unless
 *   `Number.parseFloat(factValue).toString() !== 'NaN'` (so `"12"` orders as 12, `true` never orders);
 * - a `path` on a fact whose value is an object resolves member by member (own properties only,
 *   undefined when missing); on a fact value that is not an object the path is ignored and the value
 *   itself is compared; `value: { fact, path }` resolves the same way;
 * - `all` / `any` / `not` (an empty `all` or `any` is true), named `condition` references;
 * - a fact the facts object does not have throws (UndefinedFactError), but only when a condition that
 *   json-rules-engine actually evaluates reads it: all rules are evaluated, and inside an `all`/`any`
 *   every condition of one condition-priority group is evaluated before the group's result can cut
 *   the next groups short;
 * - the decision PolicyEngine makes from the results: the matching rule of highest priority (ties:
 *   document order) decides, else the document's `default`; rules in `exempt` may match but neither
 *   decide nor contribute limits; `limits` lists the `limit` of every matching non-exempt rule.
 *
 * How: the fast path is straight-line code over the facts, rules in priority order, `&&`/`||`
 * short-circuits and an early stop once the winner is known and no lower rule has a `limit`. Boolean
 * results do not depend on evaluation order, and nothing in a validated document can throw once every
 * fact the rules reference is present as a plain object, so the fast path runs only then (a guard at
 * the top checks it). Members that a plain object inherits (`constructor`, `toString`, … — a
 * parameter may have such a name) are read with an own-property check. Otherwise — a fact missing,
 * undefined, or not a plain object — an interpreter that follows json-rules-engine's evaluation order
 * step by step decides, and throws exactly where json-rules-engine would.
 *
 * Deliberate limits, none reachable from the service's facts:
 * - `limits` within one rule priority: json-rules-engine lists them in the order the rules' promises
 *   settle, which depends on the shape of their conditions; here it is document order. Between
 *   priorities the order is the same (highest first).
 * - fact values that are functions or json-rules-engine `Fact` instances (dynamic facts) are refused
 *   with an error; json-rules-engine would call them.
 * - a top-level fact defined as a non-enumerable property counts as present here; json-rules-engine
 *   only sees enumerable ones.
 * - members are read with plain property loads from fact values whose `constructor` is Object (other
 *   values take the interpreter): an object whose prototype is not Object.prototype but still leads to
 *   it (`Object.create({ verified: true })`) would show inherited members that json-rules-engine does
 *   not see, and so would a polluted Object.prototype. buildFacts and JSON make neither.
 * - the returned `event` is the document's event object (json-rules-engine returns a copy): do not
 *   mutate it.
 *
 * Safety: the generated source contains only fixed code, JSON.stringify'd strings, numbers, booleans
 * and null taken from the document, and numeric indexes; every other value (event objects, literals
 * that are not primitives) is passed in through closure arrays. The document must have passed
 * validateDocument; compilePolicy refuses (throws) what it cannot compile.
 */
import { Fact } from 'json-rules-engine';
import { resolveMemberPath, type Evaluation, type FactValues } from './evaluation.ts';
import type { Condition, LimitName, PolicyDocument, PolicyEvent } from './document.ts';
import { memberPathPattern } from './validate.ts';

/** Decides like PolicyEngine.evaluate without a trace. Throws where json-rules-engine would reject. */
export type CompiledDecision = (facts: FactValues, exempt?: ReadonlySet<string> | null) => Evaluation;

export interface CompiledPolicy {
  decide: CompiledDecision;
  /** The fast path's generated source, for inspection. */
  source: string;
  /** The facts the rules read: the fast path runs when each is a plain object. */
  facts: string[];
}

/** What json-rules-engine throws when a condition reads a fact the run was not given. */
export class UndefinedFactError extends Error {
  readonly code = 'UNDEFINED_FACT';
  constructor(factId: string) {
    super(`Undefined fact: ${factId}`);
    this.name = 'UndefinedFactError';
  }
}

/** The document is outside what compilePolicy supports (it was not validated). */
export class CompileError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'CompileError';
  }
}

const operators = new Set([
  'equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain',
]);
const orderingSymbol: Record<string, string> = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' };

/** Member names a plain object inherits: reading them needs an own-property check. */
const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

/** More inlined comparisons than this (named conditions count where referenced) is refused. */
const maxInlinedComparisons = 50_000;

const hasOwn = (value: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(value, key);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** json-rules-engine's factValueValidator for the ordering operators, verbatim. */
function numberValidator(factValue: unknown): boolean {
  return Number.parseFloat(factValue as string).toString() !== 'NaN';
}

/** One step of resolveMemberPath, for paths deeper than one member. */
function member(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && hasOwn(value, key) ? (value as any)[key] : undefined;
}

/** A rule as the decision sees it, in evaluation order (priority descending, then document order). */
interface OrderedRule {
  index: number;
  name: string;
  priority: number;
  conditions: Condition;
  event: PolicyEvent;
  limit: LimitName | undefined;
}

function orderRules(document: PolicyDocument): OrderedRule[] {
  return document.rules
    .map((rule, index) => ({ index, name: rule.name, priority: rule.priority, conditions: rule.conditions as Condition, event: rule.event, limit: rule.event.params.limit }))
    .sort((a, b) => b.priority - a.priority || a.index - b.index);
}

// ---------------------------------------------------------------------------------------------------
// The interpreter: json-rules-engine's evaluation, synchronously, for the facts the fast path refuses.

/** The priority json-rules-engine groups a condition by inside an `all` / `any`. */
function conditionPriority(node: Record<string, unknown>): number {
  const boolean = hasOwn(node, 'any') || hasOwn(node, 'all') || hasOwn(node, 'not');
  const raw = boolean ? Number.parseInt(node.priority as string, 10) || 1 : (node.priority as number) || 1;
  return Number(raw);
}

/** Condition-priority groups, highest first, each in document order; computed once per node. */
const groupCache = new WeakMap<object, Condition[][]>();
function priorityGroups(children: Condition[]): Condition[][] {
  let groups = groupCache.get(children);
  if (!groups) {
    const byPriority = new Map<number, Condition[]>();
    for (const child of children) {
      const p = conditionPriority(child as Record<string, unknown>);
      if (!byPriority.has(p)) byPriority.set(p, []);
      byPriority.get(p)!.push(child);
    }
    groups = [...byPriority.entries()].sort((a, b) => b[0] - a[0]).map(([, group]) => group);
    groupCache.set(children, groups);
  }
  return groups;
}

class Interpreter {
  private readonly rules: OrderedRule[];
  private readonly named: Record<string, Condition>;
  /**
   * json-rules-engine compares against a fresh copy of a literal that is an object or a list, so no
   * fact value is ever that very object: a private copy, made once, behaves the same.
   */
  private readonly copies = new WeakMap<object, unknown>();

  constructor(private readonly document: PolicyDocument) {
    this.rules = orderRules(document);
    this.named = (document.conditions ?? {}) as Record<string, Condition>;
  }

  decide(facts: FactValues, exempt: ReadonlySet<string> | null | undefined): Evaluation {
    // engine.run: every enumerable key becomes a fact; new Fact('') throws.
    const present = new Map<string, unknown>();
    for (const key in facts) {
      if (!key) throw new Error('factId required');
      present.set(key, (facts as Record<string, unknown>)[key]);
    }
    const ex = exempt != null && exempt.size ? exempt : null;
    // Every rule of every priority is evaluated; a throw anywhere rejects the run.
    let winner: OrderedRule | null = null;
    const limits: LimitName[] = [];
    for (const rule of this.rules) {
      if (!this.node(rule.conditions, present)) continue;
      if (ex !== null && ex.has(rule.name)) continue;
      winner ??= rule;
      if (rule.limit !== undefined) limits.push(rule.limit);
    }
    const event = winner ? winner.event : this.document.default;
    return { outcome: event.type, event, rule: winner ? winner.name : null, limits };
  }

  private node(node: Condition, present: Map<string, unknown>): boolean {
    if (hasOwn(node, 'condition')) return this.node(this.named[(node as { condition: string }).condition], present);
    if (hasOwn(node, 'any')) return this.group((node as { any: Condition[] }).any, 'any', present) === true;
    if (hasOwn(node, 'all')) return this.group((node as { all: Condition[] }).all, 'all', present) === true;
    if (hasOwn(node, 'not')) return !this.node((node as { not: Condition }).not, present);
    return this.comparison(node as Record<string, unknown>, present);
  }

  /** rule.js prioritizeAndRun: groups by priority; a whole group is evaluated, then may cut the rest short. */
  private group(children: Condition[], operator: 'all' | 'any', present: Map<string, unknown>): boolean {
    if (children.length === 0) return true;
    if (children.length === 1) return this.node(children[0], present);
    let result = operator === 'all';
    for (const group of priorityGroups(children)) {
      if (operator === 'any' ? result : !result) break;
      // The whole group is evaluated (a throw anywhere in it rejects), then some / every.
      let some = false;
      let every = true;
      for (const child of group) {
        if (this.node(child, present) === true) some = true;
        else every = false;
      }
      result = operator === 'any' ? some : every;
    }
    return result;
  }

  private factValue(factId: string, path: string | undefined, present: Map<string, unknown>): unknown {
    if (!present.has(factId)) throw new UndefinedFactError(factId);
    const value = present.get(factId);
    if (typeof value === 'function' || value instanceof Fact) {
      throw new Error(`fact ${factId} is a dynamic fact; the compiled evaluator takes values only`);
    }
    if (path && value !== null && typeof value === 'object') return resolveMemberPath(value, path);
    return value;
  }

  private copy(value: object): unknown {
    if (!this.copies.has(value)) this.copies.set(value, structuredClone(value));
    return this.copies.get(value);
  }

  private comparison(node: Record<string, unknown>, present: Map<string, unknown>): boolean {
    const ref = node.value;
    const b = ref !== null && typeof ref === 'object' && hasOwn(ref, 'fact')
      ? this.factValue((ref as any).fact, (ref as any).path, present)
      : ref !== null && typeof ref === 'object' ? this.copy(ref) : ref;
    const a = this.factValue(node.fact as string, node.path as string | undefined, present) as any;
    switch (node.operator) {
      case 'equal': return a === b;
      case 'notEqual': return a !== b;
      case 'in': return (b as any).indexOf(a) > -1;
      case 'notIn': return (b as any).indexOf(a) === -1;
      case 'contains': return Array.isArray(a) && a.indexOf(b) > -1;
      case 'doesNotContain': return Array.isArray(a) && a.indexOf(b) === -1;
      case 'lessThan': return numberValidator(a) && a < (b as any);
      case 'lessThanInclusive': return numberValidator(a) && a <= (b as any);
      case 'greaterThan': return numberValidator(a) && a > (b as any);
      case 'greaterThanInclusive': return numberValidator(a) && a >= (b as any);
      default: throw new Error(`Unknown operator: ${String(node.operator)}`);
    }
  }
}

/** json-rules-engine's evaluation order, step by step: the reference for facts the fast path refuses. */
export function interpretPolicy(document: PolicyDocument): CompiledDecision {
  const interpreter = new Interpreter(document);
  return (facts, exempt) => interpreter.decide(facts, exempt);
}

// ---------------------------------------------------------------------------------------------------
// The compiler.

interface Emitter {
  /** Fact name → local variable index (f0, f1, …) of the generated function. */
  facts: Map<string, number>;
  /** Values referenced from the source by index: literals that are not primitives. */
  constants: unknown[];
  named: Record<string, Condition>;
  /** Named conditions being expanded, for the cycle check; and their emitted code. */
  expanding: Set<string>;
  emitted: Map<string, { code: string; comparisons: number }>;
  comparisons: number;
}

/** A JSON literal for a primitive, or a reference to a constant for anything else. */
function literal(value: unknown, e: Emitter): string {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value)) return value === 0 ? '0' : JSON.stringify(value);
  e.constants.push(structuredClone(value));
  return `K[${e.constants.length - 1}]`;
}

function factVariable(fact: unknown, at: string, e: Emitter): string {
  if (typeof fact !== 'string' || fact === '' || inheritedNames.has(fact)) throw new CompileError(at, `unsupported fact name ${JSON.stringify(fact)}`);
  let index = e.facts.get(fact);
  if (index === undefined) {
    index = e.facts.size;
    e.facts.set(fact, index);
  }
  return `f${index}`;
}

/** The value of `fact` at `path`, given that the fact value is a plain object (the fast path's guard). */
function memberRead(fact: unknown, path: unknown, at: string, e: Emitter): string {
  const variable = factVariable(fact, at, e);
  if (path === undefined || path === '') return variable;
  if (typeof path !== 'string' || !memberPathPattern.test(path)) throw new CompileError(at, `path ${JSON.stringify(path)} is not a plain member path`);
  const [first, ...deeper] = path.slice(2).split('.');
  const key = JSON.stringify(first);
  let code = inheritedNames.has(first) ? `(HO.call(${variable}, ${key}) ? ${variable}[${key}] : void 0)` : `${variable}[${key}]`;
  for (const name of deeper) code = `M(${code}, ${JSON.stringify(name)})`;
  return code;
}

function comparison(node: Record<string, unknown>, at: string, e: Emitter): string {
  const operator = node.operator;
  if (typeof operator !== 'string' || !operators.has(operator)) throw new CompileError(at, `unknown operator ${JSON.stringify(operator)}`);
  if (!hasOwn(node, 'value')) throw new CompileError(at, 'a comparison needs a value');
  e.comparisons += 1;
  if (e.comparisons > maxInlinedComparisons) throw new CompileError(at, `more than ${maxInlinedComparisons} comparisons once named conditions are expanded`);
  const a = memberRead(node.fact, node.path, at, e);
  const value = node.value;
  const isReference = value !== null && typeof value === 'object' && hasOwn(value, 'fact');
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(value)) {
    throw new CompileError(`${at}.value`, `${operator} needs a list of values`);
  }
  if (isReference && !isRecord(value)) throw new CompileError(`${at}.value`, 'unsupported value');
  const operand = () => (isReference ? memberRead((value as any).fact, (value as any).path, `${at}.value`, e) : literal(value, e));
  const b = operator === 'in' || operator === 'notIn' ? '' : operand();
  switch (operator) {
    case 'equal': return `(${a} === ${b})`;
    case 'notEqual': return `(${a} !== ${b})`;
    case 'in':
    case 'notIn': {
      // indexOf is strict equality; a list's objects are copies, so no fact value can equal them.
      const items = (value as unknown[]).filter((v) => v === null || typeof v !== 'object').map((v) => `t0 === ${literal(v, e)}`);
      const found = items.length === 0 ? 'false' : items.join(' || ');
      return operator === 'in' ? `((t0 = ${a}), ${found})` : `((t0 = ${a}), !(${found}))`;
    }
    case 'contains': return `((t0 = ${a}), Array.isArray(t0) && t0.indexOf(${b}) > -1)`;
    case 'doesNotContain': return `((t0 = ${a}), Array.isArray(t0) && t0.indexOf(${b}) === -1)`;
    default: {
      const symbol = orderingSymbol[operator];
      return `((t0 = ${a}), typeof t0 === "number" ? t0 ${symbol} ${b} : NV(t0) && t0 ${symbol} ${b})`;
    }
  }
}

function condition(node: unknown, at: string, e: Emitter): string {
  if (!isRecord(node)) throw new CompileError(at, 'a condition must be an object');
  if (hasOwn(node, 'condition')) {
    const name = node.condition;
    if (typeof name !== 'string' || !hasOwn(e.named, name)) throw new CompileError(at, `no named condition ${JSON.stringify(name)}`);
    const done = e.emitted.get(name);
    if (done !== undefined) {
      e.comparisons += done.comparisons;
      if (e.comparisons > maxInlinedComparisons) throw new CompileError(at, `more than ${maxInlinedComparisons} comparisons once named conditions are expanded`);
      return done.code;
    }
    if (e.expanding.has(name)) throw new CompileError(at, `named condition ${name} refers back to itself`);
    e.expanding.add(name);
    const before = e.comparisons;
    const code = condition(e.named[name], `conditions.${name}`, e);
    e.expanding.delete(name);
    e.emitted.set(name, { code, comparisons: e.comparisons - before });
    return code;
  }
  for (const kind of ['any', 'all'] as const) {
    if (!hasOwn(node, kind)) continue;
    const children = node[kind];
    if (!Array.isArray(children)) throw new CompileError(at, `${kind} must be a list`);
    if (children.length === 0) return 'true';
    const parts = children.map((child, i) => condition(child, `${at}.${kind}[${i}]`, e));
    return parts.length === 1 ? parts[0] : `(${parts.join(kind === 'all' ? ' && ' : ' || ')})`;
  }
  if (hasOwn(node, 'not')) return `!${condition(node.not, `${at}.not`, e)}`;
  return comparison(node, at, e);
}

/**
 * Compiles a document that passed validateDocument. The result decides exactly as PolicyEngine.evaluate
 * without a trace (see the top of this file for the few documented differences).
 *
 * @example
 * const { decide } = compilePolicy(readPreset('x-2023'));
 * decide(facts).outcome; // 'allow' | 'request' | 'deny' | 'limit'
 */
export function compilePolicy(document: PolicyDocument): CompiledPolicy {
  const rules = orderRules(document);
  const emitter: Emitter = {
    facts: new Map(),
    constants: [],
    named: (document.conditions ?? {}) as Record<string, Condition>,
    expanding: new Set(),
    emitted: new Map(),
    comparisons: 0,
  };
  const names = new Set<string>();
  for (const rule of rules) {
    const at = `rules[${rule.index}]`;
    if (typeof rule.name !== 'string' || names.has(rule.name)) throw new CompileError(`${at}.name`, 'rule names must be unique strings');
    names.add(rule.name);
    if (!Number.isInteger(rule.priority) || rule.priority < 1) throw new CompileError(`${at}.priority`, 'must be a positive integer');
    if (!isRecord(rule.event) || !isRecord(rule.event.params)) throw new CompileError(`${at}.event`, 'must have params');
    if (rule.limit !== undefined && typeof rule.limit !== 'string') throw new CompileError(`${at}.event.params.limit`, 'must be a string');
    const top = rule.conditions as unknown;
    if (!isRecord(top) || !['all', 'any', 'not', 'condition'].some((k) => hasOwn(top, k))) {
      throw new CompileError(`${at}.conditions`, 'must start with all, any, not or condition');
    }
  }
  const ruleCode = rules.map((rule) => condition(rule.conditions, `rules[${rule.index}].conditions`, emitter));

  // Whether a rule with a limit follows position i: until then the rules must run even after a winner.
  const limitAfter = rules.map((_, i) => rules.slice(i + 1).some((r) => r.limit !== undefined));
  const lines: string[] = [];
  const factNames = [...emitter.facts.keys()];
  const factLocals = factNames.map((name, i) => `f${i} = facts[${JSON.stringify(name)}]`);
  // A plain object (what buildFacts and JSON make): its members are read with plain property loads.
  // `constructor === Object` is ~3× cheaper here than Object.getPrototypeOf; see the header for the
  // objects it lets through that are not plain.
  const plain = factNames.map((_, i) => `typeof f${i} !== "object" || f${i} === null || f${i}.constructor !== Object`);
  lines.push('"use strict";');
  lines.push('return function decide(facts, exempt) {');
  lines.push('  if (typeof facts !== "object" || facts === null || "" in facts) return slow(facts, exempt);');
  if (factNames.length > 0) {
    lines.push(`  var ${factLocals.join(', ')};`);
    lines.push(`  if (${plain.join(' ||\n      ')}) return slow(facts, exempt);`);
  }
  lines.push('  var ex = exempt !== undefined && exempt !== null && exempt.size ? exempt : null;');
  lines.push('  var w = -1, L = null, t0;');
  lines.push('  done: {');
  rules.forEach((rule, i) => {
    const name = JSON.stringify(rule.name);
    lines.push(`    // ${i}: priority ${rule.priority}`);
    const matched = `(ex === null || !ex.has(${name})) && ${ruleCode[i]}`;
    if (rule.limit !== undefined) {
      lines.push(`    if (${matched}) {`);
      lines.push(`      if (w === -1) w = ${i};`);
      lines.push(`      if (L === null) L = [${JSON.stringify(rule.limit)}]; else L.push(${JSON.stringify(rule.limit)});`);
      lines.push('    }');
    } else {
      lines.push(`    if (w === -1 && ${matched}) w = ${i};`);
    }
    if (!limitAfter[i]) lines.push('    if (w !== -1) break done;');
  });
  lines.push('  }');
  lines.push('  if (w === -1) return { outcome: D.type, event: D, rule: null, limits: L === null ? [] : L };');
  lines.push('  var ev = EV[w];');
  lines.push('  return { outcome: ev.type, event: ev, rule: NAMES[w], limits: L === null ? [] : L };');
  lines.push('};');
  const source = lines.join('\n');

  const slow = interpretPolicy(document);
  const factory = new Function('slow', 'HO', 'NV', 'M', 'K', 'D', 'EV', 'NAMES', source);
  const decide = factory(
    slow, Object.prototype.hasOwnProperty, numberValidator, member, emitter.constants,
    document.default, rules.map((r) => r.event), rules.map((r) => r.name),
  ) as CompiledDecision;
  return { decide, source, facts: factNames };
}

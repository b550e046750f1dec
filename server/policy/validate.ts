/** Validation of untrusted policy documents (DESIGN §3, §5): shape, facts, operators, types, bounds; every error with its path. */
// zod as @hono/zod-openapi extends it: documentSchema is also the API's PolicyDocument schema, and a
// schema made before that extension has no `.openapi()` (whichever module happens to load first).
import { z } from '@hono/zod-openapi';
import { catalog, type ValueType } from './catalog.ts';
import type { Outcome, LimitName, Condition, PolicyDocument } from './document.ts';

export interface ValidationError {
  /** Where the problem is, e.g. `rules[3].conditions.all[0].path`; `""` is the document itself. */
  path: string;
  message: string;
}
export type ValidationResult = { ok: true; document: PolicyDocument } | { ok: false; errors: ValidationError[] };

/** The bounds every document stays within. */
export const documentLimits = {
  bytes: 256 * 1024,
  stringLength: 1000,
  parameters: 100,
  rules: 500,
  /** Items of one `all` / `any`. */
  branches: 50,
  /** Items of a list value (`in`, `notIn`). */
  listValues: 100,
  /** Levels of condition nesting; the top condition of a rule or named condition is level 1. */
  depth: 10,
  /** Condition objects written in the document. */
  conditions: 2000,
  /** Conditions one evaluation visits, with every named condition counted where it is referenced. */
  evaluatedConditions: 10_000,
  errors: 50,
} as const;

const outcomes = catalog.events.outcomes as [Outcome, ...Outcome[]];
const limitNames = Object.keys(catalog.events.limits) as [LimitName, ...LimitName[]];

/** `$.member` or `$.member.member`: nothing jsonpath-plus could evaluate as an expression. */
export const memberPathPattern = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const slugPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const identifierPattern = /^[a-zA-Z][a-zA-Z0-9]*$/;
const reasonPattern = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Whether the operator compares equal values, orders numbers, looks a value up in a list, or looks into a list fact. */
const operatorKinds: Record<string, 'equality' | 'ordering' | 'membership' | 'containment'> = {
  equal: 'equality', notEqual: 'equality',
  lessThan: 'ordering', lessThanInclusive: 'ordering', greaterThan: 'ordering', greaterThanInclusive: 'ordering',
  in: 'membership', notIn: 'membership',
  contains: 'containment', doesNotContain: 'containment',
};

// The shape, with zod. Conditions are walked by hand below (their checks depend on the catalog and
// the document's parameters), so here they are only `unknown`.

const text = z.string().max(documentLimits.stringLength);
const nonEmptyText = text.min(1, 'must not be empty');
const slug = z.string().regex(slugPattern, 'must be a slug: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters');
const identifier = z.string().max(64, 'must be at most 64 characters').regex(identifierPattern, 'must be letters and digits, starting with a letter (e.g. "dailyLimit")');
const priority = z.int().min(1).max(10_000);

const numberParameter = z
  .strictObject({
    type: z.literal('number'), value: z.number(), min: z.number(), max: z.number(), integer: z.boolean().optional(), unit: nonEmptyText, description: nonEmptyText,
  })
  .superRefine((p, ctx) => {
    if (p.integer) {
      for (const key of ['value', 'min', 'max'] as const) {
        if (!Number.isInteger(p[key])) ctx.addIssue({ code: 'custom', path: [key], message: `must be a whole number (this parameter counts ${p.unit})` });
      }
    }
    if (p.min > p.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least min (${p.min})` });
    else if (p.value < p.min || p.value > p.max) ctx.addIssue({ code: 'custom', path: ['value'], message: `must be between min and max (${p.min}..${p.max})` });
  });
const booleanParameter = z.strictObject({ type: z.literal('boolean'), value: z.boolean(), description: nonEmptyText });
const enumParameter = z
  .strictObject({ type: z.literal('enum'), value: text, options: z.array(text).min(1).max(documentLimits.listValues), description: nonEmptyText })
  .superRefine((p, ctx) => {
    const duplicate = p.options.findIndex((o, i) => p.options.indexOf(o) !== i);
    if (duplicate >= 0) ctx.addIssue({ code: 'custom', path: ['options', duplicate], message: `repeats the option "${p.options[duplicate]}"` });
    if (!p.options.includes(p.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `must be one of the options (${p.options.join(', ')})` });
  });
const parameterSchema = z.discriminatedUnion('type', [numberParameter, booleanParameter, enumParameter], {
  error: 'type must be "number", "boolean" or "enum"',
});

const eventParams = z.strictObject({
  reason: z.string().max(100).regex(reasonPattern, 'must be snake_case, e.g. "daily_limit"'),
  limit: z.enum(limitNames).optional(),
  countsTowardDailyLimit: z.boolean().optional(),
});
function eventSchema(types: [Outcome, ...Outcome[]]) {
  return z.strictObject({ type: z.enum(types), params: eventParams }).superRefine((event, ctx) => {
    if (event.type === 'limit' && event.params.limit === undefined) {
      ctx.addIssue({ code: 'custom', path: ['params', 'limit'], message: `is required on a limit event: the counter that says when to retry (${limitNames.join(', ')})` });
    }
    if (event.type !== 'limit' && event.params.limit !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['params', 'limit'], message: `is only allowed on a limit event, this one is ${event.type}` });
    }
  });
}

const ruleSchema = z.strictObject({
  name: slug,
  family: z.string().regex(/^R\d{1,2}$/, 'must name a rule family of DESIGN §1, e.g. "R10"'),
  description: nonEmptyText,
  priority,
  conditions: z.unknown(),
  event: eventSchema(outcomes),
});

/** A document's shape (conditions apart); the service also describes stored documents with it in /openapi.json. */
export const documentSchema = z.strictObject({
  name: slug,
  version: slug,
  description: text,
  source: z.array(nonEmptyText).max(documentLimits.listValues),
  parameters: z.record(identifier, parameterSchema).refine((p) => Object.keys(p).length <= documentLimits.parameters, {
    message: `must declare at most ${documentLimits.parameters} parameters`,
  }),
  // A default of `limit` would have no rule whose counter says when to retry.
  default: eventSchema(outcomes.filter((o) => o !== 'limit') as [Outcome, ...Outcome[]]),
  conditions: z.record(identifier, z.unknown()).optional(),
  rules: z.array(ruleSchema).min(1).max(documentLimits.rules),
});

const conditionOptions = { name: text.optional(), priority: priority.optional() };
const conditionKinds = ['all', 'any', 'not', 'condition', 'fact'] as const;
type ConditionKind = (typeof conditionKinds)[number];
const conditionSchemas: Record<ConditionKind, z.ZodType> = {
  all: z.strictObject({ all: z.array(z.unknown()).min(1).max(documentLimits.branches), ...conditionOptions }),
  any: z.strictObject({ any: z.array(z.unknown()).min(1).max(documentLimits.branches), ...conditionOptions }),
  not: z.strictObject({ not: z.unknown(), ...conditionOptions }),
  condition: z.strictObject({ condition: text, ...conditionOptions }),
  fact: z.strictObject({ fact: text, path: text, operator: text, value: z.unknown(), ...conditionOptions }),
};
const factReferenceSchema = z.strictObject({ fact: text, path: text });

const expectedType: Record<string, string> = { int: 'an integer', array: 'an array', object: 'an object', record: 'an object' };

/** Operator-facing wording for zod's generic messages; schema-level messages above take precedence. */
const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${expectedType[issue.expected] ?? `a ${issue.expected}`}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_big':
      return issue.origin === 'array' ? `must have at most ${issue.maximum} items` : issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`;
    case 'too_small':
      return issue.origin === 'array' ? `must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}` : issue.origin === 'string' ? `must be at least ${issue.minimum} characters` : `must be at least ${issue.minimum}`;
    default:
      return undefined;
  }
};

type Path = ReadonlyArray<string | number>;

/** `["rules", 3, "conditions", "all", 0, "path"]` → `rules[3].conditions.all[0].path`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The errors found so far, capped so a hostile document can't make the answer huge. */
class Problems {
  readonly list: ValidationError[] = [];

  get full(): boolean {
    return this.list.length >= documentLimits.errors;
  }

  add(path: Path, message: string): void {
    if (!this.full) this.list.push({ path: formatPath(path), message });
  }

  addIssues(issues: z.core.$ZodIssue[], base: Path): void {
    for (const issue of issues) {
      const path = [...base, ...issue.path.map((k) => (typeof k === 'symbol' ? String(k) : k))];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.add([...path, key], 'is not a known key here; check its spelling or remove it');
      } else if (issue.code === 'invalid_key') {
        this.add(path, `is not a valid name: ${issue.issues[0]?.message ?? issue.message}`);
      } else {
        this.add(path, issue.message);
      }
    }
  }
}

/** What a fact member holds, as far as a comparison needs to know. */
interface Operand {
  /** How messages name it, e.g. `recipient.inbox`. */
  label: string;
  type: ValueType;
  enum?: readonly string[];
}

/** What the condition walk needs to know about the document around a condition. */
interface Scope {
  problems: Problems;
  /** Declared parameters; the operand is undefined when the parameter's own type is invalid. */
  parameters: Map<string, Operand | undefined>;
  named: Set<string>;
  /** Named condition → the named conditions it references, and where. */
  references: Map<string, Array<{ name: string; at: Path }>>;
  conditionCount: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Size of the document as JSON in UTF-8, or null when it isn't JSON data at all. */
function serializedBytes(input: unknown): number | null {
  try {
    const json = JSON.stringify(input);
    return json === undefined ? null : new TextEncoder().encode(json).length;
  } catch {
    return null; // cycles, BigInt, or nesting too deep for the serialiser's stack
  }
}

/** zod's record drops a `__proto__` key without a word, so the two maps of names refuse it here. */
function checkProtoKeys(input: Record<string, unknown>, problems: Problems): void {
  for (const map of ['parameters', 'conditions'] as const) {
    const names = input[map];
    if (isRecord(names) && Object.hasOwn(names, '__proto__')) problems.add([map, '__proto__'], 'is not a valid name: must be letters and digits, starting with a letter');
  }
}

function declaredParameters(input: Record<string, unknown>): Map<string, Operand | undefined> {
  const declared = new Map<string, Operand | undefined>();
  if (!isRecord(input.parameters)) return declared;
  for (const [name, p] of Object.entries(input.parameters)) {
    const label = `params.${name}`;
    const { type, options } = isRecord(p) ? p : {};
    if (type === 'number' || type === 'boolean') declared.set(name, { label, type });
    else if (type === 'enum' && Array.isArray(options)) declared.set(name, { label, type: 'string', enum: options.filter((o) => typeof o === 'string') });
    else declared.set(name, undefined);
  }
  return declared;
}

/**
 * Checks `fact` and `path` of a comparison or fact reference at `at`; returns what the member holds,
 * or undefined when that is unknown or already reported.
 */
function resolveOperand(node: Record<string, unknown>, at: Path, scope: Scope): Operand | undefined {
  const { fact, path } = node;
  if (typeof fact !== 'string' || typeof path !== 'string') return undefined; // the shape check reported it
  if (!Object.hasOwn(catalog.facts, fact)) {
    scope.problems.add([...at, 'fact'], `unknown fact "${fact}"; facts: ${Object.keys(catalog.facts).join(', ')}`);
    return undefined;
  }
  if (!memberPathPattern.test(path)) {
    scope.problems.add([...at, 'path'], `"${path}" is not a plain member path: write "$.member" (brackets, filters, wildcards, ".." and scripts are refused)`);
    return undefined;
  }
  const [member, ...deeper] = path.slice(2).split('.');
  let operand: Operand | undefined;
  if (fact === 'params') {
    if (!scope.parameters.has(member)) {
      scope.problems.add([...at, 'path'], `"${member}" is not a parameter of this document; parameters: ${[...scope.parameters.keys()].join(', ') || 'none'}`);
      return undefined;
    }
    operand = scope.parameters.get(member);
  } else {
    const members = catalog.facts[fact].members;
    if (Object.keys(members).length === 0) return undefined; // a fact without a member catalog: any path
    if (!Object.hasOwn(members, member)) {
      scope.problems.add([...at, 'path'], `"${member}" is not a member of fact "${fact}"; members: ${Object.keys(members).join(', ')}`);
      return undefined;
    }
    operand = { label: `${fact}.${member}`, ...members[member] };
  }
  if (deeper.length > 0) {
    const holds = operand ? `holds a ${operand.type}` : 'holds one value';
    scope.problems.add([...at, 'path'], `${fact}.${member} ${holds}; it has no member "${deeper[0]}"`);
    return undefined;
  }
  return operand;
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Checks that a comparison's `value` is a primitive, a list of primitives or a fact reference; true if it is. */
function checkValueShape(value: unknown, at: Path, scope: Scope): boolean {
  const problems = scope.problems;
  if (Array.isArray(value)) {
    if (value.length > documentLimits.listValues) {
      problems.add(at, `must have at most ${documentLimits.listValues} items`);
      return false;
    }
    const bad = value.map((v, i) => (isPrimitive(v) ? -1 : i)).filter((i) => i >= 0);
    for (const i of bad) problems.add([...at, i], 'must be a string, number or boolean');
    return bad.length === 0;
  }
  if (isRecord(value)) {
    const parsed = factReferenceSchema.safeParse(value, { error: describeIssue });
    if (!parsed.success) problems.addIssues(parsed.error.issues, at);
    return parsed.success;
  }
  if (value === null || isPrimitive(value)) return true;
  problems.add(at, 'must be a string, number, boolean, null, a list of those, or a fact reference { "fact", "path" }');
  return false;
}

/** A literal that `fact` could equal: the same type, and one of its values when it is an enum. */
function checkLiteral(fact: Operand, value: unknown, at: Path, scope: Scope): void {
  if (typeof value !== fact.type) {
    scope.problems.add(at, `must be a ${fact.type}, as ${fact.label} is`);
  } else if (fact.enum && !fact.enum.includes(value as string)) {
    scope.problems.add(at, `"${value}" is not a value of ${fact.label}; values: ${fact.enum.join(', ')}`);
  }
}

/** Checks that the operator makes sense for the member's type and the value's. */
function checkOperandTypes(fact: Operand, operator: string, value: unknown, valueFact: Operand | undefined, at: Path, scope: Scope): void {
  const problems = scope.problems;
  const valueAt = [...at, 'value'];
  const isReference = isRecord(value);
  if (isReference && !valueFact) return; // unknown type, or already reported
  switch (operatorKinds[operator]) {
    case 'equality':
      if (valueFact && valueFact.type !== fact.type) problems.add(valueAt, `${valueFact.label} is a ${valueFact.type}, but ${fact.label} is a ${fact.type}`);
      else if (!valueFact) checkLiteral(fact, value, valueAt, scope);
      return;
    case 'ordering':
      if (fact.type !== 'number') problems.add([...at, 'operator'], `${operator} compares numbers, but ${fact.label} is a ${fact.type}`);
      else if (valueFact && valueFact.type !== 'number') problems.add(valueAt, `${valueFact.label} is a ${valueFact.type}; ${operator} compares numbers`);
      else if (!valueFact && typeof value !== 'number') problems.add(valueAt, `must be a number, as ${fact.label} is`);
      return;
    case 'membership':
      if (valueFact) problems.add(valueAt, `${operator} needs a list of values, but ${valueFact.label} is a ${valueFact.type}`);
      else if (!Array.isArray(value)) problems.add(valueAt, `${operator} needs a list of ${fact.type} values, e.g. [${fact.enum ? `"${fact.enum[0]}"` : '…'}]`);
      else value.forEach((v, i) => checkLiteral(fact, v, [...valueAt, i], scope));
      return;
    case 'containment':
      // Every catalog member holds one value; these operators look into a list.
      problems.add([...at, 'operator'], `${operator} needs a fact member holding a list, but ${fact.label} is a ${fact.type}`);
      return;
  }
}

function checkComparison(node: Record<string, unknown>, at: Path, scope: Scope): void {
  const fact = resolveOperand(node, at, scope);
  const { operator, value } = node;
  if (typeof operator === 'string' && !catalog.operators.includes(operator)) {
    scope.problems.add([...at, 'operator'], `unknown operator "${operator}"; operators: ${catalog.operators.join(', ')}`);
    return;
  }
  if (value === undefined || !checkValueShape(value, [...at, 'value'], scope)) return;
  const valueFact = isRecord(value) ? resolveOperand(value, [...at, 'value'], scope) : undefined;
  if (fact && typeof operator === 'string') checkOperandTypes(fact, operator, value, valueFact, at, scope);
}

function checkReference(name: unknown, at: Path, scope: Scope, owner: string | null): void {
  if (typeof name !== 'string') return; // the shape check reported it
  if (!scope.named.has(name)) {
    const named = [...scope.named].join(', ');
    scope.problems.add(at, `"${name}" is not a named condition of this document; ${named ? `named conditions: ${named}` : 'it declares none'}`);
    return;
  }
  if (owner !== null) scope.references.get(owner)!.push({ name, at });
}

/**
 * Walks one condition tree. `depth` is 1 at the top of a rule's or named condition's `conditions`;
 * `owner` is the named condition being walked (null inside a rule), for the cycle check.
 */
function checkCondition(node: unknown, at: Path, depth: number, scope: Scope, owner: string | null): void {
  const problems = scope.problems;
  if (problems.full) return;
  scope.conditionCount += 1;
  if (scope.conditionCount === documentLimits.conditions + 1) {
    problems.add(at, `is condition number ${scope.conditionCount} of the document; a document has at most ${documentLimits.conditions}`);
  }
  if (depth > documentLimits.depth) {
    problems.add(at, `is nested ${depth} levels deep; conditions nest at most ${documentLimits.depth} levels (use a named condition)`);
    return;
  }
  if (!isRecord(node)) {
    problems.add(at, 'must be a condition object with one of all, any, not, condition or fact');
    return;
  }
  const kinds = conditionKinds.filter((k) => Object.hasOwn(node, k));
  if (kinds.length !== 1) {
    problems.add(at, kinds.length === 0 ? 'must have one of all, any, not, condition or fact' : `has ${kinds.join(' and ')}; a condition has exactly one of all, any, not, condition or fact`);
    return;
  }
  const kind = kinds[0];
  if (depth === 1 && kind === 'fact') {
    problems.add(at, 'must start with all, any, not or condition (json-rules-engine needs one at the top); wrap the comparison in { "all": [ … ] }');
  }
  const shape = conditionSchemas[kind].safeParse(node, { error: describeIssue });
  if (!shape.success) problems.addIssues(shape.error.issues, at);
  if (kind === 'all' || kind === 'any') {
    const children = node[kind];
    if (Array.isArray(children)) children.forEach((child, i) => checkCondition(child, [...at, kind, i], depth + 1, scope, owner));
  } else if (kind === 'not') {
    if (node.not !== undefined) checkCondition(node.not, [...at, 'not'], depth + 1, scope, owner);
  } else if (kind === 'condition') {
    checkReference(node.condition, [...at, 'condition'], scope, owner);
  } else {
    checkComparison(node, at, scope);
  }
}

/** json-rules-engine would recurse forever on a cycle of named conditions: report each cycle once. */
function checkCycles(scope: Scope): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const reference of scope.references.get(name) ?? []) {
      const seen = state.get(reference.name);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(reference.name)), reference.name].join(' → ');
        scope.problems.add(reference.at, `closes a cycle of named conditions (${cycle}); named conditions may not refer back to themselves`);
      } else if (seen === undefined) {
        visit(reference.name);
      }
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of scope.references.keys()) if (!state.has(name)) visit(name);
}

/**
 * A named condition is evaluated wherever it is referenced, so references can multiply the work of
 * a small document (each level referencing the next twice doubles it): bound what one evaluation visits.
 * Runs on a document that is otherwise valid, so references resolve and are acyclic.
 */
function checkEvaluationCost(doc: PolicyDocument, problems: Problems): void {
  const cap = documentLimits.evaluatedConditions + 1;
  const namedCost = new Map<string, number>();
  const cost = (c: Condition): number => {
    if ('all' in c) return Math.min(cap, c.all.reduce((sum, child) => sum + cost(child), 1));
    if ('any' in c) return Math.min(cap, c.any.reduce((sum, child) => sum + cost(child), 1));
    if ('not' in c) return Math.min(cap, 1 + cost(c.not));
    if ('condition' in c) {
      if (!namedCost.has(c.condition)) namedCost.set(c.condition, cost(doc.conditions![c.condition]));
      return namedCost.get(c.condition)!;
    }
    return 1;
  };
  let total = 0;
  for (const [i, rule] of doc.rules.entries()) {
    total += cost(rule.conditions);
    if (total >= cap) {
      problems.add(['rules', i, 'conditions'], `brings the conditions one evaluation visits, counting each named condition where it is referenced, past ${documentLimits.evaluatedConditions}; reference fewer or smaller named conditions`);
      return;
    }
  }
}

/**
 * Checks a policy document before the service accepts it: its shape, parameter bounds, events,
 * known facts, members, parameters and operators, comparisons that make sense for the member's
 * type, plain member paths only, named-condition references without cycles, and size and depth
 * bounds (`documentLimits`). Returns every problem found, up to 50, each naming its path.
 *
 * @example
 * const result = validateDocument(JSON.parse(body));
 * if (!result.ok) result.errors; // [{ path: 'rules[3].conditions.all[0].path', message: '"$..x" is not a plain member path: …' }]
 */
export function validateDocument(input: unknown): ValidationResult {
  const bytes = serializedBytes(input);
  if (bytes === null) {
    return { ok: false, errors: [{ path: '', message: 'must be JSON data: no cycles, no BigInt, and not nested thousands of levels deep' }] };
  }
  if (bytes > documentLimits.bytes) {
    return { ok: false, errors: [{ path: '', message: `is ${bytes} bytes as JSON; a document is at most ${documentLimits.bytes} bytes` }] };
  }
  const problems = new Problems();
  const shape = documentSchema.safeParse(input, { error: describeIssue });
  if (!shape.success) problems.addIssues(shape.error.issues, []);
  if (!isRecord(input)) return { ok: false, errors: problems.list };
  checkProtoKeys(input, problems);

  const namedConditions = isRecord(input.conditions) ? input.conditions : {};
  const scope: Scope = {
    problems,
    parameters: declaredParameters(input),
    named: new Set(Object.keys(namedConditions)),
    references: new Map(Object.keys(namedConditions).map((name) => [name, []])),
    conditionCount: 0,
  };
  for (const [name, condition] of Object.entries(namedConditions)) {
    if (condition !== undefined) checkCondition(condition, ['conditions', name], 1, scope, name);
  }
  const ruleNames = new Map<string, number>();
  for (const [i, rule] of (Array.isArray(input.rules) ? input.rules : []).entries()) {
    if (!isRecord(rule)) continue;
    if (typeof rule.name === 'string') {
      const first = ruleNames.get(rule.name);
      if (first === undefined) ruleNames.set(rule.name, i);
      else problems.add(['rules', i, 'name'], `"${rule.name}" is already the name of rules[${first}]; rule names are unique`);
    }
    if (rule.conditions !== undefined) checkCondition(rule.conditions, ['rules', i, 'conditions'], 1, scope, null);
  }
  checkCycles(scope);

  if (problems.list.length > 0 || !shape.success) return { ok: false, errors: problems.list };
  const document = shape.data as PolicyDocument;
  checkEvaluationCost(document, problems);
  return problems.list.length > 0 ? { ok: false, errors: problems.list } : { ok: true, document };
}

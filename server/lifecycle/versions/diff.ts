/** The structured difference between two policy versions, shaped for a UI to render (and kept in the audit log). */
import { isDeepStrictEqual } from 'node:util';
import type { Parameter, ParameterValue, PolicyDocument, PolicyEvent, PolicyRule, TopCondition } from '../../policy/document.ts';

export type Change = 'added' | 'removed' | 'changed';

export interface ParameterChange {
  name: string;
  change: Change;
  /** The value before and after; null where the parameter does not exist. */
  from: ParameterValue | null;
  to: ParameterValue | null;
  /** For `changed`: which parts of the definition differ (`value`, `min`, `max`, `integer`, `unit`, `description`, `type`, `options`). */
  fields: string[];
  /** Both definitions, whenever more than the value changed (bounds, unit, type…), so the audit keeps them. */
  definition?: { from: Parameter | null; to: Parameter | null };
}

export type RuleField = 'priority' | 'event' | 'conditions' | 'description' | 'family' | 'position';

export interface RuleChange {
  name: string;
  change: Change;
  /** For `changed`: what differs. `position` means its order among equal-priority rules may differ (ties go to the earlier rule). */
  fields: RuleField[];
  from: PolicyRule | null;
  to: PolicyRule | null;
}

export interface NamedConditionChange {
  name: string;
  change: Change;
  from: TopCondition | null;
  to: TopCondition | null;
}

export interface VersionDiff {
  from: string;
  to: string;
  /** False when nothing but the version name differs. */
  changed: boolean;
  description: { from: string; to: string } | null;
  source: { from: string[]; to: string[] } | null;
  default: { from: PolicyEvent; to: PolicyEvent } | null;
  parameters: ParameterChange[];
  conditions: NamedConditionChange[];
  rules: RuleChange[];
}

const parameterFields = ['type', 'value', 'min', 'max', 'integer', 'unit', 'options', 'description'] as const;
const ruleFields = ['priority', 'event', 'conditions', 'description', 'family'] as const;

function changedOrNull<T>(from: T, to: T): { from: T; to: T } | null {
  return isDeepStrictEqual(from, to) ? null : { from, to };
}

function diffParameters(a: PolicyDocument, b: PolicyDocument): ParameterChange[] {
  const names = [...new Set([...Object.keys(a.parameters), ...Object.keys(b.parameters)])];
  const changes: ParameterChange[] = [];
  for (const name of names) {
    const from = Object.hasOwn(a.parameters, name) ? a.parameters[name] : null;
    const to = Object.hasOwn(b.parameters, name) ? b.parameters[name] : null;
    if (!from) changes.push({ name, change: 'added', from: null, to: to!.value, fields: [], definition: { from: null, to } });
    else if (!to) changes.push({ name, change: 'removed', from: from.value, to: null, fields: [], definition: { from, to: null } });
    else {
      const fields = parameterFields.filter((f) => !isDeepStrictEqual((from as any)[f], (to as any)[f]));
      if (!fields.length) continue;
      const change: ParameterChange = { name, change: 'changed', from: from.value, to: to.value, fields };
      if (fields.some((f) => f !== 'value')) change.definition = { from, to };
      changes.push(change);
    }
  }
  return changes;
}

/** The order of the rules both documents have, by name. */
function sharedOrder(rules: PolicyRule[], shared: Set<string>): Map<string, number> {
  return new Map(rules.filter((r) => shared.has(r.name)).map((r, i) => [r.name, i]));
}

function diffRules(a: PolicyDocument, b: PolicyDocument): RuleChange[] {
  const before = new Map(a.rules.map((r) => [r.name, r]));
  const after = new Map(b.rules.map((r) => [r.name, r]));
  const shared = new Set([...before.keys()].filter((n) => after.has(n)));
  const orderBefore = sharedOrder(a.rules, shared);
  const orderAfter = sharedOrder(b.rules, shared);
  const changes: RuleChange[] = [];
  for (const rule of a.rules) {
    const next = after.get(rule.name);
    if (!next) {
      changes.push({ name: rule.name, change: 'removed', fields: [], from: rule, to: null });
      continue;
    }
    const fields: RuleField[] = ruleFields.filter((f) => !isDeepStrictEqual(rule[f], next[f]));
    if (orderBefore.get(rule.name) !== orderAfter.get(rule.name)) fields.push('position');
    if (fields.length) changes.push({ name: rule.name, change: 'changed', fields, from: rule, to: next });
  }
  for (const rule of b.rules) {
    if (!before.has(rule.name)) changes.push({ name: rule.name, change: 'added', fields: [], from: null, to: rule });
  }
  return changes;
}

function diffConditions(a: PolicyDocument, b: PolicyDocument): NamedConditionChange[] {
  const from = a.conditions ?? {};
  const to = b.conditions ?? {};
  const changes: NamedConditionChange[] = [];
  for (const name of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const x = Object.hasOwn(from, name) ? from[name] : null;
    const y = Object.hasOwn(to, name) ? to[name] : null;
    if (isDeepStrictEqual(x, y)) continue;
    changes.push({ name, change: x === null ? 'added' : y === null ? 'removed' : 'changed', from: x, to: y });
  }
  return changes;
}

/**
 * What changed from version `a` to version `b`: parameters (value and definition), rules (by name:
 * added, removed, or which fields changed), named conditions, the default, description and source.
 *
 * @example
 * diffDocuments(x2023, draft).parameters
 * // [{ name: 'dailyLimit', change: 'changed', from: 500, to: 600, fields: ['value'] }]
 */
export function diffDocuments(a: PolicyDocument, b: PolicyDocument): VersionDiff {
  const diff: VersionDiff = {
    from: a.version,
    to: b.version,
    changed: false,
    description: changedOrNull(a.description, b.description),
    source: changedOrNull(a.source, b.source),
    default: changedOrNull(a.default, b.default),
    parameters: diffParameters(a, b),
    conditions: diffConditions(a, b),
    rules: diffRules(a, b),
  };
  diff.changed = diff.description !== null || diff.source !== null || diff.default !== null
    || diff.parameters.length > 0 || diff.conditions.length > 0 || diff.rules.length > 0;
  return diff;
}

export interface TestsDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** How the policy tests differ between two versions: by name, and in number. */
export interface TestsComparison extends TestsDiff {
  /** How many tests each side has. */
  from: number;
  to: number;
  /** The later side has fewer tests: publishing it then needs a second person's approval. */
  fewer: boolean;
}

/**
 * Which policy tests (by name) `after` adds, removes or rewrites compared with `before`, and
 * whether it has fewer of them.
 *
 * @example
 * compareTests(x2023.tests, [])  // { from: 44, to: 0, added: [], removed: [...44 names], changed: [], fewer: true }
 */
export function compareTests(before: Array<{ name: string }>, after: Array<{ name: string }>): TestsComparison {
  const from = new Map(before.map((t) => [t.name, t]));
  const to = new Map(after.map((t) => [t.name, t]));
  return {
    from: before.length,
    to: after.length,
    added: [...to.keys()].filter((n) => !from.has(n)),
    removed: [...from.keys()].filter((n) => !to.has(n)),
    changed: [...to.keys()].filter((n) => from.has(n) && !isDeepStrictEqual(from.get(n), to.get(n))),
    fewer: after.length < before.length,
  };
}

/** Which policy tests (by name) a change added, removed or rewrote; null when none. */
export function diffTests(before: Array<{ name: string }>, after: Array<{ name: string }>): TestsDiff | null {
  const { added, removed, changed } = compareTests(before, after);
  return added.length || removed.length || changed.length ? { added, removed, changed } : null;
}

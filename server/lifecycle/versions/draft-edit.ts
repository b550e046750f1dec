/** An edit to a draft: parameter values within their bounds, whole rules, named conditions and tests, checked before anything is saved. */
import type { Parameter, ParameterValue, PolicyDocument } from '../../policy/document.ts';
import { validateDocument } from '../../policy/validate.ts';
import { checkPolicyTests, type PolicyTest } from './policy-tests.ts';

export interface DraftEdit {
  /** By name: a value (kept within the parameter's min/max), a whole definition (adds or redefines), or null (removes). */
  parameters?: Record<string, ParameterValue | Record<string, unknown> | null>;
  rules?: unknown[];
  /** Named conditions, whole; null removes them all. */
  conditions?: Record<string, unknown> | null;
  description?: string;
  source?: string[];
  default?: unknown;
  tests?: unknown[];
}

export interface EditProblem {
  /** Where in the request body the problem is, e.g. `body.rules[2].conditions.all[0].path`. */
  path: string;
  message: string;
  code: 'unknown_parameter' | 'invalid_parameter' | 'parameter_out_of_bounds' | 'invalid_document' | 'invalid_tests';
}

export type EditResult =
  | { ok: true; document: PolicyDocument; tests: PolicyTest[] }
  | { ok: false; errors: EditProblem[] };

const documentKeys = ['rules', 'conditions', 'description', 'source', 'default'] as const;
const identifierPattern = /^[a-zA-Z][a-zA-Z0-9]*$/;

/** Checks a new value against the parameter it sets; null when it fits. */
function checkValue(name: string, p: Parameter, value: ParameterValue): EditProblem | null {
  const path = `body.parameters.${name}`;
  switch (p.type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { path, code: 'invalid_parameter', message: `must be a number (${p.unit})` };
      if (p.integer && !Number.isInteger(value)) return { path, code: 'invalid_parameter', message: `must be a whole number (${p.unit})` };
      if (value < p.min || value > p.max) return { path, code: 'parameter_out_of_bounds', message: `must be between ${p.min} and ${p.max} ${p.unit}` };
      return null;
    case 'boolean':
      return typeof value === 'boolean' ? null : { path, code: 'invalid_parameter', message: 'must be true or false' };
    case 'enum':
      return typeof value === 'string' && p.options.includes(value) ? null : { path, code: 'invalid_parameter', message: `must be one of ${p.options.join(', ')}` };
  }
}

function editParameters(current: PolicyDocument['parameters'], edits: NonNullable<DraftEdit['parameters']>, problems: EditProblem[]): Record<string, unknown> {
  const next = new Map<string, unknown>(Object.entries(current));
  for (const [name, change] of Object.entries(edits)) {
    const path = `body.parameters.${name}`;
    const known = identifierPattern.test(name) && Object.hasOwn(current, name);
    if (change !== null && typeof change === 'object') {
      // A whole definition; validateDocument checks it, and its errors map back to this path.
      if (!identifierPattern.test(name)) problems.push({ path, code: 'invalid_parameter', message: 'a parameter name is letters and digits, starting with a letter' });
      else next.set(name, change);
    } else if (!known) {
      const names = Object.keys(current).join(', ');
      problems.push({ path, code: 'unknown_parameter', message: `"${name}" is not a parameter of this version; parameters: ${names}. Send a whole definition to add one.` });
    } else if (change === null) {
      next.delete(name);
    } else {
      const problem = checkValue(name, current[name], change);
      if (problem) problems.push(problem);
      else next.set(name, { ...current[name], value: change });
    }
  }
  return Object.fromEntries(next);
}

/** Where a validator path came from: the body when the edit supplied that part, else the document as it stood. */
function mapValidatorPath(path: string, edit: DraftEdit): string | null {
  const top = /^[A-Za-z_$][\w$]*/.exec(path)?.[0];
  if (top === 'parameters') {
    const name = /^parameters\.([A-Za-z][A-Za-z0-9]*)/.exec(path)?.[1];
    return name !== undefined && edit.parameters && Object.hasOwn(edit.parameters, name) ? `body.${path}` : null;
  }
  if (top && (documentKeys as readonly string[]).includes(top) && edit[top as (typeof documentKeys)[number]] !== undefined) return `body.${path}`;
  return null;
}

/**
 * Applies an edit to a draft's document and tests, and checks the result as a whole: every
 * parameter value within its bounds, the document through validateDocument, and the tests against
 * the document. Returns the new document and tests, or every problem with its path in the body.
 *
 * @example
 * applyDraftEdit(doc, tests, { parameters: { dailyLimit: 0 } })
 * // { ok: false, errors: [{ path: 'body.parameters.dailyLimit', code: 'parameter_out_of_bounds', message: 'must be between 1 and 100000 sends' }] }
 */
export function applyDraftEdit(current: PolicyDocument, currentTests: unknown[], edit: DraftEdit): EditResult {
  const problems: EditProblem[] = [];
  const candidate: Record<string, unknown> = { ...current };
  if (edit.parameters) candidate.parameters = editParameters(current.parameters, edit.parameters, problems);
  for (const key of documentKeys) if (edit[key] !== undefined) candidate[key] = edit[key];
  if (edit.conditions === null) delete candidate.conditions;
  if (problems.length) return { ok: false, errors: problems };

  const validated = validateDocument(candidate);
  if (!validated.ok) {
    return {
      ok: false,
      errors: validated.errors.map((e) => {
        const path = mapValidatorPath(e.path, edit);
        return path !== null
          ? { path, message: e.message, code: 'invalid_document' as const }
          : { path: 'body', message: `the resulting document's ${e.path || 'root'} ${e.message}`, code: 'invalid_document' as const };
      }),
    };
  }
  const tests = checkPolicyTests(edit.tests ?? currentTests, validated.document);
  if (!tests.ok) {
    return {
      ok: false,
      errors: tests.errors.map((e) => edit.tests !== undefined
        ? { path: `body.${e.path}`, message: e.message, code: 'invalid_tests' as const }
        : { path: 'body.tests', message: `the draft's ${e.path} no longer fits the document: ${e.message}; send tests with the edit`, code: 'invalid_tests' as const }),
    };
  }
  return { ok: true, document: validated.document, tests: tests.tests };
}

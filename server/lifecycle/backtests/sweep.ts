/** A threshold sweep's candidates: one version per value of one numeric parameter, each within its bounds. */
import { ApiError } from '../../http/errors.ts';
import { loadPolicy, type LoadedPolicy } from '../../policy/registry.ts';

export const maxSweepValues = 50;

/** A list of values, or an evenly spaced range (both ends included when the step lands on `to`). */
export type SweepValues = number[] | { from: number; to: number; step: number };

/** The values of a range, rounded so that 0.1 steps don't drift into 0.30000000000000004. */
export function expandValues(values: SweepValues): number[] {
  if (Array.isArray(values)) return values;
  const count = Math.floor((values.to - values.from) / values.step + 1e-9) + 1;
  return Array.from({ length: Math.max(0, count) }, (_, i) => Number((values.from + i * values.step).toPrecision(12)));
}

/** How many values a range holds, without building it (the request is refused above maxSweepValues). */
export function countValues(values: SweepValues): number {
  return Array.isArray(values) ? values.length : Math.max(0, Math.floor((values.to - values.from) / values.step + 1e-9) + 1);
}

/**
 * Clones `base` once per value with `parameter` set to it. A parameter that isn't a number, or a value
 * outside the parameter's min/max, is refused with a 400 naming the path in the request.
 */
export function sweepCandidates(base: LoadedPolicy, parameter: string, spec: SweepValues): { values: number[]; candidates: LoadedPolicy[] } {
  const declared = base.document.parameters[parameter];
  if (!declared || !Object.hasOwn(base.document.parameters, parameter)) {
    const known = Object.entries(base.document.parameters).filter(([, p]) => p.type === 'number').map(([name]) => name);
    throw new ApiError(400, 'invalid_request', `version ${base.version} has no parameter "${parameter}"; numeric parameters: ${known.join(', ')}`, 'body.parameter');
  }
  if (declared.type !== 'number') throw new ApiError(400, 'invalid_request', `"${parameter}" is a ${declared.type} parameter: only a number can be swept`, 'body.parameter');
  const values = expandValues(spec);
  values.forEach((value, i) => {
    if (value >= declared.min && value <= declared.max) return;
    const path = Array.isArray(spec) ? `body.values[${i}]` : value < declared.min ? 'body.values.from' : 'body.values.to';
    throw new ApiError(400, 'out_of_bounds', `${value} is outside ${parameter}'s bounds (${declared.min}..${declared.max})`, path);
  });
  const candidates = values.map((value) => {
    const document = structuredClone(base.document);
    document.parameters[parameter] = { ...declared, value };
    return loadPolicy(document);
  });
  return { values, candidates };
}

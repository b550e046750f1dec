/**
 * Refuses `__proto__`, `constructor` and `prototype` as keys of a JSON body. JSON.parse makes
 * `__proto__` an own property, but zod's records drop it without a word, so an edit carrying one
 * would answer 200 and change nothing: it is refused at the edge, with its path, before validation.
 */
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';

const prototypeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** The path of the first prototype key in `value` (`body.parameters.__proto__`), or null. */
export function findPrototypeKey(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findPrototypeKey(item, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const key of Object.keys(value)) {
    const at = `${path}.${key}`;
    if (prototypeKeys.has(key)) return at;
    const found = findPrototypeKey((value as Record<string, unknown>)[key], at);
    if (found) return found;
  }
  return null;
}

/**
 * Middleware for routes whose body names things (parameters, conditions, facts): a prototype key
 * anywhere in it is a 400 naming the path. A body that is not JSON is left to the validator.
 * @example router.openapi(createRoute({ …, middleware: [refusePrototypeKeys] }), handler)
 */
export const refusePrototypeKeys = createMiddleware(async (c, next) => {
  if (/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
    const body = await c.req.json().catch(() => undefined);
    const at = findPrototypeKey(body, 'body');
    if (at) {
      const key = at.slice(at.lastIndexOf('.') + 1);
      throw new ApiError(400, 'invalid_name', `"${key}" can't be used as a name: it is reserved by JavaScript objects`, at);
    }
  }
  await next();
});

/** A router whose routes are described in the OpenAPI document and validated by the same zod schemas. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Principal } from './principal.ts';
import { fromZodError } from './errors.ts';
import { StaticMatchCache } from './static-match-cache.ts';

export interface AppEnv {
  Variables: { now: number; principal: Principal };
}

const targetNames: Record<string, string> = { json: 'body', param: 'params', query: 'query', header: 'headers', cookie: 'cookies', form: 'body' };

/** Every validation failure becomes the one error shape, its path prefixed with where it was found. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    router: new StaticMatchCache(),
    defaultHook: (result) => {
      if (!result.success) throw fromZodError(result.error as z.ZodError, targetNames[result.target] ?? result.target);
    },
  });
}

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string().openapi({ example: 'invalid_request' }),
    message: z.string(),
    path: z.string().nullable().openapi({ example: 'body.recipientIds[0]' }),
  }),
}).openapi('Error');

const errorContent = { 'application/json': { schema: ErrorSchema } };

/** The error responses every authenticated route may give. */
export const errorResponses = {
  400: { description: 'Malformed request', content: errorContent },
  401: { description: 'Missing or unknown bearer token', content: errorContent },
  403: { description: 'The token lacks the required scope', content: errorContent },
} as const;

/** The answer of a route that records, when the database stayed locked past the writer's patience (db/writer.ts StorageBusy). */
export const storageBusyResponse = {
  503: { description: 'The database stayed locked (another writer): nothing was recorded; send the same request again after Retry-After seconds', content: errorContent },
} as const;

export const bearerSecurity = [{ bearerAuth: [] }];

/** The OpenAPI response and body descriptions every router shares, and how times are written in JSON. */
import type { z } from '@hono/zod-openapi';
import { ErrorSchema } from './router.ts';

/** `{ 'application/json': { schema } }`: a JSON content map. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

/** A JSON response with its description. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: jsonContent(schema) });

/** A JSON request body (required unless said otherwise). */
export const body = <T extends z.ZodType>(schema: T, required = true) => ({ required, content: jsonContent(schema) });

/** An error response in the one error shape. */
export const errorOf = (description: string) => json(ErrorSchema, description);

/** Epoch milliseconds as an ISO-8601 UTC string; null stays null. */
export function iso(ms: number): string;
export function iso(ms: number | null): string | null;
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

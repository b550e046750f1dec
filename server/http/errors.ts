/** One error type for every HTTP failure, and the one JSON shape it becomes. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { StorageBusy } from '../../db/writer.ts';

export interface ErrorBody {
  error: { code: string; message: string; path: string | null; [detail: string]: unknown };
}

/**
 * A failure the client can act on: a 4xx with a machine-readable code and the offending path;
 * `details` (every validation error, the failing tests…) join the error object.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly path: string | null = null,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** `["recipientIds", 0]` → `recipientIds[0]`: the path format every error uses. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string | null {
  if (!path.length) return null;
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/**
 * The path a zod issue points at. A strict object reports unknown keys at the object itself;
 * naming the first unknown key tells the caller which one to remove.
 */
export function issuePath(issue: ZodError['issues'][number]): PropertyKey[] {
  return issue.code === 'unrecognized_keys' && issue.keys.length ? [...issue.path, issue.keys[0]] : issue.path;
}

/** The message of a zod issue, naming an unknown key. */
export function issueMessage(issue: ZodError['issues'][number]): string {
  return issue.code === 'unrecognized_keys' && issue.keys.length ? `unknown field "${issue.keys[0]}"` : issue.message;
}

/** The first zod issue as an ApiError (400, `invalid_request`), prefixed with where it was found. */
export function fromZodError(error: ZodError, where?: string): ApiError {
  const issue = error.issues[0];
  const inner = formatPath(issuePath(issue));
  const path = where ? (inner ? (inner.startsWith('[') ? `${where}${inner}` : `${where}.${inner}`) : where) : inner;
  return new ApiError(400, 'invalid_request', issueMessage(issue), path);
}

export function errorBody(code: string, message: string, path: string | null = null, details: Record<string, unknown> = {}): ErrorBody {
  return { error: { ...details, code, message, path } };
}

/** Seconds a client is told to wait (Retry-After) before sending again a request refused with 503 storage_busy. */
export const storageBusyRetrySeconds = 1;

/** The app's onError: known failures keep their status, anything else is a logged 500. */
export function handleError(err: Error, c: Context): Response {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.path, err.details), err.status);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type'
      : status === 401 ? 'unauthorized' : /json/i.test(err.message) ? 'invalid_json' : 'bad_request';
    const path = code === 'invalid_json' ? 'body' : code === 'unsupported_media_type' ? 'headers.Content-Type' : null;
    return c.json(errorBody(code, err.message || 'bad request', path), status as ContentfulStatusCode);
  }
  // The database stayed locked past the writer's patience: nothing was recorded, and the request may be sent again.
  if (err instanceof StorageBusy) return c.json(errorBody('storage_busy', err.message), 503, { 'retry-after': String(storageBusyRetrySeconds) });
  console.error('unhandled error', err);
  return c.json(errorBody('internal', 'internal error'), 500);
}

/**
 * Errors of the X API v2 surface in X's shape: RFC 7807 problems (`type`, `title`, `detail`,
 * `status`) served as application/problem+json, with a non-empty `errors` array — twitter-api-v2
 * puts title and detail into `err.message` only when there is one.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { StorageBusy } from '../../db/writer.ts';
import { ApiError, storageBusyRetrySeconds } from '../http/errors.ts';

/** X's problem types (api.x.com/2/problems/…); generic HTTP failures are `about:blank`, as X serves them. */
export const problemTypes = {
  invalidRequest: 'https://api.x.com/2/problems/invalid-request',
  unsupportedAuthentication: 'https://api.x.com/2/problems/unsupported-authentication',
  resourceNotFound: 'https://api.x.com/2/problems/resource-not-found',
  notAuthorizedForResource: 'https://api.x.com/2/problems/not-authorized-for-resource',
  blank: 'about:blank',
} as const;

/** A policy refusal's type names its reason, so a client can branch on it without parsing `detail`. */
export const refusalType = (reason: string) => `urn:dm-policy:refusal:${reason}`;

/** One entry of the `errors` array: X's partial-error fields, and ours for refusals. */
export interface ProblemError {
  title: string;
  detail: string;
  type: string;
  /** The request parameter at fault (`participant_id`, `body.text`, …). */
  parameter?: string;
  /** The participant a group refusal is about. */
  resource_id?: string;
  reason?: string;
  rule?: string | null;
}

export interface ProblemBody {
  type: string;
  title: string;
  detail: string;
  status: number;
  errors: ProblemError[];
  [extension: string]: unknown;
}

/** A failure of the X surface; `errors` defaults to one entry repeating the problem. */
export class XApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail: string,
    readonly type: string = problemTypes.blank,
    readonly options: { errors?: ProblemError[]; parameter?: string; extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(`${title}: ${detail}`);
  }

  body(): ProblemBody {
    const own: ProblemError = { title: this.title, detail: this.detail, type: this.type, ...(this.options.parameter ? { parameter: this.options.parameter } : {}) };
    const errors = this.options.errors?.length ? this.options.errors : [own];
    return { type: this.type, title: this.title, detail: this.detail, status: this.status, errors, ...this.options.extensions };
  }
}

/** The title X gives a bare status. */
const titles: Partial<Record<number, string>> = {
  400: 'Invalid Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found Error', 409: 'Conflict',
  413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** Any error thrown while serving /2/ as the problem it is: the service's ApiErrors keep status and message. */
export function toProblem(err: unknown): XApiProblem {
  if (err instanceof XApiProblem) return err;
  if (err instanceof ApiError) {
    const type = err.status === 400 ? problemTypes.invalidRequest : err.status === 404 ? problemTypes.resourceNotFound : problemTypes.blank;
    const detail = err.path ? `${err.path}: ${err.message}` : err.message;
    return new XApiProblem(err.status, titles[err.status] ?? 'Error', detail, type, err.path ? { parameter: err.path } : {});
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    return new XApiProblem(status, titles[status] ?? 'Error', err.message || titles[status] || 'error', status === 400 ? problemTypes.invalidRequest : problemTypes.blank);
  }
  if (err instanceof StorageBusy) {
    return new XApiProblem(503, titles[503]!, err.message, problemTypes.blank, { headers: { 'retry-after': String(storageBusyRetrySeconds) } });
  }
  console.error('unhandled error', err);
  return new XApiProblem(500, 'Internal Server Error', 'internal error');
}

/** Renders a problem with its headers (rate-limit figures, Retry-After). */
export function problemResponse(c: Context, problem: XApiProblem): Response {
  return c.body(JSON.stringify(problem.body()), problem.status, { ...problem.options.headers, 'content-type': 'application/problem+json' });
}

/** The app's onError for /2/ paths. */
export const handleXApiError = (err: Error, c: Context): Response => problemResponse(c, toProblem(err));

/** /2/ paths the service doesn't serve: a problem, not the /v1 error shape. */
export const xapiNotFound = (c: Context): Response =>
  problemResponse(c, new XApiProblem(404, 'Not Found Error', `no route for ${c.req.method} ${c.req.path}`, problemTypes.resourceNotFound));

/** Whether a path belongs to the X API v2 surface. */
export const isXApiPath = (path: string) => path.startsWith('/2/');

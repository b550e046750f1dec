/** Refuses request bodies larger than a path's limit with 413, before reading them. */
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';

/**
 * `maxSizeOf(path)`: the limit in bytes for a path, or null for none (a streamed import). GET and
 * HEAD requests carry no body and pass.
 */
export function bodySizeLimit(maxSizeOf: (path: string) => number | null) {
  return createMiddleware(async (c, next) => {
    const maxSize = c.req.method === 'GET' || c.req.method === 'HEAD' ? null : maxSizeOf(c.req.path);
    if (maxSize === null) return next();
    const tooLarge = () => { throw new ApiError(413, 'payload_too_large', `request bodies here are limited to ${maxSize} bytes`, 'body'); };
    // A declared length is checked from the header alone: hono's bodyLimit would first build the
    // request's web stream, which costs more than deciding a send. Chunked bodies are counted.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) return Number(length) > maxSize ? tooLarge() : next();
    return bodyLimit({ maxSize, onError: tooLarge })(c, next);
  });
}

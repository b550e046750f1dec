/** "Now" for a request: the server clock, or `X-Simulated-Now` when DM_POLICY_CLIENT_CLOCK=1. */
import { createMiddleware } from 'hono/factory';
import { ApiError } from './errors.ts';

export const simulatedNowHeader = 'x-simulated-now';

// Full ISO-8601 date-time with an explicit zone, so "now" never depends on the server's zone.
const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses the header value into epoch milliseconds, or refuses it with a 400 naming the header. */
export function parseSimulatedNow(value: string): number {
  const ms = isoDateTime.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ApiError(400, 'invalid_header', 'X-Simulated-Now must be an ISO-8601 date-time with a zone', 'headers.X-Simulated-Now');
  }
  return ms;
}

/** Sets `c.var.now` for every request. */
export function clock(options: { clientClock: boolean; serverNow?: () => number }) {
  const serverNow = options.serverNow ?? Date.now;
  return createMiddleware<{ Variables: { now: number } }>(async (c, next) => {
    const header = c.req.header(simulatedNowHeader);
    if (header !== undefined && !options.clientClock) {
      throw new ApiError(400, 'client_clock_disabled', 'X-Simulated-Now is honoured only when the service runs with DM_POLICY_CLIENT_CLOCK=1', 'headers.X-Simulated-Now');
    }
    c.set('now', header !== undefined ? parseSimulatedNow(header) : serverNow());
    await next();
  });
}

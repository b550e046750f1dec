/** Helpers shared by the limit suites: bulk graph set-up through POST /v1/import, batching, ids. */
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import type { TestService } from '../../support/service.ts';
import { at, type SendInput } from '../../support/world.ts';

export const seconds = (n: number) => n * 1000;

/** POST /v1/import with NDJSON lines (the real API), at simulated time `now`. */
export async function importLines(service: TestService, lines: unknown[], now: Date = at(0)): Promise<void> {
  const rawBody = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const res = await service.call('POST', '/v1/import', { rawBody, headers: { 'content-type': 'application/x-ndjson' }, now });
  expect(res.status, `import: ${JSON.stringify(res.body)}`).toBe(200);
}

/** Every one of `followers` follows `followee`. */
export const followedBy = (service: TestService, followee: string, followers: string[]) =>
  importLines(service, followers.map((from) => ({ type: 'follow', from, to: followee })));

/** Every one of `accounts` grants `app` the DM permission. */
export const grantAll = (service: TestService, accounts: string[], app: string) =>
  importLines(service, accounts.map((account) => ({ type: 'app_grant', account, app })));

/** `prefix-0` … `prefix-(n-1)`. */
export const ids = (prefix: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `${prefix}-${from + i}`);

/**
 * Runs `fn` over all `items` with at most `limit` in flight at any moment (a sliding window, not
 * batches): keeps the server busy with `limit` concurrent requests without overflowing its listen
 * backlog (Node's default 511) with thousands of simultaneous connects.
 */
export async function inFlight<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** POST /v1/sends (enforced) at `now`, returning status and body without asserting. */
export async function post(service: TestService, input: SendInput, now: Date, path = '/v1/sends') {
  return service.call('POST', path, { body: input, now });
}

/** Enforced send that must answer 200: the decision body. */
export async function send(service: TestService, input: SendInput, now: Date) {
  const res = await post(service, input, now);
  expect(res.status, `POST /v1/sends: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

let counter = 0;
/** A text no other send uses, so duplicate detection (R14) never trips by accident. */
export const uniqueText = (label = 'msg') => `${label} #${++counter} ${Math.random().toString(36).slice(2)}`;

/** Seconds from `now` until `until`, rounded up: what retryAfterSeconds must say. */
export const secondsBetween = (now: Date, until: Date | number) => Math.ceil(((until instanceof Date ? until.getTime() : until) - now.getTime()) / 1000);

/** Messages the sender had delivered (allowed or to requests), as the decision log stores them. */
export async function storedSends(service: TestService, senderId: string, where = sql``): Promise<number> {
  const row = await service.service.store.db.get<{ n: number }>(sql`select count(*) as n from decision_log
    where sender_id = ${senderId} and decision in ('allow', 'request') and kind <> 'group_invite' ${where}`);
  return Number(row!.n);
}

/** Decisions tallied by outcome. */
export function tally(bodies: Array<{ decision: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of bodies) out[b.decision] = (out[b.decision] ?? 0) + 1;
  return out;
}

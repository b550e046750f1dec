/** Helpers of the backtest suites: history over the real API, start a backtest, wait for the job to finish. */
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { currentLayout, decodeLoggedFacts, encodeLoggedFacts } from '../../server/decisions/logged-facts.ts';
import type { FactValues } from '../../server/policy/evaluation.ts';
import type { TestService } from '../support/service.ts';
import { at, type SendInput } from '../support/world.ts';

export const seconds = (n: number) => n * 1000;

/** `prefix-0` … `prefix-(n-1)`. */
export const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

let counter = 0;
/** A text no other send uses, so duplicate detection (R14) never trips by accident. */
export const uniqueText = (label = 'msg') => `${label} #${++counter} ${Math.random().toString(36).slice(2)}`;

/** POST /v1/import with NDJSON lines. */
async function importLines(s: TestService, lines: unknown[]): Promise<void> {
  const rawBody = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const res = await s.call('POST', '/v1/import', { rawBody, headers: { 'content-type': 'application/x-ndjson' }, now: at(0) });
  expect(res.status, `import: ${JSON.stringify(res.body)}`).toBe(200);
}

/** Every one of `followers` follows `followee`. */
export const followedBy = (s: TestService, followee: string, followers: string[]) =>
  importLines(s, followers.map((from) => ({ type: 'follow', from, to: followee })));

/** Every one of `accounts` grants `app` the DM permission. */
export const grantAll = (s: TestService, accounts: string[], app: string) =>
  importLines(s, accounts.map((account) => ({ type: 'app_grant', account, app })));

/** Enforced send that must answer 200: the decision body. */
export async function send(s: TestService, input: SendInput, now: Date): Promise<any> {
  const res = await s.call('POST', '/v1/sends', { body: input, now });
  expect(res.status, `POST /v1/sends: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

/**
 * Runs `fn` over `items` in parallel batches of `size`, one batch after the other. Callers give a
 * batch one instant, so the log's time order is the order the service decided in.
 */
export async function inBatches<T, R>(items: T[], size: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

export const finishedStatuses = ['done', 'failed', 'cancelled'];

/** POST /v1/backtests at simulated time `now`; expects 202. */
export async function startBacktest(s: TestService, body: Record<string, unknown>, now: Date): Promise<string> {
  const res = await s.call('POST', '/v1/backtests', { body, now });
  expect(res.status, `POST /v1/backtests: ${JSON.stringify(res.body)}`).toBe(202);
  return res.body.id;
}

/** Polls GET /v1/backtests/{id} until the job has finished (the job runs in the background). */
export async function finished(s: TestService, id: string): Promise<any> {
  for (let i = 0; i < 3000; i++) {
    const res = await s.call('GET', `/v1/backtests/${id}`);
    expect(res.status).toBe(200);
    if (finishedStatuses.includes(res.body.status)) return res.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`backtest ${id} did not finish`);
}

/** Starts a backtest and returns the finished job, which must be done. */
export async function backtest(s: TestService, body: Record<string, unknown>, now: Date): Promise<any> {
  const job = await finished(s, await startBacktest(s, body, now));
  expect(job.status, JSON.stringify(job.error)).toBe('done');
  return job;
}

/** A report with no differences at all: same mix, a diagonal transition matrix, no reasons, no senders. */
export function expectNoDifferences(report: any): void {
  expect(report.changed).toBe(0);
  expect(report.reasons).toEqual([]);
  expect(report.senders).toEqual([]);
  expect(report.mix.candidate).toEqual(report.mix.actual);
  for (const [from, row] of Object.entries(report.transitions as Record<string, Record<string, number>>)) {
    for (const [to, n] of Object.entries(row)) if (from !== to) expect(n, `${from} → ${to}`).toBe(0);
  }
  expect(report.blastRadius).toEqual({ sendersNewlyRefused: 0, sendersNewlyAdmitted: 0, attemptsNewlyRefused: 0, attemptsNewlyAdmitted: 0 });
}

/** The `facts` column as layout 1 wrote it (JSON arrays of the same members as layout 2's tokens). */
export function layout1Text(subjects: ReadonlyArray<{ subject: string | null; facts: FactValues }>, exempt: readonly string[]): string {
  return JSON.stringify([1, exempt, ...subjects.map(({ subject, facts }) =>
    [subject, ...currentLayout.flatMap(([fact, members]) => members.map((member) => facts[fact]?.[member] ?? null))])]);
}

/**
 * Rewrites every decision-log row's facts in one format of the column (server/decisions/logged-facts.ts),
 * whatever format they were logged in: `tokens` (layout 2), as the decision path records them; `json`,
 * layout 1 (the same values as a JSON array, logged until 2026-12-06); or `legacy`, the JSON logged
 * before the codec (`[{ subject, facts: { params, … }, exempt? }]`). Returns the rows rewritten.
 */
export async function rewriteLogFacts(s: TestService, format: 'tokens' | 'json' | 'legacy'): Promise<number> {
  const { store, policies } = s.service;
  const rows = await store.db.all<{ id: string; version: string; facts: string }>(sql`select id, version, facts from decision_log`);
  const encoded: Array<{ id: string; facts: string }> = [];
  for (const { id, version, facts } of rows) {
    const subjects = decodeLoggedFacts(facts, (await policies.version(version))!.params);
    const exempt = subjects[0]?.exempt ?? [];
    encoded.push({
      id,
      facts: format === 'tokens' ? encodeLoggedFacts(subjects, exempt)
        : format === 'json' ? layout1Text(subjects, exempt)
        : JSON.stringify(subjects.map(({ subject, facts, exempt }) => ({ subject, facts, ...(exempt ? { exempt } : {}) }))),
    });
  }
  await store.writer.write(async (tx) => {
    for (const { id, facts } of encoded) await tx.run(sql`update decision_log set facts = ${facts} where id = ${id}`);
  });
  const [{ n }] = await store.db.all<{ n: number }>(sql`select count(*) as n from decision_log where facts like ${{ tokens: '~[2;%', json: '[1,%', legacy: '[{%' }[format]}`);
  expect(n).toBe(rows.length);
  return rows.length;
}

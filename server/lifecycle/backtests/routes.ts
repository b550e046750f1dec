/**
 * Backtests over HTTP: start a replay, a blast-radius preview or a threshold sweep as a job, follow
 * its progress, cancel it, read its kept report. Publishers start and cancel, viewers read.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { findBacktest, listBacktests, type BacktestRow } from '../../../db/stores/backtests.ts';
import type { AppDeps } from '../../deps.ts';
import { ApiError } from '../../http/errors.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';
import { json, errorOf, iso } from '../../http/responses.ts';
import { dayMs } from '../../limits/windows.ts';
import { policyName, type LoadedPolicy } from '../../policy/registry.ts';
import { BacktestJobs, type BacktestSpec } from './jobs.ts';
import { Backtest, BacktestList, BacktestParams, BacktestQuery, Created, NewBacktest, VersionParams } from './schemas.ts';
import { sweepCandidates } from './sweep.ts';

const tags = ['backtests'];

type Options = z.infer<typeof Backtest>['options'];

function summaryJson(row: Omit<BacktestRow, 'report'>) {
  return {
    id: row.id, kind: row.kind, status: row.status, policy: row.policy, version: row.version, options: row.options as Options,
    progress: { processed: row.progress, total: row.total }, error: row.error, createdBy: row.createdBy,
    createdAt: iso(row.createdAt)!, finishedAt: iso(row.finishedAt),
  };
}

const backtestJson = (row: BacktestRow) => ({ ...summaryJson(row), report: (row.report ?? null) as z.infer<typeof Backtest>['report'] });

export function backtestRoutes(deps: AppDeps) {
  const { store, policies } = deps;
  const jobs = BacktestJobs.for(store, policies);
  const router = newRouter();

  const candidate = async (version: string, path: string): Promise<LoadedPolicy> => {
    const policy = await policies.version(version);
    if (!policy) throw new ApiError(404, 'unknown_version', `no version ${version} of ${policyName}`, path);
    return policy;
  };

  router.openapi(createRoute({
    method: 'post', path: '/backtests', tags, security: bearerSecurity,
    summary: 'Start a backtest',
    description: 'Replays logged send attempts in time order through a candidate version with its own counters, in the background. '
      + '`replay` covers [from, to) (default: the 24 h before now); `blast_radius` the last 24 h; `sweep` runs one replay per value of one numeric parameter. '
      + 'The 24 h before the window are replayed first as they really were decided, for counting only. Answers at once with the job; follow it with GET /backtests/{id}.',
    request: { body: { required: true, content: { 'application/json': { schema: NewBacktest } } } },
    responses: { 202: json(Created, 'The job, queued'), ...errorResponses, 404: errorOf('No such version') },
  }), async (c) => {
    const body = c.req.valid('json');
    const now = c.get('now');
    const base = await candidate(body.version, 'body.version');
    const to = body.to !== undefined ? Date.parse(body.to) : now;
    const from = body.from !== undefined ? Date.parse(body.from) : to - dayMs;
    if (from >= to) throw new ApiError(400, 'invalid_request', '`to` must be later than `from`', body.to !== undefined ? 'body.to' : 'body.from');
    const spec: BacktestSpec = { kind: body.kind, policy: base.name, version: base.version, from, to, candidates: [base] };
    if (body.kind === 'sweep') {
      const { values, candidates } = sweepCandidates(base, body.parameter!, body.values!);
      Object.assign(spec, { parameter: body.parameter, values, candidates });
    }
    return c.json(await jobs.create(spec, c.get('principal').name, now), 202);
  });

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/versions/{version}/blast-radius', tags, security: bearerSecurity,
    summary: 'Preview the blast radius of a version',
    description: 'Starts a `blast_radius` backtest: the version replayed over the last 24 h, reporting how many senders flip from allow or request to limit or deny, and back. The preview to run before publishing a draft.',
    request: { params: VersionParams },
    responses: { 202: json(Created, 'The job, queued'), ...errorResponses, 404: errorOf('No such policy or version') },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    if (policy !== policyName) throw new ApiError(404, 'unknown_policy', `no policy ${policy}`, 'params.policy');
    const now = c.get('now');
    const base = await candidate(version, 'params.version');
    const spec: BacktestSpec = { kind: 'blast_radius', policy: base.name, version: base.version, from: now - dayMs, to: now, candidates: [base] };
    return c.json(await jobs.create(spec, c.get('principal').name, now), 202);
  });

  router.openapi(createRoute({
    method: 'get', path: '/backtests', tags, security: bearerSecurity,
    summary: 'List backtests', description: 'Newest first, with status and progress; reports are read one job at a time.',
    request: { query: BacktestQuery },
    responses: { 200: json(BacktestList, 'The jobs'), ...errorResponses },
  }), async (c) => {
    await jobs.ready();
    const q = c.req.valid('query');
    const rows = await listBacktests(store.db, { status: q.status, kind: q.kind, limit: q.limit });
    return c.json({ items: rows.map(summaryJson) }, 200);
  });

  const notFound = (id: string) => new ApiError(404, 'not_found', `no backtest ${id}`, 'params.id');

  router.openapi(createRoute({
    method: 'get', path: '/backtests/{id}', tags, security: bearerSecurity,
    summary: 'One backtest', description: 'Its status, progress (attempts read of attempts to read, warm-up included) and, once done, its report.',
    request: { params: BacktestParams },
    responses: { 200: json(Backtest, 'The job'), ...errorResponses, 404: errorOf('No such backtest') },
  }), async (c) => {
    await jobs.ready();
    const { id } = c.req.valid('param');
    const row = await findBacktest(store.db, id);
    if (!row) throw notFound(id);
    return c.json(backtestJson(row), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/backtests/{id}/cancel', tags, security: bearerSecurity,
    summary: 'Cancel a backtest', description: 'A queued job never starts; a running one stops at its next check. Its report is not kept.',
    request: { params: BacktestParams },
    responses: { 200: json(Backtest, 'The job, cancelled'), ...errorResponses, 404: errorOf('No such backtest'), 409: errorOf('The job has already finished') },
  }), async (c) => {
    const { id } = c.req.valid('param');
    if (!(await jobs.cancel(id, c.get('now')))) {
      const row = await findBacktest(store.db, id);
      if (!row) throw notFound(id);
      throw new ApiError(409, 'already_finished', `backtest ${id} has already finished (${row.status})`, 'params.id');
    }
    return c.json(backtestJson((await findBacktest(store.db, id))!), 200);
  });

  return router;
}

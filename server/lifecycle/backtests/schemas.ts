/** Backtest requests, jobs and reports, as zod schemas: they validate and document. */
import { z } from '@hono/zod-openapi';
import { Outcome, OutcomeCounts as Counts } from '../../decisions/request.ts';
import { maxSweepValues, countValues } from './sweep.ts';

const IsoTime = z.iso.datetime({ offset: true, message: 'an ISO-8601 date-time with a zone, e.g. 2026-03-02T10:00:00Z' });
const kinds = ['replay', 'blast_radius', 'sweep'] as const;
const statuses = ['queued', 'running', 'done', 'cancelled', 'failed'] as const;
const VersionName = z.string().min(1).max(64);

const Range = z.object({
  from: z.number(), to: z.number(), step: z.number().positive(),
}).strict().openapi({ description: 'Evenly spaced values from `from` to `to` (inclusive when a step lands on it)', example: { from: 100, to: 1000, step: 100 } });

export const NewBacktest = z.object({
  kind: z.enum(kinds).default('replay').openapi({
    description: '`replay`: the candidate over [from, to). `blast_radius`: the candidate over the last 24 h (from and to are not taken). `sweep`: one replay per value of `parameter`.',
  }),
  version: VersionName.openapi({ description: 'The candidate version (a draft or any stored version)', example: 'x-2023' }),
  from: IsoTime.optional().openapi({ description: 'Start of the window (inclusive); default 24 h before `to`' }),
  to: IsoTime.optional().openapi({ description: 'End of the window (exclusive); default now' }),
  parameter: z.string().min(1).max(64).optional().openapi({ description: 'Sweeps: the numeric parameter to vary', example: 'dailyLimit' }),
  values: z.union([z.array(z.number()).min(1).max(maxSweepValues), Range]).optional()
    .openapi({ description: `Sweeps: the values, as a list or a range; at most ${maxSweepValues}, each within the parameter's min and max` }),
}).strict().superRefine((b, ctx) => {
  const problem = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (b.kind === 'sweep') {
    if (b.parameter === undefined) problem(['parameter'], 'a sweep needs the parameter to vary');
    if (b.values === undefined) problem(['values'], 'a sweep needs the values to try');
    else if (!Array.isArray(b.values)) {
      if (b.values.to < b.values.from) problem(['values', 'to'], 'must not be below from');
      else if (countValues(b.values) > maxSweepValues) problem(['values'], `a sweep tries at most ${maxSweepValues} values; this range holds ${countValues(b.values)}`);
    }
  } else {
    if (b.parameter !== undefined) problem(['parameter'], 'only a sweep takes a parameter');
    if (b.values !== undefined) problem(['values'], 'only a sweep takes values');
  }
  if (b.kind === 'blast_radius' && (b.from !== undefined || b.to !== undefined)) {
    problem([b.from !== undefined ? 'from' : 'to'], 'a blast radius always covers the last 24 h');
  }
}).openapi('NewBacktest');

export const Created = z.object({ id: z.string(), status: z.enum(statuses) }).openapi('BacktestCreated');

const Window = z.object({
  from: z.string(), to: z.string(),
  warmUpFrom: z.string().openapi({ description: 'Attempts from here to `from` were replayed for counting only, as they really were decided' }),
});

export const ReplayReport = z.object({
  window: Window,
  candidate: z.object({ policy: z.string(), version: z.string(), parameters: z.record(z.string(), z.number()).optional() }),
  attempts: z.number().int().openapi({ description: 'Attempts replayed in [from, to)' }),
  warmUpAttempts: z.number().int(),
  changed: z.number().int().openapi({ description: 'Attempts whose outcome the candidate changes' }),
  mix: z.object({ actual: Counts, candidate: Counts }),
  transitions: z.record(Outcome, Counts).openapi({ description: 'transitions[actual][candidate]: attempts by actual and candidate outcome' }),
  reasons: z.array(z.object({ actual: z.string(), candidate: z.string(), count: z.number().int() }))
    .openapi({ description: 'Attempts decided for another reason, by (actual reason → candidate reason), most first' }),
  senders: z.array(z.object({
    senderId: z.string(), changed: z.number().int(),
    flips: z.array(z.object({ from: Outcome, to: Outcome, count: z.number().int() })),
  })).openapi({ description: 'The 20 senders with the most changed outcomes' }),
  blastRadius: z.object({
    sendersNewlyRefused: z.number().int().openapi({ description: 'Senders with an attempt that flips from allow/request to deny/limit' }),
    sendersNewlyAdmitted: z.number().int().openapi({ description: 'Senders with an attempt that flips from deny/limit to allow/request' }),
    attemptsNewlyRefused: z.number().int(),
    attemptsNewlyAdmitted: z.number().int(),
  }),
}).openapi('ReplayReport');

export const SweepReport = z.object({
  parameter: z.string(),
  window: Window,
  candidate: z.object({ policy: z.string(), version: z.string() }),
  attempts: z.number().int(),
  warmUpAttempts: z.number().int(),
  actual: Counts,
  curve: z.array(z.object({
    value: z.number(), allow: z.number().int(), request: z.number().int(), deny: z.number().int(), limit: z.number().int(),
    refused: z.number().int().openapi({ description: 'deny + limit' }), changed: z.number().int(),
  })).openapi({ description: 'The decision mix at each value: refusals against the value' }),
}).openapi('SweepReport');

export const BacktestSummary = z.object({
  id: z.string(),
  kind: z.enum(kinds),
  status: z.enum(statuses),
  policy: z.string(),
  version: z.string(),
  options: z.object({ from: z.string(), to: z.string(), parameter: z.string().optional(), values: z.array(z.number()).optional() }),
  progress: z.object({ processed: z.number().int(), total: z.number().int().openapi({ description: 'Attempts to read, warm-up included' }) }),
  error: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
}).openapi('BacktestSummary');

export const Backtest = BacktestSummary.extend({
  report: z.union([ReplayReport, SweepReport]).nullable().openapi({ description: 'Kept once the job is done' }),
}).openapi('Backtest');

export const BacktestList = z.object({ items: z.array(BacktestSummary) }).openapi('BacktestList');

export const BacktestQuery = z.object({
  status: z.enum(statuses).optional().openapi({ param: { name: 'status', in: 'query' } }),
  kind: z.enum(kinds).optional().openapi({ param: { name: 'kind', in: 'query' } }),
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
});

export const BacktestParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });

export const VersionParams = z.object({
  policy: z.string().min(1).max(64).openapi({ param: { name: 'policy', in: 'path' }, example: 'dm' }),
  version: VersionName.openapi({ param: { name: 'version', in: 'path' } }),
});

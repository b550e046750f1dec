/** Experiments: split senders between policy versions, with shadow arms evaluated beside them. */
import { createRoute, z } from '@hono/zod-openapi';
import { Outcome, OutcomeCounts } from '../../decisions/request.ts';
import type { AppDeps } from '../../deps.ts';
import { bearerSecurity, errorResponses, newRouter } from '../../http/router.ts';
import { errorOf, json } from '../../http/responses.ts';
import { ExperimentService } from './service.ts';

const tags = ['experiments'];

const ArmSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'arm names are 1–32 characters of a–z 0–9 _ -'),
  version: z.string().min(1).max(64),
  weight: z.number().int().min(0).max(10_000).default(0).openapi({ description: 'Share of senders among the enforced arms; ignored for shadow arms' }),
  shadow: z.boolean().default(false).openapi({ description: 'Evaluated beside the enforced decision for every sender in the experiment and logged, never enforced' }),
}).strict();

const NewExperimentSchema = z.object({
  name: z.string().min(1).max(100),
  salt: z.string().min(1).max(64).optional().openapi({ description: 'Hashing salt; a new salt reshuffles senders. Random when omitted.' }),
  arms: z.array(ArmSchema).min(1).max(10),
  reason: z.string().max(1000).optional(),
}).strict().superRefine((e, ctx) => {
  const names = new Set<string>();
  e.arms.forEach((arm, i) => {
    if (names.has(arm.name)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: `duplicate arm "${arm.name}"` });
    names.add(arm.name);
  });
  if (!e.arms.some((a) => !a.shadow && a.weight > 0)) ctx.addIssue({ code: 'custom', path: ['arms'], message: 'at least one enforced arm needs a positive weight' });
}).openapi('NewExperiment');

/** An arm as stored: its weight and shadow flag filled in. */
const StoredArm = z.object({
  name: z.string(),
  version: z.string(),
  weight: z.number().int().openapi({ description: 'Share of senders among the enforced arms; ignored for shadow arms' }),
  shadow: z.boolean().openapi({ description: 'Evaluated beside the enforced decision for every sender in the experiment and logged, never enforced' }),
});

const ExperimentSchema = z.object({
  id: z.string(), name: z.string(), policy: z.string(), salt: z.string(), status: z.enum(['running', 'stopped']),
  arms: z.array(StoredArm), createdBy: z.string(), createdAt: z.number(), stoppedAt: z.number().nullable(),
}).openapi('Experiment');

const ArmFiguresSchema = z.object({
  arm: z.string(),
  version: z.string(),
  shadow: z.boolean(),
  total: z.number().int().openapi({ description: 'Decisions of the arm since the experiment started' }),
  decisions: OutcomeCounts,
  reasons: z.array(z.object({ outcome: Outcome, reason: z.string(), count: z.number().int() })).openapi({ description: 'By outcome and reason, most first' }),
  disagreements: z.object({
    total: z.number().int(),
    byOutcome: z.array(z.object({
      enforced: Outcome, shadow: Outcome, enforcedReason: z.string().nullable(), shadowReason: z.string().nullable(), count: z.number().int(),
    })),
  }).optional().openapi({ description: 'Shadow arms only: how often the shadow decision differed from the enforced one, and how, most first' }),
}).openapi('ArmFigures');

const IdParams = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' } }) });

export function experimentRoutes(deps: AppDeps) {
  const experiments = new ExperimentService(deps.store, deps.experiments);
  const router = newRouter();
  const security = bearerSecurity;

  router.openapi(createRoute({
    method: 'get', path: '/experiments', tags, security, summary: 'List experiments',
    responses: { 200: json(z.array(ExperimentSchema), 'Newest first'), ...errorResponses },
  }), async (c) => c.json(await experiments.list(), 200));

  router.openapi(createRoute({
    method: 'post', path: '/experiments', tags, security, summary: 'Start an experiment',
    description: 'Senders are assigned to enforced arms by hashing salt and sender id (stable across restarts and instances); shadow arms decide beside them and are only logged. One experiment runs per policy at a time.',
    request: { body: { required: true, content: { 'application/json': { schema: NewExperimentSchema } } } },
    responses: { 201: json(ExperimentSchema, 'Started'), ...errorResponses, 409: errorOf('Another experiment is running') },
  }), async (c) => c.json(await experiments.start(c.req.valid('json'), c.get('principal').name, c.get('now')), 201));

  router.openapi(createRoute({
    method: 'get', path: '/experiments/{id}', tags, security, summary: 'One experiment',
    request: { params: IdParams },
    responses: { 200: json(ExperimentSchema, 'The experiment'), ...errorResponses, 404: errorOf('Unknown experiment') },
  }), async (c) => c.json(await experiments.get(c.req.valid('param').id), 200));

  router.openapi(createRoute({
    method: 'post', path: '/experiments/{id}/stop', tags, security, summary: 'Stop an experiment',
    description: 'Decisions go back to the active version at once.',
    request: { params: IdParams, body: { required: false, content: { 'application/json': { schema: z.object({ reason: z.string().max(1000).optional() }).strict() } } } },
    responses: { 200: json(ExperimentSchema, 'Stopped'), ...errorResponses, 404: errorOf('Unknown experiment'), 409: errorOf('Not running') },
  }), async (c) => c.json(await experiments.stop(c.req.valid('param').id, c.get('principal').name, c.get('now'), c.req.valid('json').reason), 200));

  router.openapi(createRoute({
    method: 'get', path: '/experiments/{id}/figures', tags, security, summary: 'Per-arm figures',
    description: 'Decision mix and reasons per arm; for shadow arms, where they disagree with the enforced decision.',
    request: { params: IdParams },
    responses: { 200: json(z.array(ArmFiguresSchema), 'One entry per arm'), ...errorResponses, 404: errorOf('Unknown experiment') },
  }), async (c) => c.json(await experiments.figures(c.req.valid('param').id), 200));

  return router;
}

/** The send request and decision response of DESIGN §4, as zod schemas: they validate and document. */
import { z } from '@hono/zod-openapi';
import { catalog } from '../policy/catalog.ts';
import type { ConditionTrace as ConditionTraceShape } from '../policy/evaluation.ts';

export const AccountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are 1–128 characters of A–Z a–z 0–9 _ . : -')
  .openapi({ example: 'u1' });

export const sendKinds = ['direct', 'group_create', 'group_message', 'group_invite'] as const;
export type SendKind = (typeof sendKinds)[number];
export const channels = ['web', 'app', 'api', 'sms'] as const;
export type Channel = (typeof channels)[number];
/** The kinds that carry a message: the ones R10, R12 and R14 count. */
export const messageKinds: ReadonlySet<SendKind> = new Set(['direct', 'group_create', 'group_message']);

const Media = z.object({
  id: z.string().min(1).max(128),
  fromConversationId: z.string().min(1).max(160).optional(),
  shareable: z.boolean().default(false),
}).strict();

const factNames = Object.keys(catalog.facts);

/**
 * Inline facts for a what-if check: `{ "relation": { "recipientFollowsSender": true } }` wins over the store.
 * The catalog's numbers are all counts, lengths or ages, so an override of one is a whole number from 0.
 */
const InlineFacts = z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
  .superRefine((facts, ctx) => {
    for (const [name, members] of Object.entries(facts)) {
      if (!factNames.includes(name)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `unknown fact "${name}"; known: ${factNames.join(', ')}` });
        continue;
      }
      for (const [member, value] of Object.entries(members)) {
        if (catalog.facts[name].members[member]?.type !== 'number') continue;
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
          ctx.addIssue({ code: 'custom', path: [name, member], message: `${name}.${member} is a count: a whole number from 0, got ${JSON.stringify(value)}` });
        }
      }
    }
  })
  .openapi({ example: { relation: { recipientFollowsSender: true } } });

export const SendRequest = z.object({
  senderId: AccountId,
  recipientIds: z.array(AccountId).max(999).default([]),
  kind: z.enum(sendKinds).default('direct'),
  conversationId: z.string().min(1).max(160).optional(),
  text: z.string().max(10_000).default(''),
  channel: z.enum(channels).default('web'),
  appId: AccountId.optional(),
  media: z.array(Media).max(10).default([]),
  idempotencyKey: z.string().min(1).max(128).optional(),
  trace: z.boolean().default(false),
  facts: InlineFacts.optional(),
}).strict().superRefine((r, ctx) => {
  if (r.kind === 'direct' && r.recipientIds.length !== 1) addProblem(ctx, ['recipientIds'], 'a direct send takes exactly one recipient');
  if (r.kind === 'group_create' && r.recipientIds.length < 1) addProblem(ctx, ['recipientIds'], 'group_create takes the other participants');
  if (r.kind === 'group_message' && r.recipientIds.length) addProblem(ctx, ['recipientIds'], 'group_message takes no recipients: they are the conversation\'s participants');
  if (r.kind === 'group_invite' && r.recipientIds.length < 1) addProblem(ctx, ['recipientIds'], 'group_invite takes the accounts to add');
  if ((r.kind === 'group_message' || r.kind === 'group_invite') && !r.conversationId) addProblem(ctx, ['conversationId'], `${r.kind} requires a conversationId`);
  const seen = new Set<string>();
  r.recipientIds.forEach((id, i) => {
    if (id === r.senderId) addProblem(ctx, ['recipientIds', i], 'the sender cannot be its own recipient');
    if (seen.has(id)) addProblem(ctx, ['recipientIds', i], `duplicate recipient "${id}"`);
    seen.add(id);
  });
}).openapi('SendRequest');

export type SendRequest = z.infer<typeof SendRequest>;

/**
 * A refinement's issue. A module function rather than a closure made per request: tsx (esbuild's
 * keepNames) names every named closure as it is made, a cost paid on each send.
 */
function addProblem(ctx: z.RefinementCtx, path: (string | number)[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

export const Outcome = z.enum(['allow', 'request', 'deny', 'limit']);

/** Decisions (or attempts) by outcome. */
export const OutcomeCounts = z.object({ allow: z.number().int(), request: z.number().int(), deny: z.number().int(), limit: z.number().int() }).openapi('OutcomeCounts');

/** A trace's condition tree: recursive, so typed by hand (server/policy/evaluation.ts) and described here. */
export const ConditionTrace: z.ZodType<ConditionTraceShape> = z.lazy(() => z.object({
  fact: z.string().optional(),
  path: z.string().optional(),
  operator: z.string().optional(),
  value: z.unknown().optional().openapi({ description: 'What the fact was compared against: a literal, or a `{ fact, path }` reference (a parameter)' }),
  factResult: z.unknown().optional().openapi({ description: 'The fact value seen; absent when the comparison was not evaluated' }),
  result: z.boolean().optional().openapi({ description: 'The comparison\'s result; absent when it was not evaluated' }),
  all: z.array(ConditionTrace).optional(),
  any: z.array(ConditionTrace).optional(),
  not: ConditionTrace.optional(),
  condition: z.string().optional().openapi({ description: 'A reference to a named condition of the version' }),
  name: z.string().optional(),
  priority: z.number().optional(),
})).openapi('ConditionTrace', {
  description: 'A rule\'s condition tree as evaluated: a comparison (`fact`, `operator`, `value`, with the fact value seen, `factResult`, and its `result`) or a group (`all`, `any`, `not`, `condition`).',
});

/** One rule of a trace: whether it matched, and its condition tree as evaluated. */
export const RuleTrace = z.object({
  rule: z.string(),
  family: z.string(),
  priority: z.number(),
  matched: z.boolean(),
  exempt: z.boolean().optional().openapi({ description: 'The sender is exempted from this rule by an operator: it may match but does not decide' }),
  event: z.object({ type: Outcome, params: z.record(z.string(), z.unknown()) }),
  conditions: ConditionTrace,
}).openapi('RuleTrace');

/** A counted window after the decision; `resetsAt`: when `remaining` next grows. */
const Quota = z.object({ limit: z.number(), used: z.number(), remaining: z.number(), resetsAt: z.string().nullable() }).openapi('Quota');

export const DecisionResponse = z.object({
  decision: Outcome,
  reason: z.string().openapi({ example: 'daily_limit' }),
  rule: z.string().nullable().openapi({ description: 'The deciding rule; null when the policy default decided.' }),
  policy: z.object({ name: z.string(), version: z.string(), arm: z.string().nullable() }),
  retryAfterSeconds: z.number().int().nullable().openapi({ description: 'For `limit`: seconds until a retry can succeed.' }),
  quota: z.object({
    daily: Quota.optional(),
    apiUser15m: Quota.optional().openapi({ description: 'R12, API sends only: the user\'s requests in the last 15 minutes' }),
    apiUser24h: Quota.optional().openapi({ description: 'R12, API sends only: the user\'s requests in the last 24 hours' }),
    apiApp24h: Quota.optional().openapi({ description: 'R12, API sends through an app only: the app\'s requests in the last 24 hours' }),
  }),
  recipients: z.array(z.object({ id: z.string(), decision: Outcome, reason: z.string(), rule: z.string().nullable() })),
  conversationId: z.string().nullable(),
  sendId: z.string().nullable(),
  trace: z.array(z.object({
    recipientId: z.string().nullable(),
    facts: z.record(z.string(), z.unknown()),
    rules: z.array(RuleTrace),
  })).nullable(),
}).openapi('Decision');

export type DecisionResponse = z.infer<typeof DecisionResponse>;

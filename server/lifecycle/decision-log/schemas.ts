/** The decision log's and the live figures' requests and responses, as zod schemas: they validate and document. */
import { z } from '@hono/zod-openapi';
import { AccountId, channels, Outcome, RuleTrace, sendKinds } from '../../decisions/request.ts';
import { maxBuckets } from './figures.ts';

/** An ISO-8601 date-time with a zone (`Z` or `±hh:mm`), so a period never depends on the server's zone. */
export const IsoTime = z.iso.datetime({ offset: true, message: 'an ISO-8601 date-time with a zone, e.g. 2026-03-02T10:00:00Z' });

const queryParam = <T extends z.ZodType>(name: string, schema: T, description: string) =>
  schema.openapi({ param: { name, in: 'query' }, description });

export const DecisionSearch = z.object({
  account: queryParam('account', AccountId.optional(), 'Entries where this account is the sender or one of the recipients'),
  sender: queryParam('sender', AccountId.optional(), 'Entries sent by this account'),
  recipient: queryParam('recipient', AccountId.optional(), 'Entries where this account is one of the recipients'),
  from: queryParam('from', IsoTime.optional(), 'Entries at or after this time'),
  to: queryParam('to', IsoTime.optional(), 'Entries before this time'),
  decision: queryParam('decision', Outcome.optional(), 'Only this outcome'),
  reason: queryParam('reason', z.string().min(1).max(128).optional(), 'Only this reason, e.g. `daily_limit`'),
  rule: queryParam('rule', z.string().min(1).max(128).optional(), 'Only decisions this rule decided, e.g. `daily-cap`'),
  kind: queryParam('kind', z.enum(sendKinds).optional(), 'Only this kind of send'),
  channel: queryParam('channel', z.enum(channels).optional(), 'Only sends from this channel'),
  version: queryParam('version', z.string().min(1).max(128).optional(), 'Only decisions of this policy version'),
  arm: queryParam('arm', z.string().min(1).max(128).optional(), 'Only decisions of this experiment arm'),
  cursor: queryParam('cursor', z.string().min(1).max(512).optional(), 'The `nextCursor` of the previous page'),
  limit: queryParam('limit', z.coerce.number().int().min(1).max(500).default(50), 'Entries per page (1–500, default 50)'),
});

export const DecisionSummary = z.object({
  id: z.string(),
  at: z.string().openapi({ example: '2026-03-02T10:00:00.000Z' }),
  sender: z.string(),
  recipients: z.array(z.string()),
  kind: z.enum(sendKinds),
  channel: z.enum(channels),
  decision: Outcome,
  reason: z.string().nullable(),
  rule: z.string().nullable().openapi({ description: 'The deciding rule; null when the policy default decided' }),
  policy: z.string(),
  version: z.string(),
  experimentId: z.string().nullable(),
  arm: z.string().nullable(),
  textLength: z.number().int().openapi({ description: 'Length of the message in code points: the text itself is never stored' }),
  textFingerprint: z.string().nullable().openapi({ description: 'Fingerprint of the normalised text; null for an empty text' }),
  sendId: z.string().nullable().openapi({ description: 'The recorded send, when the decision delivered it' }),
}).openapi('DecisionLogSummary');

/** How far what the log is read through has been built (off the decision path, by the log indexer). */
export const IndexFreshness = z.object({
  indexedThrough: z.number().int().openapi({ description: 'Every log entry up to this sequence number is indexed' }),
  pending: z.number().int().openapi({ description: 'Entries recorded since, not indexed yet (a search still finds them; figures count them once indexed)' }),
}).openapi('IndexFreshness');

export const DecisionPage = z.object({
  items: z.array(DecisionSummary),
  nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last one' }),
  index: IndexFreshness,
}).openapi('DecisionLogPage');

const SubjectFacts = z.object({
  subject: z.string().nullable().openapi({ description: 'The recipient or invitee evaluated; null when there is none' }),
  facts: z.record(z.string(), z.unknown()),
});

export const DecisionEntry = DecisionSummary.extend({
  fingerprints: z.array(z.string()).openapi({ description: 'Fingerprints of the text and of each link (R14)' }),
  request: z.record(z.string(), z.unknown()).openapi({ description: 'The send request as received, without its text' }),
  facts: z.array(SubjectFacts).openapi({ description: 'The facts each subject was decided on' }),
}).openapi('DecisionLogEntry');

export const DecisionIdParams = z.object({
  id: z.string().min(1).max(128).openapi({ param: { name: 'id', in: 'path' } }),
});

const Verdict = z.object({ decision: Outcome, reason: z.string().nullable(), rule: z.string().nullable() });

export const Explanation = z.object({
  id: z.string(),
  policy: z.string(),
  version: z.string(),
  versionStatus: z.enum(['draft', 'active', 'retired']).openapi({ description: 'A draft may have changed since it decided; a published version must reproduce' }),
  logged: Verdict,
  explained: Verdict,
  reproduced: z.boolean().openapi({ description: 'Whether the re-explained decision, reason and rule equal the logged ones' }),
  subjects: z.array(Verdict.extend({
    subject: z.string().nullable(),
    limits: z.array(z.string()),
    facts: z.record(z.string(), z.unknown()),
    trace: z.array(RuleTrace),
  })),
}).openapi('DecisionExplanation');

export const PruneRequest = z.object({
  olderThanDays: z.number().int().min(1).max(36_500).openapi({ description: 'Entries logged more than this many days ago are deleted' }),
  reason: z.string().trim().min(1, 'say why').max(500),
}).strict().openapi('DecisionLogPrune');

export const PruneResult = z.object({
  before: z.string().openapi({ description: 'Entries logged before this time were deleted' }),
  deleted: z.number().int().openapi({ description: 'Decision-log entries deleted' }),
  minutesDeleted: z.number().int().openapi({ description: 'Per-minute tallies (live figures) deleted' }),
  shadowDecisionsDeleted: z.number().int(),
}).openapi('DecisionLogPruned');

export const FiguresQuery = z.object({
  from: queryParam('from', IsoTime.optional(), 'Start of the period (default: 60 minutes before `to`), rounded down to its bucket'),
  to: queryParam('to', IsoTime.optional(), 'End of the period, exclusive (default: the end of the current bucket)'),
  bucket: queryParam('bucket', z.enum(['minute', 'hour', 'day']).default('minute'), `Bucket size (UTC-aligned); at most ${maxBuckets} buckets`),
  version: queryParam('version', z.string().min(1).max(128).optional(), 'Only decisions of this policy version'),
  arm: queryParam('arm', z.string().max(128).optional(), 'Only decisions of this experiment arm (empty: decisions outside experiments)'),
  top: queryParam('top', z.coerce.number().int().min(1).max(100).default(10), 'How many top reasons (default 10)'),
});

const OutcomeCounts = { allow: z.number().int(), request: z.number().int(), deny: z.number().int(), limit: z.number().int() };

export const Figures = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(['minute', 'hour', 'day']),
  series: z.array(z.object({ at: z.string(), ...OutcomeCounts })).openapi({ description: 'Every bucket of the period, oldest first, zero-filled' }),
  topReasons: z.array(z.object({ reason: z.string(), outcome: Outcome, count: z.number().int() })),
  totals: z.object({ ...OutcomeCounts, all: z.number().int() }),
  latestMinute: z.string().nullable().openapi({ description: 'The minute of the latest decision tallied, in the period or not; null when there is none yet' }),
  index: IndexFreshness,
}).openapi('DecisionFigures');

/** The request and response shapes of the version endpoints, as zod schemas: they validate and document. */
import { z } from '@hono/zod-openapi';
import { ErrorSchema } from '../../http/router.ts';
import { documentSchema } from '../../policy/validate.ts';
import { PolicyTest } from './policy-tests.ts';

const versionPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const versionMessage = 'a version is a slug: lowercase letters, digits, ".", "_" or "-", at most 64 characters';

export const VersionName = z.string().regex(versionPattern, versionMessage).openapi({ example: 'x-2023' });
const Reason = z.string().min(1).max(1000).openapi({ description: 'Why: kept in the audit log.', example: 'raise the cap for the holiday campaign' });

export const PolicyParams = z.object({ policy: z.string().min(1).max(64).openapi({ param: { name: 'policy', in: 'path' }, example: 'dm' }) });
export const VersionParams = PolicyParams.extend({ version: VersionName.openapi({ param: { name: 'version', in: 'path' } }) });

const Iso = z.string().openapi({ format: 'date-time' });

const Approval = z.object({
  required: z.boolean(),
  causes: z.array(z.enum(['policy_setting', 'fewer_tests'])).openapi({
    description: '`policy_setting`: an admin requires approval for the policy; `fewer_tests`: the draft has fewer policy tests than the version it came from.',
  }),
  status: z.enum(['not_required', 'pending', 'approved']),
  approvers: z.array(z.string()).openapi({ description: 'Enabled publishers and admins who neither wrote nor edited the draft.' }),
}).openapi('Approval');

export const VersionSummary = z.object({
  policy: z.string(),
  version: z.string(),
  status: z.enum(['draft', 'active', 'retired']),
  description: z.string(),
  author: z.string().openapi({ description: 'Who created it: `preset` for the shipped presets, else the operator or `token:<name>`.' }),
  basedOn: z.string().nullable().openapi({ description: 'The version it was drafted from.' }),
  createdAt: Iso,
  updatedAt: Iso.nullable(),
  publishedAt: Iso.nullable().openapi({ description: 'When it was first published; null for a draft.' }),
  approvedBy: z.string().nullable(),
  approvedAt: Iso.nullable(),
  approvalReason: z.string().nullable().openapi({ description: 'Why the approver approved, as they wrote it.' }),
  approval: Approval.nullable().openapi({ description: 'For a draft: whether publishing it needs approval, why, and who may give it; null for a published version.' }),
  testCount: z.number().int(),
}).openapi('VersionSummary');

export const VersionList = z.object({
  policy: z.string(),
  active: z.string().nullable(),
  versions: z.array(VersionSummary),
}).openapi('VersionList');

export const PolicyDocumentSchema = documentSchema
  .openapi('PolicyDocument', { description: 'A policy document: see rules/policy.schema.json and DESIGN §3.' });

export const VersionDetail = VersionSummary.extend({
  document: PolicyDocumentSchema,
  tests: z.array(PolicyTest),
}).openapi('VersionDetail');

export const CreateDraft = z.object({
  from: VersionName.openapi({ description: 'The version to copy (any status).' }),
  version: VersionName.optional().openapi({ description: 'The new version\'s name; default `<from>-draft-<n>`.' }),
  description: z.string().max(1000).optional().openapi({ description: 'What the draft is for; default the copied version\'s description.' }),
  reason: Reason.optional(),
}).strict().openapi('CreateDraft');

const ParameterEdit = z.union([z.number(), z.boolean(), z.string().max(1000), z.record(z.string(), z.unknown()), z.null()]);

export const DraftEditBody = z.object({
  parameters: z.record(z.string(), ParameterEdit).optional().openapi({
    description: 'By name: a new value (checked against the parameter\'s type, min and max), a whole definition (adds or redefines a parameter), or null (removes it).',
    example: { dailyLimit: 600 },
  }),
  rules: z.array(z.unknown()).max(500).optional().openapi({ description: 'The whole rules array.' }),
  conditions: z.record(z.string(), z.unknown()).nullable().optional().openapi({ description: 'The named conditions, whole; null removes them.' }),
  description: z.string().max(1000).optional(),
  source: z.array(z.string()).max(100).optional(),
  default: z.unknown().optional().openapi({ description: 'The decision when no rule matches.' }),
  tests: z.array(z.unknown()).max(500).optional().openapi({ description: 'The version\'s policy tests, whole.' }),
  reason: Reason.optional(),
}).strict().openapi('DraftEdit');

export const ValidationReport = z.object({
  ok: z.boolean(),
  errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
}).openapi('ValidationReport');

const TestOutcome = z.object({ decision: z.string(), reason: z.string(), rule: z.string().nullable() });

const PolicyTestResult = z.object({
  name: z.string(),
  description: z.string(),
  passed: z.boolean().openapi({ description: 'The expected decision was reached, and both evaluators agree.' }),
  expected: z.object({ decision: z.string(), reason: z.string(), rule: z.string().nullable().optional() }),
  got: TestOutcome.openapi({ description: 'What json-rules-engine (the reference evaluator) decided.' }),
  compiled: TestOutcome.openapi({ description: 'What the compiled evaluator, which enforces the version, decided.' }),
  agree: z.boolean(),
  resolved: z.array(z.object({ fact: z.string(), param: z.string(), offset: z.number(), value: z.number() }))
    .openapi({ description: 'Each fact value given relative to a parameter, as resolved for this run.' }),
  error: z.string().optional(),
  compiledError: z.string().optional(),
}).openapi('PolicyTestResult');

export const PolicyTestReport = z.object({
  version: z.string(),
  total: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  disagreements: z.number().int().openapi({ description: 'Tests the compiled evaluator decided otherwise than json-rules-engine: publishing is refused while any does.' }),
  results: z.array(PolicyTestResult),
}).openapi('PolicyTestReport');

export const RunTestsBody = z.object({
  tests: z.array(z.unknown()).max(500).optional().openapi({ description: 'Tests to run instead of the stored ones (nothing is saved).' }),
}).strict();

export const ApproveBody = z.object({ reason: Reason.optional() }).strict();

export const PublishBody = z.object({ reason: Reason.optional() }).strict();

export const DeleteDraftBody = z.object({ reason: Reason.optional() }).strict();

export const DeletedDraft = z.object({ deleted: z.string() }).openapi('DeletedDraft');

export const PolicySettings = z.object({
  policy: z.string(),
  requireApproval: z.boolean().openapi({ description: 'Publishing a draft needs the approval of a publisher or admin who neither wrote nor edited it.' }),
  updatedBy: z.string().nullable(),
  updatedAt: Iso.nullable(),
}).openapi('PolicySettings');

export const PolicySettingsChange = z.object({ requireApproval: z.boolean(), reason: Reason.optional() }).strict().openapi('PolicySettingsChange');

export const PublishResult = z.object({
  version: VersionSummary,
  previous: z.string().nullable().openapi({ description: 'The version that was active before.' }),
  tests: z.object({ total: z.number().int(), passed: z.number().int() }),
}).openapi('PublishResult');

export const RollbackBody = z.object({
  version: VersionName.openapi({ description: 'A version published before (now retired).' }),
  reason: Reason.optional(),
}).strict();

export const RollbackResult = z.object({ version: VersionSummary, previous: z.string().nullable() }).openapi('RollbackResult');

export const DiffQuery = z.object({
  from: VersionName.optional().openapi({ param: { name: 'from', in: 'query' }, description: 'Default: the active version.' }),
  to: VersionName.openapi({ param: { name: 'to', in: 'query' } }),
});

const Change = z.enum(['added', 'removed', 'changed']);
const Value = z.union([z.number(), z.boolean(), z.string()]).nullable();

export const VersionDiff = z.object({
  from: z.string(),
  to: z.string(),
  changed: z.boolean(),
  description: z.object({ from: z.string(), to: z.string() }).nullable(),
  source: z.object({ from: z.array(z.string()), to: z.array(z.string()) }).nullable(),
  default: z.object({ from: z.unknown(), to: z.unknown() }).nullable(),
  parameters: z.array(z.object({
    name: z.string(), change: Change, from: Value, to: Value, fields: z.array(z.string()),
    definition: z.object({ from: z.unknown(), to: z.unknown() }).optional(),
  })),
  conditions: z.array(z.object({ name: z.string(), change: Change, from: z.unknown(), to: z.unknown() })),
  rules: z.array(z.object({
    name: z.string(), change: Change,
    fields: z.array(z.enum(['priority', 'event', 'conditions', 'description', 'family', 'position'])),
    from: z.unknown(), to: z.unknown(),
  })),
  tests: z.object({
    from: z.number().int(), to: z.number().int(),
    added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()),
    fewer: z.boolean().openapi({ description: 'The later version has fewer policy tests: publishing it needs a second person\'s approval.' }),
  }).openapi({ description: 'The policy tests by name, and how many each side has.' }),
}).openapi('VersionDiff');

export const EditErrorSchema = z.object({
  error: ErrorSchema.shape.error.extend({ errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional() }),
}).openapi('EditError');

export const PolicyTestsFailedSchema = z.object({
  error: ErrorSchema.shape.error.extend({ failures: z.array(PolicyTestResult).optional() }),
}).openapi('PolicyTestsFailed');

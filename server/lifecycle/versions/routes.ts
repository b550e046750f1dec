/** The policy version endpoints: list, read, draft, edit, delete, validate, test, diff, approve, publish, roll back, and the policy's settings. */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps } from '../../deps.ts';
import { ApiError } from '../../http/errors.ts';
import { refusePrototypeKeys } from '../../http/prototype-keys.ts';
import { bearerSecurity, errorResponses, ErrorSchema, newRouter, type AppEnv } from '../../http/router.ts';
import { body, jsonContent } from '../../http/responses.ts';
import {
  ApproveBody, CreateDraft, DeleteDraftBody, DeletedDraft, DiffQuery, DraftEditBody, EditErrorSchema, PolicyParams, PolicySettings,
  PolicySettingsChange, PolicyTestReport, PolicyTestsFailedSchema, PublishBody, PublishResult, RollbackBody, RollbackResult, RunTestsBody,
  ValidationReport, VersionDetail, VersionDiff, VersionList, VersionParams,
} from './schemas.ts';
import { VersionService, type Actor } from './service.ts';

const tags = ['policies'];
const errorContent = jsonContent(ErrorSchema);
const notFound = { 404: { description: 'Unknown policy or version', content: errorContent } } as const;
const conflict = (description: string) => ({ 409: { description, content: errorContent } }) as const;

const actorOf = (c: Context<AppEnv>): Actor => ({ name: c.get('principal').name, now: c.get('now') });

/**
 * The version routes, mounted under /v1: reading needs `viewer`, drafting `editor`, approving,
 * publishing and rolling back `publisher`, the policy's settings `admin`. Every change is in the audit log.
 * @example app.route('/v1', versionRoutes(deps))  // POST /v1/policies/dm/versions/x-2023-draft-1/publish
 */
export function versionRoutes(deps: AppDeps) {
  const versions = new VersionService(deps.store, deps.policies);
  const router = newRouter();

  router.openapi(createRoute({
    method: 'get', path: '/policies/{policy}/versions', tags, security: bearerSecurity,
    summary: 'List versions',
    description: 'Every version of the policy, oldest first, with its status (draft, active, retired), author, origin, and approval.',
    request: { params: PolicyParams },
    responses: { 200: { description: 'The versions', content: jsonContent(VersionList) }, ...errorResponses, ...notFound },
  }), async (c) => c.json(await versions.list(c.req.valid('param').policy), 200));

  router.openapi(createRoute({
    method: 'get', path: '/policies/{policy}/versions/{version}', tags, security: bearerSecurity,
    summary: 'Read a version',
    description: 'The document, its policy tests and its lifecycle metadata.',
    request: { params: VersionParams },
    responses: { 200: { description: 'The version', content: jsonContent(VersionDetail) }, ...errorResponses, ...notFound },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    return c.json(await versions.get(policy, version), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/versions', tags, security: bearerSecurity,
    summary: 'Create a draft',
    description: 'Copies any version (document and policy tests) into a new draft, named `<from>-draft-<n>` unless `version` names it.',
    request: { params: PolicyParams, body: body(CreateDraft) },
    responses: { 201: { description: 'The draft', content: jsonContent(VersionDetail) }, ...errorResponses, ...notFound, ...conflict('A version with that name exists (`version_exists`)') },
  }), async (c) => c.json(await versions.createDraft(c.req.valid('param').policy, c.req.valid('json'), actorOf(c)), 201));

  router.openapi(createRoute({
    method: 'patch', path: '/policies/{policy}/versions/{version}', tags, security: bearerSecurity, middleware: [refusePrototypeKeys],
    summary: 'Edit a draft',
    description: 'Changes parameter values (each within its min and max), rules, named conditions, the default, the description or the tests. '
      + 'The resulting document must pass validation, else 400 naming the path in the body and nothing is saved; a `__proto__`, `constructor` or '
      + '`prototype` key anywhere in the body is a 400 `invalid_name`. Editing clears the approval. Published versions are immutable (409 `immutable_version`).',
    request: { params: VersionParams, body: body(DraftEditBody) },
    responses: {
      200: { description: 'The edited draft', content: jsonContent(VersionDetail) },
      ...errorResponses,
      400: { description: 'The edit is refused; `errors` lists every problem with its path', content: jsonContent(EditErrorSchema) },
      ...notFound, ...conflict('The version is published (`immutable_version`)'),
    },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    const { reason, ...edit } = c.req.valid('json');
    if (Object.keys(edit).length === 0) throw new ApiError(400, 'invalid_request', 'nothing to change: send parameters, rules, conditions, default, description, source or tests', 'body');
    return c.json(await versions.editDraft(policy, version, edit, reason, actorOf(c)), 200);
  });

  router.openapi(createRoute({
    method: 'delete', path: '/policies/{policy}/versions/{version}', tags, security: bearerSecurity,
    summary: 'Delete a draft',
    description: 'Deletes a draft (audited, with the reason). Published versions are kept for rollback (409 `immutable_version`); '
      + 'a draft running as an experiment\'s arm is kept until the experiment stops (409 `draft_in_experiment`).',
    request: { params: VersionParams, body: body(DeleteDraftBody, false) },
    responses: { 200: { description: 'Deleted', content: jsonContent(DeletedDraft) }, ...errorResponses, ...notFound, ...conflict('Published, or an arm of the running experiment') },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    return c.json(await versions.deleteDraft(policy, version, c.req.valid('json').reason, actorOf(c)), 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/policies/{policy}/settings', tags, security: bearerSecurity,
    summary: 'Read the policy\'s settings',
    description: 'Whether publishing needs a second person\'s approval, and who last changed that.',
    request: { params: PolicyParams },
    responses: { 200: { description: 'The settings', content: jsonContent(PolicySettings) }, ...errorResponses, ...notFound },
  }), async (c) => c.json(await versions.settings(c.req.valid('param').policy), 200));

  router.openapi(createRoute({
    method: 'put', path: '/policies/{policy}/settings', tags, security: bearerSecurity,
    summary: 'Change the policy\'s settings',
    description: 'An admin turns approval on or off: with `requireApproval`, a draft is published only after a publisher or admin who neither wrote nor edited it approved it. Audited with the reason.',
    request: { params: PolicyParams, body: body(PolicySettingsChange) },
    responses: { 200: { description: 'The settings', content: jsonContent(PolicySettings) }, ...errorResponses, ...notFound },
  }), async (c) => c.json(await versions.updateSettings(c.req.valid('param').policy, c.req.valid('json'), actorOf(c)), 200));

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/versions/{version}/validate', tags, security: bearerSecurity, middleware: [refusePrototypeKeys],
    summary: 'Validate a version, or an edit to it',
    description: 'Without a body: checks the stored document and tests. With an edit (the PATCH body): checks what the edit would produce, saving nothing.',
    request: { params: VersionParams, body: body(DraftEditBody, false) },
    responses: { 200: { description: 'Every problem found, with its path', content: jsonContent(ValidationReport) }, ...errorResponses, ...notFound },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    const { reason: _reason, ...edit } = c.req.valid('json');
    return c.json(await versions.validate(policy, version, Object.keys(edit).length ? edit : null), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/versions/{version}/test', tags, security: bearerSecurity, middleware: [refusePrototypeKeys],
    summary: 'Run policy tests',
    description: 'Runs the version\'s policy tests (or the `tests` given, without saving them) through json-rules-engine and the compiled evaluator: '
      + 'each test\'s expected decision and reason against what each got, and every parameter-relative fact value as resolved.',
    request: { params: VersionParams, body: body(RunTestsBody, false) },
    responses: { 200: { description: 'The report', content: jsonContent(PolicyTestReport) }, ...errorResponses, ...notFound },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    return c.json(await versions.test(policy, version, c.req.valid('json').tests), 200);
  });

  router.openapi(createRoute({
    method: 'get', path: '/policies/{policy}/diff', tags, security: bearerSecurity,
    summary: 'Diff two versions',
    description: 'Parameters (value and definition), rules by name (added, removed, or the fields that changed), named conditions, default, description, '
      + 'and the policy tests (added, removed, changed, and whether there are fewer). `from` defaults to the active version.',
    request: { params: PolicyParams, query: DiffQuery },
    responses: { 200: { description: 'The differences', content: jsonContent(VersionDiff) }, ...errorResponses, ...notFound },
  }), async (c) => {
    const { from, to } = c.req.valid('query');
    return c.json(await versions.diff(c.req.valid('param').policy, from, to), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/versions/{version}/approve', tags, security: bearerSecurity,
    summary: 'Approve a draft',
    description: 'A second person\'s approval: neither the author nor anyone who edited the draft may give it (409 `self_approval`). Editing the draft clears it.',
    request: { params: VersionParams, body: body(ApproveBody, false) },
    responses: { 200: { description: 'The approved draft', content: jsonContent(VersionDetail) }, ...errorResponses, ...notFound, ...conflict('Self-approval, or not a draft') },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    return c.json(await versions.approve(policy, version, c.req.valid('json').reason, actorOf(c)), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/versions/{version}/publish', tags, security: bearerSecurity,
    summary: 'Publish a draft',
    description: 'Refused (409) without a second person\'s approval when the policy requires it or the draft has fewer policy tests than its origin (`approval_required`), '
      + 'without policy tests (`no_policy_tests`), when the compiled evaluator decides a test otherwise than json-rules-engine (`evaluators_disagree`), '
      + 'or when a test fails (`policy_tests_failed`); `failures` lists the tests. '
      + 'Then, atomically, the active version is retired and the draft becomes active: the next decision uses it, none sees a half state.',
    request: { params: VersionParams, body: body(PublishBody, false) },
    responses: {
      200: { description: 'Published', content: jsonContent(PublishResult) }, ...errorResponses, ...notFound,
      409: { description: 'Not a draft, not approved, no tests, evaluators disagree, or a policy test fails (`failures`)', content: jsonContent(PolicyTestsFailedSchema) },
    },
  }), async (c) => {
    const { policy, version } = c.req.valid('param');
    return c.json(await versions.publish(policy, version, { reason: c.req.valid('json').reason }, actorOf(c)), 200);
  });

  router.openapi(createRoute({
    method: 'post', path: '/policies/{policy}/rollback', tags, security: bearerSecurity,
    summary: 'Roll back',
    description: 'Re-activates a version that was published before, atomically (unknown: 404 `unknown_version`; a draft: 409 `not_published`).',
    request: { params: PolicyParams, body: body(RollbackBody) },
    responses: { 200: { description: 'Rolled back', content: jsonContent(RollbackResult) }, ...errorResponses, ...notFound, ...conflict('A draft, or already active') },
  }), async (c) => c.json(await versions.rollback(c.req.valid('param').policy, c.req.valid('json'), actorOf(c)), 200));

  return router;
}

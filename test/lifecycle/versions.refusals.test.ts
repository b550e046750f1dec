/** Every refusal of the policy lifecycle: bad drafts, bounds, immutability, roles, approval, failing tests, unknown versions. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken, type Scope } from '../../db/stores/tokens.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { world } from '../support/world.ts';

const base = '/v1/policies/dm';

describe('policy lifecycle refusals', () => {
  let s: TestService;
  let reviewer: string;
  let decideOnly: string;

  const token = async (name: string, scopes: Scope[]) => {
    const secret = `${name}-${randomUUID()}`;
    await s.service.store.writer.write((tx) => insertToken(tx, { name, secret, scopes, now: Date.now() }));
    return secret;
  };
  const call = (method: string, path: string, options: Parameters<TestService['call']>[2] = {}) => s.call(method, path, options);
  const ok = async (method: string, path: string, options: Parameters<TestService['call']>[2] = {}, status = 200) => {
    const res = await call(method, path, options);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const draft = (version: string, from = 'x-2023') => ok('POST', `${base}/versions`, { body: { from, version } }, 201);
  const auditOf = async (version: string) => (await ok('GET', '/v1/audit?policy=dm&limit=1000')).entries.filter((e: any) => e.subject === version).map((e: any) => e.action);

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    reviewer = await token('reviewer', ['admin']);
    decideOnly = await token('sender-service', ['decide']);
  });
  afterAll(async () => { await s.close(); });

  describe('a bad draft', () => {
    it('is refused with the path of the bad condition in the body, and nothing is saved', async () => {
      const d = await draft('bad-rules');
      const rules = structuredClone(d.document.rules);
      rules[2].conditions.all[0].path = '$..blocked';
      const res = await call('PATCH', `${base}/versions/bad-rules`, { body: { rules, description: 'changed too' } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_document', path: 'body.rules[2].conditions.all[0].path' });
      expect(res.body.error.message).toMatch(/plain member path/);
      expect(res.body.error.errors).toEqual([expect.objectContaining({ path: 'body.rules[2].conditions.all[0].path' })]);
      const stored = await ok('GET', `${base}/versions/bad-rules`);
      expect(stored.document.rules[2].conditions.all[0].path).toBe('$.blocked');
      expect(stored.document.description).toBe(d.document.description);
      expect(stored.updatedAt).toBeNull();
      expect(await auditOf('bad-rules')).toEqual(['draft.create']);
    });

    it('names an unknown fact, an unknown operator and a missing field in the rules', async () => {
      const d = await draft('bad-rules-2');
      const rules = structuredClone(d.document.rules);
      rules[0].conditions.all[0].fact = 'senderr';
      rules[1].conditions.all[0].operator = 'matches';
      delete rules[3].event;
      const res = await call('PATCH', `${base}/versions/bad-rules-2`, { body: { rules } });
      expect(res.status).toBe(400);
      expect(res.body.error.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining([
        'body.rules[0].conditions.all[0].fact', 'body.rules[1].conditions.all[0].operator', 'body.rules[3].event',
      ]));
    });

    it('refuses a parameter out of its bounds, naming it, and saves nothing of the edit', async () => {
      await draft('bounds');
      for (const value of [0, 100001, -5]) {
        const res = await call('PATCH', `${base}/versions/bounds`, { body: { parameters: { dailyLimit: value }, description: 'should not stick' } });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'parameter_out_of_bounds', path: 'body.parameters.dailyLimit', message: 'must be between 1 and 100000 sends' });
      }
      const stored = await ok('GET', `${base}/versions/bounds`);
      expect(stored.document.parameters.dailyLimit.value).toBe(500);
      expect(stored.document.description).not.toBe('should not stick');
      expect(await auditOf('bounds')).toEqual(['draft.create']);
      // The boundaries themselves are allowed.
      await ok('PATCH', `${base}/versions/bounds`, { body: { parameters: { dailyLimit: 100000, maxGroupSize: 2 } } });
    });

    it('refuses an unknown parameter and a value of the wrong type', async () => {
      await draft('types');
      const unknown = await call('PATCH', `${base}/versions/types`, { body: { parameters: { dailyLimt: 600 } } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toMatchObject({ code: 'unknown_parameter', path: 'body.parameters.dailyLimt' });
      expect(unknown.body.error.message).toMatch(/dailyLimit/);
      const cases: Array<[string, unknown]> = [['dailyWindow', 'weekly'], ['requirePhoneForNonFollowers', 'yes'], ['dailyLimit', '600'], ['dailyLimit', true]];
      for (const [name, value] of cases) {
        const res = await call('PATCH', `${base}/versions/types`, { body: { parameters: { [name]: value } } });
        expect(res.status, `${name}=${JSON.stringify(value)}`).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_parameter', path: `body.parameters.${name}` });
      }
    });

    it('refuses removing a parameter the rules still read, and a redefinition with bad bounds', async () => {
      await draft('remove-param');
      const removed = await call('PATCH', `${base}/versions/remove-param`, { body: { parameters: { dailyLimit: null } } });
      expect(removed.status).toBe(400);
      expect(removed.body.error).toMatchObject({ code: 'invalid_document', path: 'body' });
      expect(removed.body.error.message).toMatch(/rules\[\d+\]\.conditions.*"dailyLimit" is not a parameter/);
      const redefined = await call('PATCH', `${base}/versions/remove-param`, {
        body: { parameters: { dailyLimit: { type: 'number', value: 500, min: 1000, max: 10, unit: 'sends', description: 'R10.' } } },
      });
      expect(redefined.status).toBe(400);
      expect(redefined.body.error.path).toBe('body.parameters.dailyLimit.max');
    });

    it('refuses tests that name facts the catalog does not know', async () => {
      const d = await draft('bad-tests');
      const tests = [{ ...d.tests[0], facts: { relation: { blokced: true } } }];
      const res = await call('PATCH', `${base}/versions/bad-tests`, { body: { tests } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_tests', path: 'body.tests[0].facts.relation.blokced' });
      const wrongType = await call('PATCH', `${base}/versions/bad-tests`, { body: { tests: [{ ...d.tests[0], facts: { quota: { dailyUsed: 'lots' } } }] } });
      expect(wrongType.body.error.path).toBe('body.tests[0].facts.quota.dailyUsed');
    });

    it('refuses unknown fields and empty edits', async () => {
      await draft('fields');
      const unknown = await call('PATCH', `${base}/versions/fields`, { body: { parameter: { dailyLimit: 5 } } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.path).toBe('body.parameter');
      const empty = await call('PATCH', `${base}/versions/fields`, { body: { reason: 'nothing' } });
      expect(empty.status).toBe(400);
      expect(empty.body.error.path).toBe('body');
    });
  });

  describe('published versions', () => {
    it('are immutable: editing the active or a retired version is a 409', async () => {
      for (const version of ['x-2023', 'twitter-2016']) {
        const res = await call('PATCH', `${base}/versions/${version}`, { body: { parameters: { dailyLimit: 600 } } });
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'immutable_version', path: 'params.version' });
      }
      expect((await ok('GET', `${base}/versions/x-2023`)).document.parameters.dailyLimit.value).toBe(500);
    });

    it('cannot be published again or approved', async () => {
      expect((await call('POST', `${base}/versions/twitter-2016/publish`)).body.error.code).toBe('not_a_draft');
      expect((await call('POST', `${base}/versions/x-2023/publish`)).status).toBe(409);
      expect((await call('POST', `${base}/versions/x-2023/approve`, { token: reviewer })).body.error.code).toBe('not_a_draft');
    });
  });

  describe('roles', () => {
    it('refuses every lifecycle change to a token without a role (403), and to no token at all (401)', async () => {
      await draft('roles');
      const changes: Array<[string, string, unknown]> = [
        ['POST', `${base}/versions`, { from: 'x-2023' }],
        ['PATCH', `${base}/versions/roles`, { parameters: { dailyLimit: 600 } }],
        ['POST', `${base}/versions/roles/approve`, {}],
        ['POST', `${base}/versions/roles/publish`, {}],
        ['POST', `${base}/rollback`, { version: 'twitter-2016' }],
      ];
      for (const [method, path, body] of changes) {
        const forbidden = await call(method, path, { body, token: decideOnly });
        expect(forbidden.status, `${method} ${path}`).toBe(403);
        expect(forbidden.body.error.code).toBe('forbidden');
        expect((await call(method, path, { body, token: null })).status, `${method} ${path}`).toBe(401);
      }
      for (const path of [`${base}/versions`, `${base}/versions/x-2023`, `${base}/diff?to=x-2023`, '/v1/audit']) {
        expect((await call('GET', path, { token: decideOnly })).status, path).toBe(403);
      }
      expect((await ok('GET', `${base}/versions`)).active).toBe('x-2023');
      expect((await ok('GET', `${base}/versions/roles`)).status).toBe('draft');
    });
  });

  describe('rollback', () => {
    it('to an unknown version is a 404 naming it', async () => {
      const res = await call('POST', `${base}/rollback`, { body: { version: 'x-1999' } });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'unknown_version', path: 'body.version' });
    });

    it('to a draft, or to the active version, is a 409', async () => {
      await draft('never-published');
      expect((await call('POST', `${base}/rollback`, { body: { version: 'never-published' } })).body.error).toMatchObject({ code: 'not_published', path: 'body.version' });
      expect((await call('POST', `${base}/rollback`, { body: { version: 'x-2023' } })).body.error.code).toBe('already_active');
      expect((await ok('GET', `${base}/versions`)).active).toBe('x-2023');
    });
  });

  describe('approval by a second person', () => {
    it('refuses the author approving their own draft', async () => {
      await draft('self');
      const res = await call('POST', `${base}/versions/self/approve`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('self_approval');
    });

    it('refuses an approver who edited the draft', async () => {
      await draft('co-written');
      await ok('PATCH', `${base}/versions/co-written`, { token: reviewer, body: { parameters: { dailyLimit: 499 } } });
      const res = await call('POST', `${base}/versions/co-written/approve`, { token: reviewer });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('self_approval');
    });

    it('is required while an admin has turned it on, and editing the draft clears it', async () => {
      await draft('needs-approval');
      await ok('PUT', `${base}/settings`, { body: { requireApproval: true, reason: 'four eyes' } });
      try {
        const unapproved = await call('POST', `${base}/versions/needs-approval/publish`);
        expect(unapproved.status).toBe(409);
        expect(unapproved.body.error.code).toBe('approval_required');
        expect(unapproved.body.error.message).toMatch(/the policy requires a second person's approval/);

        await ok('POST', `${base}/versions/needs-approval/approve`, { token: reviewer });
        const edited = await ok('PATCH', `${base}/versions/needs-approval`, { body: { description: 'Edited after approval.' } });
        expect(edited.approvedBy).toBeNull();
        expect(edited.approval.status).toBe('pending');
        expect((await call('POST', `${base}/versions/needs-approval/publish`)).body.error.code).toBe('approval_required');
        expect((await ok('GET', `${base}/versions`)).active).toBe('x-2023');
      } finally {
        await ok('PUT', `${base}/settings`, { body: { requireApproval: false } });
      }
    });

    it('refuses the old requireApproval flag of publish: approval is the policy\'s setting now', async () => {
      await draft('flagged');
      const res = await call('POST', `${base}/versions/flagged/publish`, { body: { requireApproval: false } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', path: 'body.requireApproval' });
    });
  });

  describe('policy tests', () => {
    it('a failing policy test blocks the publish, listing the failures; the active version stays', async () => {
      await draft('untested-cap');
      const current = await ok('GET', `${base}/versions/untested-cap`);
      // A test written with a literal count pins 500; the preset's relative ones follow the cap.
      const literal = { name: 'literal-500-limits', description: 'A boundary written as a number.', facts: { quota: { dailyUsed: 500 } }, expect: { decision: 'limit', reason: 'daily_limit' } };
      await ok('PATCH', `${base}/versions/untested-cap`, { body: { parameters: { dailyLimit: 600 }, tests: [...current.tests, literal] } });
      const res = await call('POST', `${base}/versions/untested-cap/publish`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('policy_tests_failed');
      expect(res.body.error.message).toBe('1 of 45 policy tests fail: literal-500-limits: expected limit/daily_limit, got allow/allowed');
      expect(res.body.error.failures).toHaveLength(1);
      expect(res.body.error.failures[0]).toMatchObject({ passed: false, agree: true, expected: { decision: 'limit' }, got: { decision: 'allow' }, compiled: { decision: 'allow' } });

      expect((await ok('GET', `${base}/versions`)).active).toBe('x-2023');
      expect((await ok('GET', `${base}/versions/untested-cap`)).status).toBe('draft');
      expect((await world(s).check({ senderId: 'p1', recipientIds: ['p2'] })).policy.version).toBe('x-2023');
      expect(await auditOf('untested-cap')).toEqual(['draft.edit', 'draft.create']);
    });
  });

  describe('unknown names', () => {
    it('answers 404 for an unknown policy or version, and 409 for a taken draft name', async () => {
      expect((await call('GET', '/v1/policies/email/versions')).body.error).toMatchObject({ code: 'unknown_policy', path: 'params.policy' });
      expect((await call('GET', `${base}/versions/nope`)).body.error).toMatchObject({ code: 'unknown_version', path: 'params.version' });
      expect((await call('POST', `${base}/versions`, { body: { from: 'nope' } })).body.error).toMatchObject({ code: 'unknown_version', path: 'body.from' });
      expect((await call('GET', `${base}/diff?from=x-2023&to=nope`)).body.error).toMatchObject({ code: 'unknown_version', path: 'query.to' });
      const taken = await call('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'twitter-2016' } });
      expect(taken.status).toBe(409);
      expect(taken.body.error).toMatchObject({ code: 'version_exists', path: 'body.version' });
      const badName = await call('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'Not A Slug' } });
      expect(badName.status).toBe(400);
      expect(badName.body.error.path).toBe('body.version');
    });
  });
});

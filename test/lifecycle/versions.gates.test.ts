/**
 * What stops a version from being published or a draft from changing silently: prototype keys,
 * fractions of whole-number parameters, a test list that shrinks or is empty, the compiled
 * evaluator disagreeing with json-rules-engine — and approval as the policy's setting.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PolicyEngine } from '../../server/policy/engine.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, signIn, withSession, type Session } from '../operators/helpers.ts';

const base = '/v1/policies/dm';

describe('publishing gates and approval', () => {
  let s: TestService;
  let erin: Session;
  let pat: Session;
  let quinn: Session;

  const call = (method: string, path: string, options: Parameters<TestService['call']>[2] = {}) => s.call(method, path, options);
  const ok = async (method: string, path: string, options: Parameters<TestService['call']>[2] = {}, status = 200) => {
    const res = await call(method, path, options);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const as = (session: Session) => ({ token: null, headers: withSession(session) });
  const draft = (version: string, who?: Session) => ok('POST', `${base}/versions`, { ...(who ? as(who) : {}), body: { from: 'x-2023', version } }, 201);
  const auditOf = async (subject: string) => (await ok('GET', '/v1/audit?policy=dm&limit=1000')).entries.filter((e: any) => e.subject === subject);

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    await createOperator(s, 'erin', 'editor');
    await createOperator(s, 'pat', 'publisher');
    await createOperator(s, 'quinn', 'publisher');
    const gone = await createOperator(s, 'gone', 'publisher');
    await ok('PATCH', `/v1/operators/${gone.id}`, { body: { disabled: true } });
    await createOperator(s, 'vic', 'viewer');
    [erin, pat, quinn] = await Promise.all([signIn(s, 'erin'), signIn(s, 'pat'), signIn(s, 'quinn')]);
  });
  afterAll(async () => { await s.close(); });
  afterEach(() => { vi.restoreAllMocks(); });

  describe('prototype keys in an edit', () => {
    it.each([
      ['proto-1', 'parameters', '{"parameters":{"__proto__":{"type":"number","value":1,"min":0,"max":2,"unit":"x","description":"d"}}}', 'body.parameters.__proto__'],
      ['proto-2', 'conditions', '{"conditions":{"inboxAdmits":{"any":[{"fact":"recipient","path":"$.inbox","operator":"equal","value":"everyone"}]},"__proto__":{"all":[]}}}', 'body.conditions.__proto__'],
      ['proto-3', 'a nested condition', '{"conditions":{"x":{"all":[{"constructor":1}]}}}', 'body.conditions.x.all[0].constructor'],
      ['proto-4', 'a parameter named prototype', '{"parameters":{"prototype":5}}', 'body.parameters.prototype'],
    ])('%s: refuses one in %s with a 400 naming its path, saving nothing; /validate refuses it too', async (name, _, raw, path) => {
      await draft(name);
      for (const route of ['', '/validate']) {
        const res = await call(route ? 'POST' : 'PATCH', `${base}/versions/${name}${route}`, { rawBody: raw, headers: { 'content-type': 'application/json' } });
        expect(res.status, route).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'invalid_name', path });
      }
      expect((await ok('GET', `${base}/versions/${name}`)).updatedAt).toBeNull();
      expect((await auditOf(name)).map((e: any) => e.action)).toEqual(['draft.create']);
    });
  });

  describe('whole-number parameters', () => {
    it('refuses dailyLimit 2.5 on edit and on validate, naming the parameter', async () => {
      await draft('fraction');
      const res = await call('PATCH', `${base}/versions/fraction`, { body: { parameters: { dailyLimit: 2.5 } } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_parameter', path: 'body.parameters.dailyLimit', message: 'must be a whole number (sends)' });
      expect((await ok('GET', `${base}/versions/fraction`)).document.parameters.dailyLimit.value).toBe(500);
      const report = await ok('POST', `${base}/versions/fraction/validate`, { body: { parameters: { dailyLimit: 2.5 } } });
      expect(report).toEqual({ ok: false, errors: [{ path: 'body.parameters.dailyLimit', code: 'invalid_parameter', message: 'must be a whole number (sends)' }] });
    });

    it('refuses a whole definition marked integer with a fractional value', async () => {
      await draft('fraction-def');
      const definition = { type: 'number', value: 2.5, min: 1, max: 10, integer: true, unit: 'sends', description: 'a cap' };
      const res = await call('PATCH', `${base}/versions/fraction-def`, { body: { parameters: { dailyLimit: definition } } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ path: 'body.parameters.dailyLimit.value', message: 'must be a whole number (this parameter counts sends)' });
    });
  });

  describe('the policy tests a publish needs', () => {
    it('refuses to publish a version without tests', async () => {
      await draft('no-tests');
      await ok('PATCH', `${base}/versions/no-tests`, { body: { tests: [] } });
      await ok('POST', `${base}/versions/no-tests/approve`, as(pat)); // fewer tests: approved, and still refused
      const res = await call('POST', `${base}/versions/no-tests/publish`);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'no_policy_tests', path: 'params.version' });
      expect((await ok('GET', `${base}/versions`)).active).toBe('x-2023');
    });

    it('shows fewer tests in the diff and needs approval for them even with approval off', async () => {
      const d = await draft('fewer', erin);
      const tests = d.tests.filter((t: any) => t.name !== 'block-denies');
      await ok('PATCH', `${base}/versions/fewer`, { ...as(erin), body: { tests } });

      const diff = await ok('GET', `${base}/diff?to=fewer`);
      expect(diff.changed).toBe(true);
      expect(diff.tests).toEqual({ from: 44, to: 43, added: [], removed: ['block-denies'], changed: [], fewer: true });
      const pending = await ok('GET', `${base}/versions/fewer`);
      expect(pending.approval).toEqual({ required: true, causes: ['fewer_tests'], status: 'pending', approvers: ['admin', 'pat', 'quinn'] });

      const refused = await call('POST', `${base}/versions/fewer/publish`, as(pat));
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('approval_required');
      expect(refused.body.error.message).toBe('fewer needs a second person\'s approval before it is published: it has fewer policy tests (43) than x-2023 (44) (may approve: admin, pat, quinn)');

      await ok('POST', `${base}/versions/fewer/approve`, { ...as(quinn), body: { reason: 'block-denies duplicates block-wins-over-prior-conversation' } });
      const published = await ok('POST', `${base}/versions/fewer/publish`, { ...as(pat), body: { reason: 'fewer, approved' } });
      expect(published.version).toMatchObject({ status: 'active', approvedBy: 'quinn', approvalReason: 'block-denies duplicates block-wins-over-prior-conversation', approval: null });
      const [publish] = (await auditOf('fewer')).filter((e: any) => e.action === 'version.publish');
      expect(publish.diff.tests).toEqual({ from: 44, to: 43, added: [], removed: ['block-denies'], changed: [], fewer: true });
      await ok('POST', `${base}/rollback`, { body: { version: 'x-2023' } });
    });

    it('refuses to publish when the compiled evaluator decides a test otherwise than json-rules-engine, naming the test and both outcomes', async () => {
      await draft('skewed');
      const real = PolicyEngine.prototype.decide;
      vi.spyOn(PolicyEngine.prototype, 'decide').mockImplementation(function (this: PolicyEngine, facts, exempt) {
        const decision = real.call(this, facts, exempt);
        return decision.rule === 'block' ? { outcome: 'allow', event: { type: 'allow', params: { reason: 'allowed' } }, rule: null, limits: [] } : decision;
      });
      const res = await call('POST', `${base}/versions/skewed/publish`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('evaluators_disagree');
      expect(res.body.error.message).toBe('the compiled evaluator decides 2 of 44 policy tests otherwise than json-rules-engine: '
        + 'block-denies: json-rules-engine deny/blocked by block, compiled allow/allowed; '
        + 'block-wins-over-prior-conversation: json-rules-engine deny/blocked by block, compiled allow/allowed');
      expect(res.body.error.failures.map((f: any) => [f.name, f.agree])).toEqual([['block-denies', false], ['block-wins-over-prior-conversation', false]]);
      expect((await ok('GET', `${base}/versions`)).active).toBe('x-2023');
    });
  });

  describe('approval as the policy\'s setting', () => {
    it('is changed by an admin only, audited with the reason', async () => {
      expect(await ok('GET', `${base}/settings`, as(pat))).toEqual({ policy: 'dm', requireApproval: false, updatedBy: null, updatedAt: null });
      const refused = await call('PUT', `${base}/settings`, { ...as(pat), body: { requireApproval: true } });
      expect(refused.status).toBe(403);
      const changed = await ok('PUT', `${base}/settings`, { body: { requireApproval: true, reason: 'four eyes on every publish' }, now: '2027-01-02T03:04:05.000Z' });
      expect(changed).toEqual({ policy: 'dm', requireApproval: true, updatedBy: 'token:bootstrap', updatedAt: '2027-01-02T03:04:05.000Z' });
      const [entry] = await auditOf('dm');
      expect(entry).toMatchObject({ action: 'policy.settings', actor: 'token:bootstrap', reason: 'four eyes on every publish', diff: { requireApproval: { from: false, to: true } } });
    });

    it('shows a draft waiting for approval and who may give it: publishers and admins who neither wrote nor edited it', async () => {
      await draft('waiting', erin);
      await ok('PATCH', `${base}/versions/waiting`, { ...as(pat), body: { parameters: { dailyLimit: 300 } } });
      const listed = (await ok('GET', `${base}/versions`)).versions.find((v: any) => v.version === 'waiting');
      expect(listed.approval).toEqual({ required: true, causes: ['policy_setting'], status: 'pending', approvers: ['admin', 'quinn'] });
      const retired = (await ok('GET', `${base}/versions`)).versions.find((v: any) => v.version === 'twitter-2016');
      expect(retired.approval).toBeNull();

      expect((await call('POST', `${base}/versions/waiting/approve`, as(pat))).body.error.code).toBe('self_approval');
      expect((await call('POST', `${base}/versions/waiting/publish`, as(pat))).body.error.code).toBe('approval_required');
      const approved = await ok('POST', `${base}/versions/waiting/approve`, { ...as(quinn), body: { reason: '300 is what trust & safety asked for' } });
      expect(approved).toMatchObject({ approvedBy: 'quinn', approvalReason: '300 is what trust & safety asked for', approval: { status: 'approved' } });
      const [approval] = (await auditOf('waiting')).filter((e: any) => e.action === 'version.approve');
      expect(approval).toMatchObject({ actor: 'quinn', reason: '300 is what trust & safety asked for' });
      await ok('PUT', `${base}/settings`, { body: { requireApproval: false } });
    });
  });

  describe('drafts', () => {
    it('are named and described when created, and deleted with an audited reason', async () => {
      const d = await ok('POST', `${base}/versions`, { ...as(erin), body: { from: 'x-2023', version: 'cap-300', description: 'Daily cap of 300 for the spam wave.' } }, 201);
      expect(d).toMatchObject({ version: 'cap-300', description: 'Daily cap of 300 for the spam wave.', document: { description: 'Daily cap of 300 for the spam wave.' } });
      expect(await ok('DELETE', `${base}/versions/cap-300`, { ...as(erin), body: { reason: 'drafted by mistake' } })).toEqual({ deleted: 'cap-300' });
      expect((await call('GET', `${base}/versions/cap-300`)).status).toBe(404);
      expect((await auditOf('cap-300')).map((e: any) => [e.action, e.actor, e.reason])).toEqual([
        ['draft.delete', 'erin', 'drafted by mistake'], ['draft.create', 'erin', null],
      ]);
    });

    it('refuses deleting a published version, a draft running in an experiment, or as a viewer', async () => {
      const published = await call('DELETE', `${base}/versions/twitter-2016`);
      expect(published.status).toBe(409);
      expect(published.body.error.code).toBe('immutable_version');

      await draft('in-shadow');
      const experiment = await ok('POST', '/v1/experiments', { body: { name: 'shadow', arms: [{ name: 'control', version: 'x-2023', weight: 1 }, { name: 'shadow', version: 'in-shadow', shadow: true }] } }, 201);
      const running = await call('DELETE', `${base}/versions/in-shadow`);
      expect(running.status).toBe(409);
      expect(running.body.error).toMatchObject({ code: 'draft_in_experiment', message: 'in-shadow is an arm of the running experiment "shadow": stop it first' });
      await ok('POST', `/v1/experiments/${experiment.id}/stop`, { body: {} });

      const vic = await signIn(s, 'vic');
      expect((await call('DELETE', `${base}/versions/in-shadow`, as(vic))).status).toBe(403);
      await ok('DELETE', `${base}/versions/in-shadow`);
    });
  });
});

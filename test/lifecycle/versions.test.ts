/** The policy lifecycle over HTTP: list, read, draft, edit, validate, diff, approve, publish, roll back — and the audit trail of each. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken, type Scope } from '../../db/stores/tokens.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, world } from '../support/world.ts';

const base = '/v1/policies/dm';

describe('policy versions', () => {
  let s: TestService;
  /** A second admin: the approver, who did not write the draft. */
  let reviewer: string;

  const token = async (name: string, scopes: Scope[]) => {
    const secret = `${name}-${randomUUID()}`;
    await s.service.store.writer.write((tx) => insertToken(tx, { name, secret, scopes, now: Date.now() }));
    return secret;
  };
  const ok = async (method: string, path: string, options: Parameters<TestService['call']>[2] = {}, status = 200) => {
    const res = await s.call(method, path, options);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    reviewer = await token('reviewer', ['admin']);
  });
  afterAll(async () => { await s.close(); });

  it('lists the seeded presets: x-2023 active, the others retired, each with its policy tests', async () => {
    const list = await ok('GET', `${base}/versions`);
    expect(list.active).toBe('x-2023');
    const byName = Object.fromEntries(list.versions.map((v: any) => [v.version, v]));
    expect(byName['x-2023']).toMatchObject({ status: 'active', author: 'preset', basedOn: null, approvedBy: null });
    expect(byName['twitter-2016'].status).toBe('retired');
    expect(byName['x-api-v2'].status).toBe('retired');
    for (const v of list.versions) {
      expect(v.publishedAt).not.toBeNull();
      expect(v.testCount).toBeGreaterThan(20);
    }
  });

  it('reads one version: document, tests and metadata', async () => {
    const v = await ok('GET', `${base}/versions/x-2023`);
    expect(v.document.version).toBe('x-2023');
    expect(v.document.parameters.dailyLimit.value).toBe(500);
    const atLimit = v.tests.find((t: any) => t.name === 'daily-cap-at-limit-limits');
    expect(atLimit.facts).toEqual({ quota: { dailyUsed: { param: 'dailyLimit' } } });
    expect(atLimit.expect).toEqual({ decision: 'limit', reason: 'daily_limit', rule: 'daily-cap' });
  });

  it('drafts, edits, approves and publishes a new daily cap; the next decision uses it; rollback restores the old one', async () => {
    const w = world(s);
    const draft = await ok('POST', `${base}/versions`, { body: { from: 'x-2023', reason: 'holiday campaign' } }, 201);
    expect(draft).toMatchObject({ version: 'x-2023-draft-1', status: 'draft', basedOn: 'x-2023', author: 'token:bootstrap' });
    expect(draft.document.version).toBe('x-2023-draft-1');
    expect(draft.tests.length).toBeGreaterThan(20);

    // The preset's tests say the cap's boundary relative to dailyLimit: they follow it to 600 unchanged.
    const edited = await ok('PATCH', `${base}/versions/x-2023-draft-1`, { body: { parameters: { dailyLimit: 600 }, reason: 'raise the cap' } });
    expect(edited.document.parameters.dailyLimit).toMatchObject({ value: 600, min: 1, max: 100000, integer: true });
    expect(edited.updatedAt).not.toBeNull();

    const report = await ok('POST', `${base}/versions/x-2023-draft-1/test`);
    expect(report).toMatchObject({ version: 'x-2023-draft-1', failed: 0, disagreements: 0 });
    const boundary = report.results.filter((r: any) => r.name.startsWith('daily-cap-')).map((r: any) => [r.name, r.resolved, r.got.decision, r.compiled.decision]);
    expect(boundary).toEqual([
      ['daily-cap-one-below-limit-allows', [{ fact: 'quota.dailyUsed', param: 'dailyLimit', offset: -1, value: 599 }], 'allow', 'allow'],
      ['daily-cap-at-limit-limits', [{ fact: 'quota.dailyUsed', param: 'dailyLimit', offset: 0, value: 600 }], 'limit', 'limit'],
      ['daily-cap-counts-group-messages', [{ fact: 'quota.dailyUsed', param: 'dailyLimit', offset: 0, value: 600 }], 'limit', 'limit'],
    ]);

    await ok('PUT', `${base}/settings`, { body: { requireApproval: true, reason: 'two people for every publish' } });
    const pending = await ok('GET', `${base}/versions/x-2023-draft-1`);
    expect(pending.approval).toEqual({ required: true, causes: ['policy_setting'], status: 'pending', approvers: ['admin'] });
    const approved = await ok('POST', `${base}/versions/x-2023-draft-1/approve`, { token: reviewer, body: { reason: 'looks right' } });
    expect(approved).toMatchObject({ approvedBy: 'token:reviewer', approvalReason: 'looks right', approval: { status: 'approved' } });

    const before = await w.check({ senderId: 'a1', recipientIds: ['b1'] });
    expect(before.policy.version).toBe('x-2023');

    const published = await ok('POST', `${base}/versions/x-2023-draft-1/publish`, { body: { reason: 'ship it' } });
    await ok('PUT', `${base}/settings`, { body: { requireApproval: false } });
    expect(published).toMatchObject({ previous: 'x-2023', version: { version: 'x-2023-draft-1', status: 'active', approvedBy: 'token:reviewer' } });
    expect(published.version.publishedAt).not.toBeNull();

    const after = await w.check({ senderId: 'a1', recipientIds: ['b1'] });
    expect(after.policy.version).toBe('x-2023-draft-1');
    expect(after.quota.daily.limit).toBe(600);

    const list = await ok('GET', `${base}/versions`);
    expect(list.active).toBe('x-2023-draft-1');
    expect(list.versions.find((v: any) => v.version === 'x-2023').status).toBe('retired');

    const rolledBack = await ok('POST', `${base}/rollback`, { body: { version: 'x-2023', reason: 'complaints' } });
    expect(rolledBack).toMatchObject({ previous: 'x-2023-draft-1', version: { version: 'x-2023', status: 'active' } });
    const again = await w.check({ senderId: 'a1', recipientIds: ['b1'] });
    expect(again.policy.version).toBe('x-2023');
    expect(again.quota.daily.limit).toBe(500);
    expect((await ok('GET', `${base}/versions/x-2023-draft-1`)).status).toBe('retired');

    // Every step is in the audit log, newest first, with who, what and why.
    const audit = await ok('GET', '/v1/audit?policy=dm&limit=20');
    const mine = audit.entries.filter((e: any) => e.subject === 'x-2023-draft-1' || e.action === 'version.rollback');
    expect(mine.map((e: any) => e.action)).toEqual(['version.rollback', 'version.publish', 'version.approve', 'draft.edit', 'draft.create']);
    const [rollback, publish, approve, edit, create] = mine;
    expect(create).toMatchObject({ actor: 'token:bootstrap', reason: 'holiday campaign', diff: { from: 'x-2023', to: 'x-2023-draft-1', changed: false } });
    expect(edit.reason).toBe('raise the cap');
    expect(edit.diff.parameters).toEqual([{ name: 'dailyLimit', change: 'changed', from: 500, to: 600, fields: ['value'] }]);
    expect(edit.diff.tests).toBeNull();
    expect(approve).toMatchObject({ actor: 'token:reviewer', reason: 'looks right' });
    expect(publish).toMatchObject({ actor: 'token:bootstrap', reason: 'ship it', diff: { from: 'x-2023', to: 'x-2023-draft-1' } });
    expect(publish.diff.parameters[0]).toMatchObject({ name: 'dailyLimit', from: 500, to: 600 });
    expect(publish.diff.tests).toMatchObject({ from: 44, to: 44, added: [], removed: [], changed: [], fewer: false });
    expect(rollback).toMatchObject({ subject: 'x-2023', reason: 'complaints', diff: { from: 'x-2023-draft-1', to: 'x-2023' } });
  });

  it('publishes without approval while the policy does not require it', async () => {
    await ok('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'x-2023-desc' } }, 201);
    await ok('PATCH', `${base}/versions/x-2023-desc`, { body: { description: 'X 2023, reworded.' } });
    const published = await ok('POST', `${base}/versions/x-2023-desc/publish`);
    expect(published.previous).toBe('x-2023');
    await ok('POST', `${base}/rollback`, { body: { version: 'x-2023' } });
  });

  it('edits rules: a new rule is validated, saved and shows in the diff', async () => {
    await ok('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'x-2023-rules' } }, 201);
    const current = await ok('GET', `${base}/versions/x-2023-rules`);
    const rules = current.document.rules.map((r: any) => (r.name === 'block' ? { ...r, priority: 995, description: 'Blocks deny, checked earlier.' } : r))
      .filter((r: any) => r.name !== 'welcome-message');
    rules.push({
      name: 'no-links-to-strangers', family: 'R14', description: 'Links only to followers.', priority: 600,
      conditions: { all: [{ fact: 'content', path: '$.hasLink', operator: 'equal', value: true }, { fact: 'relation', path: '$.recipientFollowsSender', operator: 'equal', value: false }] },
      event: { type: 'deny', params: { reason: 'link_to_stranger' } },
    });
    // Removing the welcome-message rule breaks the test that expects it: replace that test in the same edit.
    const tests = current.tests.map((t: any) => (t.name === 'welcome-message-grants-nothing' ? { ...t, expect: { decision: 'request', reason: 'message_request' } } : t));
    await ok('PATCH', `${base}/versions/x-2023-rules`, { body: { rules, tests, parameters: { maxGroupSize: 30, requirePhoneForNonFollowers: true } } });

    const diff = await ok('GET', `${base}/diff?from=x-2023&to=x-2023-rules`);
    expect(diff.changed).toBe(true);
    expect(diff.parameters).toEqual([
      { name: 'maxGroupSize', change: 'changed', from: 20, to: 30, fields: ['value'] },
      { name: 'requirePhoneForNonFollowers', change: 'changed', from: false, to: true, fields: ['value'] },
    ]);
    const rulesByName = Object.fromEntries(diff.rules.map((r: any) => [r.name, r]));
    expect(rulesByName.block).toMatchObject({ change: 'changed', fields: ['priority', 'description'] });
    expect(rulesByName.block.from.priority).toBe(990);
    expect(rulesByName.block.to.priority).toBe(995);
    expect(rulesByName['welcome-message']).toMatchObject({ change: 'removed', to: null });
    expect(rulesByName['no-links-to-strangers']).toMatchObject({ change: 'added', from: null, to: { priority: 600 } });
    expect(diff.default).toBeNull();
    expect(diff.description).toBeNull();

    // `from` defaults to the active version.
    const againstActive = await ok('GET', `${base}/diff?to=x-2023-rules`);
    expect(againstActive).toEqual(diff);
  });

  it('diffs presets against each other: parameters added and removed, default and description changes', async () => {
    const diff = await ok('GET', `${base}/diff?from=twitter-2016&to=x-api-v2`);
    const params = Object.fromEntries(diff.parameters.map((p: any) => [p.name, p]));
    expect(params.smsMaxLength).toMatchObject({ change: 'removed', from: 160, to: null });
    expect(params.replyAllowance).toMatchObject({ change: 'added', from: null, to: 5 });
    expect(params.dailyWindow).toMatchObject({ change: 'changed', from: 'calendar-day', to: 'rolling-24h', fields: ['value'] });
    // Same value, reworded description: the definition is kept so the change is visible.
    expect(params.dailyLimit).toMatchObject({ change: 'changed', from: 1000, to: 1000, fields: ['description'], definition: { from: { value: 1000 }, to: { value: 1000 } } });
    expect(params.duplicateRecipientLimit).toBeUndefined();
    expect(diff.description).toMatchObject({ from: expect.stringContaining('2016') });
    expect(diff.conditions).toEqual([expect.objectContaining({ name: 'replyWindowOpen', change: 'added' })]);
    const rules = Object.fromEntries(diff.rules.map((r: any) => [r.name, r]));
    expect(rules['sms-length'].change).toBe('removed');
    expect(rules['reply-window'].change).toBe('added');
    expect(rules['follow-gate']).toMatchObject({ change: 'changed', fields: ['conditions', 'description'] });
    expect(rules['daily-cap'].fields).toContain('conditions');
    expect(rules.block).toBeUndefined();
  });

  it('validates a stored version, or an edit without saving it', async () => {
    expect(await ok('POST', `${base}/versions/x-2023/validate`)).toEqual({ ok: true, errors: [] });
    await ok('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'x-2023-validate' } }, 201);
    const rules = (await ok('GET', `${base}/versions/x-2023-validate`)).document.rules;
    rules[2].conditions.all[0].path = '$..blocked';
    const report = await ok('POST', `${base}/versions/x-2023-validate/validate`, { body: { rules, parameters: { dailyLimit: 0 } } });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([expect.objectContaining({ path: 'body.parameters.dailyLimit', code: 'parameter_out_of_bounds' })]);
    const report2 = await ok('POST', `${base}/versions/x-2023-validate/validate`, { body: { rules } });
    expect(report2.errors).toEqual([expect.objectContaining({ path: 'body.rules[2].conditions.all[0].path' })]);
    expect((await ok('GET', `${base}/versions/x-2023-validate`)).document.rules[2].conditions.all[0].path).toBe('$.blocked');
  });

  it('runs tests given in the request without saving them', async () => {
    const report = await ok('POST', `${base}/versions/twitter-2016/test`, {
      body: { tests: [{ name: 'sms-161', description: 'Seed 001: under 160 characters.', request: { channel: 'sms' }, facts: { content: { smsLength: 161 } }, expect: { decision: 'allow', reason: 'allowed' } }] },
    });
    expect(report).toMatchObject({ total: 1, passed: 0, failed: 1 });
    expect(report.results[0]).toMatchObject({ passed: false, expected: { decision: 'allow' }, got: { decision: 'deny', reason: 'sms_too_long', rule: 'sms-length' } });
    expect((await ok('GET', `${base}/versions/twitter-2016`)).tests.some((t: any) => t.name === 'sms-161')).toBe(false);
  });

  it('names drafts <from>-draft-<n> and keeps counting', async () => {
    const first = await ok('POST', `${base}/versions`, { body: { from: 'x-api-v2' } }, 201);
    const second = await ok('POST', `${base}/versions`, { body: { from: 'x-api-v2' } }, 201);
    expect([first.version, second.version]).toEqual(['x-api-v2-draft-1', 'x-api-v2-draft-2']);
    const fromDraft = await ok('POST', `${base}/versions`, { body: { from: 'x-api-v2-draft-1', version: 'v2-experiment' } }, 201);
    expect(fromDraft).toMatchObject({ version: 'v2-experiment', basedOn: 'x-api-v2-draft-1', status: 'draft' });
  });

  it('edits with no effect keep the approval and log nothing', async () => {
    await ok('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'x-2023-noop' } }, 201);
    await ok('POST', `${base}/versions/x-2023-noop/approve`, { token: reviewer });
    const same = await ok('PATCH', `${base}/versions/x-2023-noop`, { body: { parameters: { dailyLimit: 500 } } });
    expect(same.approvedBy).toBe('token:reviewer');
    const audit = await ok('GET', '/v1/audit?policy=dm&limit=1000');
    expect(audit.entries.filter((e: any) => e.subject === 'x-2023-noop').map((e: any) => e.action)).toEqual(['version.approve', 'draft.create']);
  });

  it('describes every version route in /openapi.json', async () => {
    const doc = await ok('GET', '/openapi.json', { token: null });
    for (const path of ['/v1/policies/{policy}/versions', '/v1/policies/{policy}/versions/{version}', '/v1/policies/{policy}/versions/{version}/validate',
      '/v1/policies/{policy}/versions/{version}/test', '/v1/policies/{policy}/diff', '/v1/policies/{policy}/versions/{version}/approve',
      '/v1/policies/{policy}/versions/{version}/publish', '/v1/policies/{policy}/rollback', '/v1/audit']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths['/v1/policies/{policy}/versions/{version}'])).toEqual(expect.arrayContaining(['get', 'patch']));
  });

  it('uses the simulated clock for lifecycle times', async () => {
    const draft = await ok('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'x-2023-clock' }, now: at(0) }, 201);
    expect(draft.createdAt).toBe(at(0).toISOString());
  });
});

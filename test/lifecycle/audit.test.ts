/** GET /v1/audit: every lifecycle change with who, when, what and why, filtered by policy, actor and time, newest first. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../db/stores/audit.ts';
import { insertToken } from '../../db/stores/tokens.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, hours } from '../support/world.ts';

const base = '/v1/policies/dm';

describe('audit log', () => {
  let s: TestService;
  let reviewer: string;

  const ok = async (method: string, path: string, options: Parameters<TestService['call']>[2] = {}, status = 200) => {
    const res = await s.call(method, path, options);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const query = async (q: string) => (await ok('GET', `/v1/audit?${q}`)).entries as any[];

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    reviewer = `reviewer-${randomUUID()}`;
    await s.service.store.writer.write((tx) => insertToken(tx, { name: 'reviewer', secret: reviewer, scopes: ['admin'], now: Date.now() }));

    // One change an hour, from t0: create (admin), edit (admin), approve (reviewer), publish (admin), rollback (reviewer).
    await ok('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'audited', reason: 'start' }, now: at(hours(0)) }, 201);
    await ok('PATCH', `${base}/versions/audited`, { body: { parameters: { cooldownMinutes: 45 }, reason: 'longer cooldown' }, now: at(hours(1)) });
    await ok('POST', `${base}/versions/audited/approve`, { token: reviewer, body: { reason: 'ok' }, now: at(hours(2)) });
    await ok('POST', `${base}/versions/audited/publish`, { body: { reason: 'go' }, now: at(hours(3)) });
    await ok('POST', `${base}/rollback`, { token: reviewer, body: { version: 'x-2023', reason: 'back' }, now: at(hours(4)) });
    // Another domain's entry, for the policy filter.
    await s.service.store.writer.write((tx) => appendAudit(tx, { at: at(hours(5)).getTime(), actor: 'token:bootstrap', action: 'token.create', subject: 'tok-1' }));
  });
  afterAll(async () => { await s.close(); });

  it('records each change with actor, policy, subject, diff and reason, newest first', async () => {
    const entries = await query('policy=dm');
    expect(entries.map((e) => e.action)).toEqual(['version.rollback', 'version.publish', 'version.approve', 'draft.edit', 'draft.create']);
    expect(entries.map((e) => e.at)).toEqual([4, 3, 2, 1, 0].map((h) => at(hours(h)).toISOString()));
    expect(entries[3]).toMatchObject({
      actor: 'token:bootstrap', policy: 'dm', subject: 'audited', reason: 'longer cooldown',
      diff: { from: 'audited', to: 'audited', parameters: [{ name: 'cooldownMinutes', change: 'changed', from: 30, to: 45, fields: ['value'] }] },
    });
    expect(entries[2]).toMatchObject({ actor: 'token:reviewer', action: 'version.approve', diff: null, reason: 'ok' });
    expect(entries[1].diff.parameters).toEqual([expect.objectContaining({ name: 'cooldownMinutes', from: 30, to: 45 })]);
    expect(entries[0]).toMatchObject({ actor: 'token:reviewer', subject: 'x-2023', reason: 'back', diff: { from: 'audited', to: 'x-2023' } });
    expect(typeof entries[0].id).toBe('string');
  });

  it('filters by actor', async () => {
    const reviewerEntries = await query('actor=token:reviewer');
    expect(reviewerEntries.map((e) => e.action)).toEqual(['version.rollback', 'version.approve']);
    const admin = await query(`actor=${encodeURIComponent('token:bootstrap')}&policy=dm`);
    expect(admin.map((e) => e.action)).toEqual(['version.publish', 'draft.edit', 'draft.create']);
    expect(await query('actor=nobody')).toEqual([]);
  });

  it('filters by policy: other domains\' entries without one are left out', async () => {
    const all = await query('limit=1000');
    expect(all.find((e) => e.action === 'token.create')).toMatchObject({ subject: 'tok-1', policy: null });
    expect((await query('policy=dm')).some((e) => e.action === 'token.create')).toBe(false);
    expect(await query('policy=other')).toEqual([]);
  });

  it('filters by time, both ends inclusive, with any ISO-8601 zone', async () => {
    const window = await query(`policy=dm&from=${encodeURIComponent(at(hours(1)).toISOString())}&to=${encodeURIComponent(at(hours(3)).toISOString())}`);
    expect(window.map((e) => e.action)).toEqual(['version.publish', 'version.approve', 'draft.edit']);
    // 2026-03-02T12:00 UTC written as 13:00 at +01:00.
    const since = await query(`policy=dm&from=${encodeURIComponent('2026-03-02T13:00:00+01:00')}`);
    expect(since.map((e) => e.action)).toEqual(['version.rollback', 'version.publish', 'version.approve']);
  });

  it('limits the page, newest first', async () => {
    const page = await query('policy=dm&limit=2');
    expect(page.map((e) => e.action)).toEqual(['version.rollback', 'version.publish']);
  });

  it('filters by action and by version', async () => {
    expect((await query('action=version.publish')).map((e) => e.subject)).toEqual(['audited']);
    expect((await query('version=audited')).map((e) => e.action)).toEqual(['version.publish', 'version.approve', 'draft.edit', 'draft.create']);
    expect((await query('version=x-2023')).map((e) => e.action)).toEqual(['version.rollback']);
    expect(await query('action=no.such')).toEqual([]);
  });

  it('pages newest first with a cursor, every entry exactly once', async () => {
    const all = (await query('policy=dm')).map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { entries: any[]; nextCursor: string | null } = await ok('GET', `/v1/audit?policy=dm&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all).toHaveLength(5);
  });

  it('names the ids of an entry: an operator\'s username, a token\'s and an experiment\'s name, an exemption\'s rule', async () => {
    const operator = await ok('POST', '/v1/operators', { body: { username: 'audit-olga', password: 'olga-password-0123', role: 'viewer' } }, 201);
    const token = await ok('POST', '/v1/tokens', { body: { name: 'audit-backend', scopes: ['decide'] } }, 201);
    const experiment = await ok('POST', '/v1/experiments', { body: { name: 'audit-split', arms: [{ name: 'control', version: 'x-2023', weight: 100 }] } }, 201);
    await ok('POST', `/v1/experiments/${experiment.id}/stop`, { body: {} });
    const exemption = await ok('POST', '/v1/accounts/audit-acct/exemptions', { body: { rule: 'daily-cap', expiresAt: '2099-01-01T00:00:00Z', reason: 'campaign' } }, 201);
    await ok('DELETE', `/v1/accounts/audit-acct/exemptions/${exemption.id}`);

    const byAction = async (action: string) => (await query(`action=${action}`))[0];
    expect((await byAction('operator.create')).names).toEqual({ [`operator:${operator.id}`]: 'audit-olga' });
    expect((await byAction('token.create')).names).toEqual({ [`token:${token.token.id}`]: 'audit-backend' });
    expect((await byAction('experiment.start')).names).toEqual({ [experiment.id]: 'audit-split' });
    expect((await byAction('experiment.stop')).names).toEqual({ [experiment.id]: 'audit-split' });
    expect((await byAction('exemption.revoke')).names).toEqual({ [exemption.id]: 'exemption from daily-cap' });
    expect((await byAction('version.publish')).names).toEqual({});
  });

  it('lists the actors and actions it holds, for filters', async () => {
    const facets = await ok('GET', '/v1/audit/facets');
    expect(facets.actors).toEqual(['system', 'token:bootstrap', 'token:reviewer']);
    expect(facets.actions).toEqual(expect.arrayContaining(['draft.create', 'draft.edit', 'token.create', 'version.approve', 'version.publish', 'version.rollback']));
    expect(facets.actions).toEqual([...facets.actions].sort());
  });

  it('refuses malformed queries with the path', async () => {
    for (const [q, path] of [['from=yesterday', 'query.from'], ['limit=0', 'query.limit'], ['limit=5000', 'query.limit'],
      [`from=${at(hours(3)).toISOString()}&to=${at(hours(1)).toISOString()}`, 'query.to'], ['cursor=nope', 'query.cursor']]) {
      const res = await s.call('GET', `/v1/audit?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.path, q).toBe(path);
    }
  });
});

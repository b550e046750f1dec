import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, operators } from '../../db/schema.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, createToken, password, signIn, withSession } from './helpers.ts';

describe('operator and token administration', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService(); });
  afterAll(async () => { await s.close(); });

  const audit = async () => s.service.store.db.select().from(auditLog).orderBy(desc(auditLog.at));
  const auditOf = async (action: string, subject: string) => (await audit()).filter((e) => e.action === action && e.subject === subject);

  it('an admin creates an operator; the answer and the list never carry a password or its hash', async () => {
    const eve = await createOperator(s, 'eve', 'editor');
    expect(eve).toMatchObject({ username: 'eve', role: 'editor', disabled: false, disabledAt: null });
    const list = await s.call('GET', '/v1/operators');
    expect(list.status).toBe(200);
    expect(list.body.operators.map((o: { username: string }) => o.username)).toEqual(expect.arrayContaining(['admin', 'eve']));
    expect(JSON.stringify(list.body)).not.toMatch(/password|scrypt/i);
    const [entry] = await auditOf('operator.create', `operator:${eve.id}`);
    expect(entry).toMatchObject({ actor: 'token:bootstrap', diff: { username: 'eve', role: 'editor' } });
  });

  it('refuses a short password, an unknown role, a bad username and a taken username, naming the field', async () => {
    const post = (body: unknown) => s.call('POST', '/v1/operators', { body });
    const short = await post({ username: 'sam', password: 'short-11chr', role: 'viewer' });
    expect(short.status).toBe(400);
    expect(short.body.error.path).toBe('body.password');
    expect((await post({ username: 'sam', password, role: 'root' })).body.error.path).toBe('body.role');
    expect((await post({ username: 'Sam Smith', password, role: 'viewer' })).body.error.path).toBe('body.username');
    await createOperator(s, 'taken', 'viewer');
    const taken = await post({ username: 'taken', password, role: 'viewer' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'username_taken', path: 'body.username' });
  });

  it('changes an operator\'s role and password, auditing what changed but never the password', async () => {
    const olga = await createOperator(s, 'olga', 'viewer');
    const otherSession = await signIn(s, 'olga');
    const newPassword = 'a brand new passphrase';
    const res = await s.call('PATCH', `/v1/operators/${olga.id}`, { body: { role: 'publisher', password: newPassword } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.role).toBe('publisher');
    // A new password ends the operator's sessions and retires the old password.
    expect((await s.call('GET', '/v1/auth/me', { token: null, headers: withSession(otherSession, false) })).status).toBe(401);
    expect((await s.call('POST', '/v1/auth/login', { token: null, body: { username: 'olga', password } })).status).toBe(401);
    await signIn(s, 'olga', newPassword);
    const [entry] = await auditOf('operator.update', `operator:${olga.id}`);
    expect(entry.diff).toEqual({ username: 'olga', role: { from: 'viewer', to: 'publisher' }, password: 'changed' });
    expect(JSON.stringify(await audit())).not.toContain(newPassword);
  });

  it('refuses a change to an unknown operator (404) and an empty change (400)', async () => {
    const unknown = await s.call('PATCH', '/v1/operators/no-such-id', { body: { role: 'viewer' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.path).toBe('params.id');
    const olga = (await s.call('GET', '/v1/operators')).body.operators.find((o: { username: string }) => o.username === 'olga');
    expect((await s.call('PATCH', `/v1/operators/${olga.id}`, { body: {} })).status).toBe(400);
  });

  it('never demotes or disables the last enabled admin', async () => {
    const rows = await s.service.store.db.select({ id: operators.id, username: operators.username }).from(operators);
    const admin = rows.find((r) => r.username === 'admin')!;
    const refused = await s.call('PATCH', `/v1/operators/${admin.id}`, { body: { disabled: true } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('last_admin');
    const ada = await createOperator(s, 'ada', 'admin');
    expect((await s.call('PATCH', `/v1/operators/${admin.id}`, { body: { role: 'viewer' } })).status).toBe(200);
    expect((await s.call('PATCH', `/v1/operators/${ada.id}`, { body: { role: 'editor' } })).status).toBe(409);
    expect((await s.call('PATCH', `/v1/operators/${admin.id}`, { body: { role: 'admin' } })).status).toBe(200);
  });

  it('only an admin manages operators and tokens', async () => {
    await createOperator(s, 'pub', 'publisher');
    const session = await signIn(s, 'pub');
    for (const [method, path] of [['GET', '/v1/operators'], ['GET', '/v1/tokens'], ['POST', '/v1/tokens']]) {
      const res = await s.call(method, path, { token: null, headers: withSession(session), body: method === 'POST' ? { name: 'x', scopes: ['decide'] } : undefined });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('creates a token whose secret is shown once and works with its scopes only', async () => {
    const res = await s.call('POST', '/v1/tokens', { body: { name: 'backend', scopes: ['decide'] } });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatchObject({ name: 'backend', scopes: ['decide'], revokedAt: null });
    const { secret } = res.body;
    expect(secret).toMatch(/^dmp_/);
    const list = await s.call('GET', '/v1/tokens');
    expect(list.body.tokens.find((t: { id: string }) => t.id === res.body.token.id)).toMatchObject({ name: 'backend' });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect((await s.call('GET', '/v1/auth/me', { token: secret })).body).toMatchObject({ kind: 'token', name: 'token:backend', scopes: ['decide'], role: null });
    expect((await s.call('GET', '/v1/tokens', { token: secret })).status).toBe(403);
    const [entry] = await auditOf('token.create', `token:${res.body.token.id}`);
    expect(entry).toMatchObject({ actor: 'token:bootstrap', diff: { name: 'backend', scopes: ['decide'] } });
    expect(JSON.stringify(await audit())).not.toContain(secret);
  });

  it('refuses unknown, repeated and missing scopes, naming the field', async () => {
    const post = (scopes: unknown) => s.call('POST', '/v1/tokens', { body: { name: 'bad', scopes } });
    expect((await post(['root'])).body.error.path).toBe('body.scopes[0]');
    expect((await post(['decide', 'decide'])).body.error.path).toBe('body.scopes');
    expect((await post([])).body.error.path).toBe('body.scopes');
  });

  it('revokes a token: it stops working, the revocation is audited with the operator as actor, and a repeat is harmless', async () => {
    const token = await createToken(s, 'to-revoke', ['graph']);
    await createOperator(s, 'rita', 'admin');
    const session = await signIn(s, 'rita');
    // Used first, so its lookup is kept: the revoke must drop it, not wait for it to expire.
    expect((await s.call('GET', '/v1/auth/me', { token: token.secret })).status).toBe(200);
    const res = await s.call('DELETE', `/v1/tokens/${token.id}`, { token: null, headers: withSession(session) });
    expect(res.status).toBe(200);
    expect(res.body.revokedAt).not.toBeNull();
    const refused = await s.call('GET', '/v1/auth/me', { token: token.secret });
    expect(refused.status).toBe(401);
    expect((await s.call('DELETE', `/v1/tokens/${token.id}`)).status).toBe(200);
    expect(await auditOf('token.revoke', `token:${token.id}`)).toEqual([expect.objectContaining({ actor: 'rita', diff: { name: 'to-revoke', scopes: ['graph'] } })]);
    expect((await s.call('DELETE', '/v1/tokens/no-such-id')).status).toBe(404);
  });

  it('resets a password: the new one is shown once, signs in, the old one and old sessions stop working, and it is audited without it', async () => {
    const ned = await createOperator(s, 'ned', 'editor');
    const before = await signIn(s, 'ned');
    const res = await s.call('POST', `/v1/operators/${ned.id}/password-reset`);
    expect(res.status).toBe(200);
    expect(res.body.operator).toMatchObject({ id: ned.id, username: 'ned', role: 'editor', disabled: false });
    expect(res.body.password).toMatch(/^[A-Za-z0-9_-]{24}$/);

    expect((await s.call('GET', '/v1/auth/me', { token: null, headers: withSession(before) })).status).toBe(401);
    expect((await s.call('POST', '/v1/auth/login', { token: null, body: { username: 'ned', password } })).status).toBe(401);
    await signIn(s, 'ned', res.body.password);
    const [entry] = await auditOf('operator.password_reset', `operator:${ned.id}`);
    expect(entry).toMatchObject({ actor: 'token:bootstrap', diff: { username: 'ned' } });
    expect(JSON.stringify(entry)).not.toContain(res.body.password);

    expect((await s.call('POST', '/v1/operators/no-such-id/password-reset')).status).toBe(404);
    const editor = await signIn(s, 'ned', res.body.password);
    expect((await s.call('POST', `/v1/operators/${ned.id}/password-reset`, { token: null, headers: withSession(editor) })).status).toBe(403);
  });
});

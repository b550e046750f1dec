import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../../db/schema.ts';
import { hashSessionId } from '../../server/operators/sessions.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, password, signIn, withSession } from './helpers.ts';

describe('operator sessions', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
    await createOperator(s, 'ada', 'admin');
    await createOperator(s, 'vic', 'viewer');
  });
  afterAll(async () => { await s.close(); });

  const me = (headers: Record<string, string>) => s.call('GET', '/v1/auth/me', { token: null, headers });

  it('signing in sets an HttpOnly, SameSite=Strict session cookie for 12 hours, without Secure over plain http', async () => {
    const session = await signIn(s, 'ada');
    const attributes = session.setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', 'max-age=43200']));
    expect(attributes).not.toContain('secure');
    expect(session.csrfToken).toMatch(/^[\w-]{32,}$/);
  });

  it('the cookie is Secure when the request came over https (through a proxy)', async () => {
    const session = await signIn(s, 'ada', password, { 'x-forwarded-proto': 'https' });
    expect(session.setCookie.split(';').map((a) => a.trim().toLowerCase())).toContain('secure');
  });

  it('the cookie alone identifies the operator on GET /v1/auth/me, with its role and CSRF token', async () => {
    const session = await signIn(s, 'vic');
    const res = await me(withSession(session, false));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'operator', name: 'vic', role: 'viewer', scopes: [], operator: { username: 'vic', role: 'viewer' }, csrfToken: session.csrfToken });
  });

  it('a state change with the cookie needs the session\'s token in X-CSRF-Token', async () => {
    const session = await signIn(s, 'ada');
    const body = { name: 'made-by-ada', scopes: ['decide'] };
    const without = await s.call('POST', '/v1/tokens', { token: null, body, headers: withSession(session, false) });
    expect(without.status).toBe(403);
    expect(without.body.error).toMatchObject({ code: 'csrf', path: 'headers.X-CSRF-Token' });
    const wrong = await s.call('POST', '/v1/tokens', { token: null, body, headers: withSession(session, `${session.csrfToken}x`) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('csrf');
    const other = await signIn(s, 'ada');
    const crossed = await s.call('POST', '/v1/tokens', { token: null, body, headers: withSession(session, other.csrfToken) });
    expect(crossed.body.error.code).toBe('csrf');
    const right = await s.call('POST', '/v1/tokens', { token: null, body, headers: withSession(session) });
    expect(right.status, JSON.stringify(right.body)).toBe(201);
  });

  it('a bearer token needs no CSRF token: it is not an ambient credential', async () => {
    const res = await s.call('POST', '/v1/tokens', { body: { name: 'service', scopes: ['graph'] } });
    expect(res.status).toBe(201);
  });

  it('signing out ends the session and clears the cookie', async () => {
    const session = await signIn(s, 'vic');
    const out = await s.call('POST', '/v1/auth/logout', { token: null, headers: withSession(session) });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^dmp_session=;.*Max-Age=0/i);
    expect((await me(withSession(session, false))).status).toBe(401);
  });

  it('an expired session is refused', async () => {
    const session = await signIn(s, 'vic');
    const idHash = hashSessionId(session.cookie.slice('dmp_session='.length));
    await s.service.store.writer.write((tx) => tx.update(sessions).set({ expiresAt: Date.now() - 1 }).where(eq(sessions.idHash, idHash)));
    const res = await me(withSession(session, false));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });

  it('a disabled operator\'s session is refused, and the operator cannot sign in again', async () => {
    const dora = await createOperator(s, 'dora', 'editor');
    const session = await signIn(s, 'dora');
    expect((await me(withSession(session, false))).status).toBe(200);
    expect((await s.call('PATCH', `/v1/operators/${dora.id}`, { body: { disabled: true } })).status).toBe(200);
    expect((await me(withSession(session, false))).status).toBe(401);
    const again = await s.call('POST', '/v1/auth/login', { token: null, body: { username: 'dora', password } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('invalid_credentials');
  });

  it('a wrong password and an unknown username get the same 401', async () => {
    const wrong = await s.call('POST', '/v1/auth/login', { token: null, body: { username: 'ada', password: 'not the password' } });
    const unknown = await s.call('POST', '/v1/auth/login', { token: null, body: { username: 'nobody', password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('a forged or unknown cookie is refused', async () => {
    expect((await me({ cookie: 'dmp_session=forged' })).status).toBe(401);
  });

  it('a role change applies to an open session at once', async () => {
    const pat = await createOperator(s, 'pat', 'viewer');
    const session = await signIn(s, 'pat');
    await s.call('PATCH', `/v1/operators/${pat.id}`, { body: { role: 'publisher' } });
    expect((await me(withSession(session, false))).body.role).toBe('publisher');
  });

  it('the first start creates the operator "admin" with a generated password, shown once', async () => {
    const generated = s.service.generatedAdminPassword;
    expect(generated).toMatch(/^[\w-]{20,}$/);
    const session = await signIn(s, 'admin', generated!);
    expect((await me(withSession(session, false))).body).toMatchObject({ name: 'admin', role: 'admin' });
  });
});

// Issue 11 §8: "the signed-out first visit logs no console error (today GET /v1/auth/me answers 401 on every visit
// to the sign-in page)". GET /v1/auth/session answers 200 whether or not the browser holds a session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, signIn, withSession } from './helpers.ts';

describe('the session probe', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
    await createOperator(s, 'pia', 'publisher');
  });
  afterAll(async () => { await s.close(); });

  const probe = (headers: Record<string, string> = {}) => s.call('GET', '/v1/auth/session', { token: null, headers });

  it('answers 200 signed out without any credential, and without a live session cookie', async () => {
    const none = await probe();
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ signedIn: false, operator: null, csrfToken: null });
    const stale = await probe({ cookie: 'dmp_session=not-a-session' });
    expect([stale.status, stale.body.signedIn]).toEqual([200, false]);
  });

  it('names the operator, the role and the CSRF token of a live session', async () => {
    const session = await signIn(s, 'pia');
    const res = await probe(withSession(session, false));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ signedIn: true, operator: { username: 'pia', role: 'publisher' }, csrfToken: session.csrfToken });
  });

  it('is signed out again after signing out', async () => {
    const session = await signIn(s, 'pia');
    expect((await s.call('POST', '/v1/auth/logout', { token: null, headers: withSession(session) })).status).toBe(200);
    expect((await probe(withSession(session, false))).body.signedIn).toBe(false);
  });

  it('is no session for a bearer token: tokens are not signed-in operators', async () => {
    const res = await s.call('GET', '/v1/auth/session');
    expect(res.body).toEqual({ signedIn: false, operator: null, csrfToken: null });
  });
});

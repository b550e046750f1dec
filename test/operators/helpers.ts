/** Operators, sessions and tokens for tests, made through the real API with the admin token. */
import { expect } from 'vitest';
import type { TestService } from '../support/service.ts';

export const password = 'correct horse battery staple';

export interface Session {
  /** The `Cookie` header value: `dmp_session=…`. */
  cookie: string;
  csrfToken: string;
  /** The raw `Set-Cookie` header of the sign-in. */
  setCookie: string;
}

export async function createOperator(s: TestService, username: string, role: 'viewer' | 'editor' | 'publisher' | 'admin') {
  const res = await s.call('POST', '/v1/operators', { body: { username, password, role } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; username: string; role: string; disabled: boolean };
}

export async function signIn(s: TestService, username: string, secret = password, headers: Record<string, string> = {}): Promise<Session> {
  const res = await s.call('POST', '/v1/auth/login', { token: null, body: { username, password: secret }, headers });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  expect(cookie).toMatch(/^dmp_session=.+/);
  return { cookie, csrfToken: res.body.csrfToken, setCookie };
}

/** Headers for a call made with the session cookie; `csrf` false leaves X-CSRF-Token out, a string replaces it. */
export function withSession(session: Session, csrf: boolean | string = true): Record<string, string> {
  const headers: Record<string, string> = { cookie: session.cookie };
  if (csrf !== false) headers['x-csrf-token'] = csrf === true ? session.csrfToken : csrf;
  return headers;
}

export async function createToken(s: TestService, name: string, scopes: string[]): Promise<{ id: string; secret: string }> {
  const res = await s.call('POST', '/v1/tokens', { body: { name, scopes } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.token.id, secret: res.body.secret };
}

/**
 * Password guessing is slowed at sign-in (server/operators/login-throttle.ts): 5 failures of one
 * username from one address, or 20 from one address, within 15 minutes refuse the next attempt with
 * 429 and Retry-After — even with the right password — until the oldest failure leaves the window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../server/operators/login-throttle.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, password } from './helpers.ts';

describe('sign-in throttle over HTTP', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await startTestService();
    await createOperator(s, 'guessed', 'viewer');
    await createOperator(s, 'forgetful', 'viewer');
    await createOperator(s, 'bystander', 'viewer');
  });
  afterAll(async () => { await s.close(); });

  const login = (username: string, secret: string) => s.call('POST', '/v1/auth/login', { token: null, body: { username, password: secret } });

  it('the 6th attempt after 5 wrong passwords is refused with 429, even with the right one', async () => {
    for (let i = 0; i < 5; i++) expect((await login('guessed', `wrong ${i}`)).status).toBe(401);
    const refused = await login('guessed', password);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'too_many_attempts', path: null });
    expect(refused.body.error.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(refused.body.error.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(Number(refused.headers.get('retry-after'))).toBe(refused.body.error.retryAfterSeconds);
    // Another username from the same address is not locked out by it.
    expect((await login('bystander', password)).status).toBe(200);
  });

  it('a right password forgives the failures before it', async () => {
    for (let i = 0; i < 4; i++) expect((await login('forgetful', `wrong ${i}`)).status).toBe(401);
    expect((await login('forgetful', password)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login('forgetful', `wrong again ${i}`)).status).toBe(401);
    expect((await login('forgetful', password)).status).toBe(429);
  });
});

describe('LoginThrottle', () => {
  const minute = 60_000;
  const limits = { perAccount: 5, perAddress: 20, windowMs: 15 * minute };

  it('opens again when the oldest failure leaves the window: minute 14 vs 15', () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 5; i++) throttle.attempted('ada', '10.0.0.1', i * minute);
    expect(throttle.retryAfterSeconds('ada', '10.0.0.1', 14 * minute)).toBe(60);
    expect(throttle.retryAfterSeconds('ada', '10.0.0.1', 15 * minute)).toBe(0);
    // Usernames differ only in case: the same account.
    expect(throttle.retryAfterSeconds('ADA', '10.0.0.1', 14 * minute)).toBe(60);
    // The same username from another address is not held back.
    expect(throttle.retryAfterSeconds('ada', '10.0.0.2', 14 * minute)).toBe(0);
  });

  it('one address spraying usernames is held back after 20 failures', () => {
    const throttle = new LoginThrottle(limits);
    for (let i = 0; i < 19; i++) throttle.attempted(`user${i}`, '10.0.0.9', 0);
    expect(throttle.retryAfterSeconds('user-new', '10.0.0.9', 0)).toBe(0);
    throttle.attempted('user19', '10.0.0.9', 0);
    expect(throttle.retryAfterSeconds('user-new', '10.0.0.9', 0)).toBe(15 * 60);
    expect(throttle.retryAfterSeconds('user-new', '10.0.0.10', 0)).toBe(0);
  });
});

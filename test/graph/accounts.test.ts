/** PUT/GET /v1/accounts/{id}: partial updates, implicit defaults, validation paths and scopes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken } from '../../db/stores/tokens.ts';
import { startTestService, type TestService } from '../support/service.ts';

let service: TestService;
const decideOnly = 'test-decide-only-token-0123';

beforeAll(async () => {
  service = await startTestService();
  const store = service.service.store;
  await store.writer.write((tx) => insertToken(tx, { name: 'decide-only', secret: decideOnly, scopes: ['decide'], now: Date.now() }));
});
afterAll(() => service.close());

const defaults = { verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'following' };

describe('accounts', () => {
  it('an account that was never PUT exists with the defaults', async () => {
    const res = await service.call('GET', '/v1/accounts/nobody');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'nobody', ...defaults });
  });

  it('PUT creates the account and returns it whole', async () => {
    const res = await service.call('PUT', '/v1/accounts/a1', { body: { verified: true, inbox: 'everyone' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'a1', ...defaults, verified: true, inbox: 'everyone' });
  });

  it('a partial PUT changes only the fields it gives', async () => {
    await service.call('PUT', '/v1/accounts/a2', { body: { verified: true, protected: true, inbox: 'verified' } });
    const res = await service.call('PUT', '/v1/accounts/a2', { body: { suspended: true } });
    expect(res.body).toEqual({ id: 'a2', verified: true, phoneVerified: false, protected: true, suspended: true, inbox: 'verified' });
    expect((await service.call('GET', '/v1/accounts/a2')).body).toEqual(res.body);
  });

  it('an empty PUT creates the account with the defaults', async () => {
    const res = await service.call('PUT', '/v1/accounts/a3', { body: {} });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'a3', ...defaults });
  });

  it('ids may use letters, digits and _ . : -', async () => {
    const res = await service.call('PUT', '/v1/accounts/Org:team_1.x-2', { body: { phoneVerified: true } });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe('Org:team_1.x-2');
  });
});

describe('account validation', () => {
  const refused = async (path: string, body: unknown, errorPath: string) => {
    const res = await service.call('PUT', path, { body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.path).toBe(errorPath);
    expect(res.body.error.code).toBe('invalid_request');
  };

  it('an unknown field is refused, naming it', () => refused('/v1/accounts/v1', { verified: true, verifed: true }, 'body.verifed'));
  it('a field of the wrong type is refused', () => refused('/v1/accounts/v1', { verified: 'yes' }, 'body.verified'));
  it('an unknown inbox setting is refused', () => refused('/v1/accounts/v1', { inbox: 'friends' }, 'body.inbox'));
  it('an id with characters outside the alphabet is refused', () => refused('/v1/accounts/bad%20id', { verified: true }, 'params.id'));
  it('an id longer than 128 characters is refused', () => refused(`/v1/accounts/${'x'.repeat(129)}`, {}, 'params.id'));
  it('a GET with a bad id is refused too', async () => {
    const res = await service.call('GET', '/v1/accounts/bad%24id');
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('params.id');
  });

  it('a body that is not JSON is refused', async () => {
    const res = await service.call('PUT', '/v1/accounts/v1', { rawBody: '{"verified":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.path).toBe('body');
  });

  it('a refused PUT changes nothing', async () => {
    await service.call('PUT', '/v1/accounts/v2', { body: { inbox: 'everyone' } });
    await service.call('PUT', '/v1/accounts/v2', { body: { verified: true, inbox: 'friends' } });
    expect((await service.call('GET', '/v1/accounts/v2')).body).toEqual({ id: 'v2', ...defaults, inbox: 'everyone' });
  });
});

describe('account auth', () => {
  it('a request without a token is refused with 401', async () => {
    const res = await service.call('PUT', '/v1/accounts/x1', { body: { verified: true }, token: null });
    expect(res.status).toBe(401);
    expect((await service.call('GET', '/v1/accounts/x1', { token: null })).status).toBe(401);
  });

  it('a token without the graph scope is refused with 403', async () => {
    const res = await service.call('PUT', '/v1/accounts/x1', { body: { verified: true }, token: decideOnly });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await service.call('PUT', '/v1/accounts/x1/following/x2', { token: decideOnly })).status).toBe(403);
    expect((await service.call('GET', '/v1/accounts/x1')).body.verified).toBe(false);
  });
});

/** The typed /v1 client (client/index.ts): generated from the service's own /openapi.json, and kept current. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDmPolicyClient, type Schemas } from '../../client/index.ts';
import { openApiDocument, schemaFile, schemaText } from '../../client/generate.ts';
import { adminToken, startTestService, type TestService } from '../support/service.ts';

describe('typed /v1 client', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s?.close(); });

  it('client/schema.d.ts is what the service\'s /openapi.json generates (else: npm run client:generate)', async () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(await schemaText(await openApiDocument()));
  });

  it('decides a send with typed bodies and answers', async () => {
    const api = createDmPolicyClient({ baseUrl: s.url, token: adminToken });
    const followed = await api.PUT('/v1/accounts/{id}/following/{otherId}', { params: { path: { id: 'tc-b', otherId: 'tc-a' } } });
    expect(followed.response.status).toBe(200);
    const { data, error, response } = await api.POST('/v1/sends', { body: { senderId: 'tc-a', recipientIds: ['tc-b'], text: 'typed hello' } });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    const decision: Schemas['Decision'] = data!;
    expect(decision).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null, recipients: [{ id: 'tc-b', decision: 'allow' }] });
  });

  it('gives the service\'s error shape, typed, for a refused request', async () => {
    const api = createDmPolicyClient({ baseUrl: s.url, token: 'not-a-token' });
    const { data, error, response } = await api.GET('/v1/accounts/{id}/counters', { params: { path: { id: 'tc-a' } } });
    expect(response.status).toBe(401);
    expect(data).toBeUndefined();
    expect(error).toEqual({ error: { code: 'unauthorized', message: 'unknown or revoked token', path: 'headers.Authorization' } });
  });
});

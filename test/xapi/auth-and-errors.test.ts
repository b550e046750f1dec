/**
 * Who may use the X API v2 surface, and how it refuses a malformed request: always a problem
 * (type, title, detail, status, errors) that twitter-api-v2 turns into a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponseError } from 'twitter-api-v2';
import { startTestService, type TestService } from '../support/service.ts';
import { createOperator, signIn, withSession } from '../operators/helpers.ts';
import { createToken, thrown, userToken, xClient } from './support.ts';

const now = new Date('2026-03-02T10:00:00.000Z');

describe('X API v2 authentication and malformed requests', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-api-v2' }); });
  afterAll(async () => { await s?.close(); });

  it('an app-only token is refused with 403 Unsupported Authentication, as X does', async () => {
    const appOnly = await createToken(s, { name: 'app-only', scopes: ['dm.write', 'dm.read'], appId: 'app1' });
    const { client } = xClient(s, appOnly, { now });
    const error = await thrown<ApiResponseError>(() => client.v2.sendDmToParticipant('12', { text: 'hi' }));
    expect(error.code).toBe(403);
    expect(error.message).toBe('Request failed with code 403 - Unsupported Authentication: Authenticating with OAuth 2.0 Application-Only is forbidden '
      + 'for this endpoint.  Supported authentication types are [OAuth 2.0 User Context]. (see https://api.x.com/2/problems/unsupported-authentication)');
    const service = await thrown<ApiResponseError>(() => xClient(s, 'test-admin-token-0123456789', { now }).client.v2.listDmEvents());
    expect(service.data.title).toBe('Unsupported Authentication');
  });

  it('every documented /2/ route refuses a caller without a token (401) and a service token (403 Unsupported Authentication)', async () => {
    const doc = (await s.call('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/2/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })));
    expect(routes).toHaveLength(6);
    for (const { method, path } of routes) {
      const url = path.replace('{participant_id}', '12').replace('{dm_conversation_id}', '12-13');
      const body = method === 'POST' ? { text: 'hi' } : undefined;
      const anonymous = await s.call(method, url, { token: null, body, now });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.body.title).toBe('Unauthorized');
      const service = await s.call(method, url, { body, now });
      expect(service.status, `${method} ${path}`).toBe(403);
      expect(service.body.title).toBe('Unsupported Authentication');
    }
  });

  it('a dashboard session is no credential here: only bearer tokens are read (401)', async () => {
    await createOperator(s, 'ada', 'admin');
    const session = withSession(await signIn(s, 'ada'));
    expect((await s.call('GET', '/v1/auth/me', { token: null, headers: session })).status).toBe(200);
    for (const [method, path] of [['GET', '/2/dm_events'], ['POST', '/2/dm_conversations/with/12/messages']]) {
      const res = await s.call(method, path, { token: null, headers: session, body: method === 'POST' ? { text: 'hi' } : undefined, now });
      expect(res.status, path).toBe(401);
      expect(res.body).toMatchObject({ title: 'Unauthorized', status: 401, detail: 'headers.Authorization: a bearer token is required' });
    }
  });

  it('a user token without the endpoint\'s scope gets 403; an unknown token 401', async () => {
    const readOnly = xClient(s, await userToken(s, '21', 'app1', ['dm.read']), { now }).client;
    expect((await readOnly.v2.listDmEvents()).meta).toEqual({ result_count: 0 });
    const error = await thrown<ApiResponseError>(() => readOnly.v2.sendDmToParticipant('12', { text: 'hi' }));
    expect(error.code).toBe(403);
    // The route table's check (server/http/route-access.ts), answered as X's problem.
    expect(error.data).toMatchObject({ title: 'Forbidden', detail: 'headers.Authorization: this credential lacks the "dm.write" scope', type: 'about:blank', status: 403 });
    const unknown = await thrown<ApiResponseError>(() => xClient(s, 'not-a-token', { now }).client.v2.listDmEvents());
    expect(unknown.code).toBe(401);
    expect(unknown.message).toBe('Request failed with code 401 - Unauthorized: headers.Authorization: unknown or revoked token (see about:blank)');
  });

  it('the token API refuses a user without an app, a non-numeric user id, and DM scopes without an app', async () => {
    const cases = [
      [{ name: 'u', scopes: ['dm.write'], userId: '5' }, 'body.appId', 'a user token belongs to an app: give appId'],
      [{ name: 'u', scopes: ['dm.write'], userId: 'alice', appId: 'app1' }, 'body.userId', 'an X user id is 1–19 digits'],
      [{ name: 'u', scopes: ['dm.read'] }, 'body.appId', 'the dm.write and dm.read scopes are for app tokens: give appId (and userId for a user token)'],
    ] as const;
    for (const [body, path, message] of cases) {
      const res = await s.call('POST', '/v1/tokens', { body });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_request', path, message });
    }
    const listed = await s.call('GET', '/v1/tokens');
    expect(listed.body.tokens.find((t: { name: string }) => t.name === 'user-21')).toMatchObject({ userId: '21', appId: 'app1', scopes: ['dm.read'] });
  });

  it('malformed sends are 400 invalid-request problems naming the parameter; nothing is decided', async () => {
    const token = await userToken(s, '31', 'app1');
    const post = (path: string, body: unknown) => s.call('POST', path, { body, token, now });
    const cases: Array<[string, unknown, string]> = [
      ['/2/dm_conversations/with/12/messages', {}, 'body: a message needs text or attachments'],
      ['/2/dm_conversations/with/12/messages', { text: 'hi', extra: 1 }, 'body.extra: unknown field "extra"'],
      ['/2/dm_conversations/with/bob/messages', { text: 'hi' }, 'params.participant_id: an X user id is 1–19 digits'],
      ['/2/dm_conversations/with/31/messages', { text: 'hi' }, 'participant_id: you cannot send a Direct Message to yourself'],
      ['/2/dm_conversations', { conversation_type: 'Group', participant_ids: ['12'], message: { text: 'hi' } }, 'body.participant_ids: Too small: expected array to have >=2 items'],
      ['/2/dm_conversations/abc/messages', { text: 'hi' }, 'params.dm_conversation_id: a conversation id is <userId>-<userId> (1:1) or 15–19 digits (a group)'],
    ];
    for (const [path, body, detail] of cases) {
      const res = await post(path, body);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'https://api.x.com/2/problems/invalid-request', title: 'Invalid Request', status: 400, detail });
      expect(res.body.errors).toHaveLength(1);
    }
    const malformedJson = await s.call('POST', '/2/dm_conversations/with/12/messages', { rawBody: '{"text":', headers: { 'content-type': 'application/json' }, token, now });
    expect(malformedJson.status).toBe(400);
    expect(malformedJson.body).toMatchObject({ title: 'Invalid Request', status: 400 });
    const decided = await s.call('GET', '/v1/decisions?account=31');
    expect(decided.body.items).toEqual([]);
  });

  it('an unknown /2/ path is a 404 problem, not the /v1 error shape', async () => {
    const res = await s.call('GET', '/2/tweets', { token: await userToken(s, '41', 'app1') });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      type: 'https://api.x.com/2/problems/resource-not-found', title: 'Not Found Error', detail: 'no route for GET /2/tweets', status: 404,
      errors: [{ type: 'https://api.x.com/2/problems/resource-not-found', title: 'Not Found Error', detail: 'no route for GET /2/tweets' }],
    });
  });
});

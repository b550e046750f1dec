// DESIGN §4: "Errors are JSON { "error": { "code", "message", "path" } } with the right 4xx; nothing a
// client sends produces a 5xx." Every malformed shape below gets its exact status and path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken } from '../../db/stores/tokens.ts';
import { startTestService, type TestService } from '../support/service.ts';

type Res = { status: number; body: any; headers: Headers };

/** Asserts the one error shape: status, a non-empty code and message, and the exact path. */
function expectError(res: Res, status: number, path: string | null, code?: string): void {
  const label = JSON.stringify(res.body).slice(0, 500);
  expect(res.status, label).toBe(status);
  expect(res.headers.get('content-type') ?? '', label).toMatch(/^application\/json/);
  expect(Object.keys(res.body ?? {}), label).toEqual(['error']);
  expect(Object.keys(res.body.error).sort(), label).toEqual(['code', 'message', 'path']);
  expect(res.body.error.path, label).toBe(path);
  expect(res.body.error.code.length, label).toBeGreaterThan(0);
  expect(res.body.error.message.length, label).toBeGreaterThan(0);
  if (code !== undefined) expect(res.body.error.code, label).toBe(code);
}

/** A 415 on a JSON route: the validator's refusal, pointed at the header to fix. */
function expectUnsupportedMediaType(res: Res): void {
  expectError(res, 415, 'headers.Content-Type', 'unsupported_media_type');
  expect(res.body.error.message).toBe('Unsupported Media Type');
}

const valid = { senderId: 'm-alice', recipientIds: ['m-bob'], text: 'hi' };

describe('malformed requests (client clock on)', () => {
  let s: TestService;
  const graphOnly = 'graph-only-token-0123456789';
  const decideOnly = 'decide-only-token-0123456789';

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const now = Date.now();
    await s.service.store.writer.write(async (tx) => {
      await insertToken(tx, { name: 'graph-only', secret: graphOnly, scopes: ['graph'], now });
      await insertToken(tx, { name: 'decide-only', secret: decideOnly, scopes: ['decide'], now });
    });
  });
  afterAll(async () => { await s.close(); });

  /** fetch without the helper, for bodies it can't send (no content-type, streams). */
  const raw = async (method: string, path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Res> => {
    const res = await fetch(s.url + path, { method, ...init, headers: { authorization: 'Bearer test-admin-token-0123456789', ...init.headers } });
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : null; } catch { /* keep text */ }
    return { status: res.status, body, headers: res.headers };
  };

  it('the valid request is accepted (baseline)', async () => {
    const res = await s.call('POST', '/v1/sends/check', { body: valid });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  describe('body encoding', () => {
    for (const path of ['/v1/sends', '/v1/sends/check']) {
      it(`${path}: invalid JSON → 400 invalid_json at body`, async () => {
        const res = await s.call('POST', path, { rawBody: '{"senderId": "a", ', headers: { 'content-type': 'application/json' } });
        expectError(res, 400, 'body', 'invalid_json');
      });
    }

    it('an empty body with a JSON content type → 400 invalid_json at body', async () => {
      expectError(await s.call('POST', '/v1/sends', { rawBody: '', headers: { 'content-type': 'application/json' } }), 400, 'body', 'invalid_json');
    });

    it('a JSON body that is not an object (array, null, string, number) → 400 invalid_request at body, naming what came', async () => {
      for (const [rawBody, received] of [['[]', 'array'], ['null', 'null'], ['"hi"', 'string'], ['42', 'number']]) {
        const res = await s.call('POST', '/v1/sends', { rawBody, headers: { 'content-type': 'application/json' } });
        expectError(res, 400, 'body', 'invalid_request');
        expect(res.body.error.message).toBe(`Invalid input: expected object, received ${received}`);
      }
    });

    it('missing content type → 415', async () => {
      const res = await raw('POST', '/v1/sends', { body: new TextEncoder().encode(JSON.stringify(valid)) });
      expectUnsupportedMediaType(res);
    });

    it('wrong content type (text/plain) → 415', async () => {
      const res = await s.call('POST', '/v1/sends', { rawBody: JSON.stringify(valid), headers: { 'content-type': 'text/plain' } });
      expectUnsupportedMediaType(res);
    });

    it('wrong content type on PUT /v1/accounts/{id} → 415', async () => {
      const res = await s.call('PUT', '/v1/accounts/m-carol', { rawBody: '{"verified":true}', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expectUnsupportedMediaType(res);
    });

    it('an NDJSON import sent as JSON → 415 at headers.Content-Type', async () => {
      const res = await s.call('POST', '/v1/import', { rawBody: '{"type":"account","id":"u1"}\n', headers: { 'content-type': 'application/json' } });
      expectError(res, 415, 'headers.Content-Type', 'unsupported_media_type');
    });

    it('a body over 64 KiB (with Content-Length) → 413 payload_too_large', async () => {
      const big = JSON.stringify({ ...valid, text: 'x'.repeat(70 * 1024) });
      expectError(await s.call('POST', '/v1/sends', { rawBody: big, headers: { 'content-type': 'application/json' } }), 413, 'body', 'payload_too_large');
      expectError(await s.call('POST', '/v1/sends/check', { rawBody: big, headers: { 'content-type': 'application/json' } }), 413, 'body', 'payload_too_large');
    });

    it('a streamed (chunked, no Content-Length) body over 64 KiB → 413', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        start(c) { c.enqueue(new TextEncoder().encode('{"senderId":"a","recipientIds":["b"],"text":"')); },
        pull(c) {
          if (sent++ < 6) c.enqueue(chunk);
          else { c.enqueue(new TextEncoder().encode('"}')); c.close(); }
        },
      });
      const res = await raw('POST', '/v1/sends', { body: stream, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit & { headers: Record<string, string> });
      expectError(res, 413, 'body', 'payload_too_large');
    });

    it('the limit is exactly 64 KiB: 65 536 bytes are decided, 65 537 are refused with 413', async () => {
      // JSON allows trailing whitespace, so a valid body can be padded to an exact size.
      const json = JSON.stringify({ ...valid, text: 'y'.repeat(10_000) });
      const padded = (size: number) => json + ' '.repeat(size - Buffer.byteLength(json));
      for (const path of ['/v1/sends/check', '/v1/sends']) {
        const atLimit = await s.call('POST', path, { rawBody: padded(65_536), headers: { 'content-type': 'application/json' } });
        expect(atLimit.status, `${path}: ${JSON.stringify(atLimit.body).slice(0, 300)}`).toBe(200);
        const over = await s.call('POST', path, { rawBody: padded(65_537), headers: { 'content-type': 'application/json' } });
        expectError(over, 413, 'body', 'payload_too_large');
      }
    });
  });

  describe('SendRequest validation', () => {
    const cases: Array<[string, unknown, string]> = [
      ['missing senderId', { recipientIds: ['m-bob'] }, 'body.senderId'],
      ['senderId a number', { ...valid, senderId: 42 }, 'body.senderId'],
      ['senderId empty', { ...valid, senderId: '' }, 'body.senderId'],
      ['senderId with a space', { ...valid, senderId: 'a b' }, 'body.senderId'],
      ['senderId too long', { ...valid, senderId: 'a'.repeat(129) }, 'body.senderId'],
      ['recipientIds a string', { ...valid, recipientIds: 'm-bob' }, 'body.recipientIds'],
      ['recipientIds with a number', { ...valid, recipientIds: [7] }, 'body.recipientIds[0]'],
      ['recipientIds with a bad id', { ...valid, recipientIds: ['ok', 'not ok/'], kind: 'group_create' }, 'body.recipientIds[1]'],
      ['text a number', { ...valid, text: 5 }, 'body.text'],
      ['trace a string', { ...valid, trace: 'yes' }, 'body.trace'],
      ['media not an array', { ...valid, media: { id: 'm1' } }, 'body.media'],
      ['media item without id', { ...valid, media: [{ shareable: true }] }, 'body.media[0].id'],
      ['media item shareable a string', { ...valid, media: [{ id: 'm1', shareable: 'no' }] }, 'body.media[0].shareable'],
      ['idempotencyKey empty', { ...valid, idempotencyKey: '' }, 'body.idempotencyKey'],
      ['conversationId a number', { ...valid, conversationId: 9 }, 'body.conversationId'],
      ['bad kind enum', { ...valid, kind: 'broadcast' }, 'body.kind'],
      ['bad channel enum', { ...valid, channel: 'carrier-pigeon' }, 'body.channel'],
      ['text over 10 000 characters', { ...valid, text: 'z'.repeat(10_001) }, 'body.text'],
      ['direct with 0 recipients', { senderId: 'm-alice', recipientIds: [] }, 'body.recipientIds'],
      ['direct with recipients left out', { senderId: 'm-alice' }, 'body.recipientIds'],
      ['direct with 2 recipients', { ...valid, recipientIds: ['m-bob', 'm-carol'] }, 'body.recipientIds'],
      ['group_create with no recipients', { senderId: 'm-alice', kind: 'group_create', recipientIds: [] }, 'body.recipientIds'],
      ['group_message without conversationId', { senderId: 'm-alice', kind: 'group_message', text: 'hi' }, 'body.conversationId'],
      ['group_message with recipients', { senderId: 'm-alice', kind: 'group_message', conversationId: 'g:1', recipientIds: ['m-bob'] }, 'body.recipientIds'],
      ['group_invite without conversationId', { senderId: 'm-alice', kind: 'group_invite', recipientIds: ['m-bob'] }, 'body.conversationId'],
      ['group_invite with no recipients', { senderId: 'm-alice', kind: 'group_invite', conversationId: 'g:1', recipientIds: [] }, 'body.recipientIds'],
      ['duplicate recipients', { senderId: 'm-alice', kind: 'group_create', recipientIds: ['m-bob', 'm-carol', 'm-bob'] }, 'body.recipientIds[2]'],
      ['sender as own recipient', { senderId: 'm-alice', recipientIds: ['m-alice'] }, 'body.recipientIds[0]'],
      ['sender among group invitees', { senderId: 'm-alice', kind: 'group_create', recipientIds: ['m-bob', 'm-alice'] }, 'body.recipientIds[1]'],
      ['more than 999 recipients', { senderId: 'm-alice', kind: 'group_create', recipientIds: Array.from({ length: 1000 }, (_, i) => `r${i}`) }, 'body.recipientIds'],
    ];

    for (const path of ['/v1/sends', '/v1/sends/check']) {
      for (const [name, body, errorPath] of cases) {
        it(`${path}: ${name} → 400 at ${errorPath}`, async () => {
          expectError(await s.call('POST', path, { body }), 400, errorPath, 'invalid_request');
        });
      }
    }

    it('an unknown key is refused (strict), the error naming the key', async () => {
      for (const path of ['/v1/sends', '/v1/sends/check']) {
        const res = await s.call('POST', path, { body: { ...valid, recipient: 'm-bob' } });
        expectError(res, 400, 'body.recipient', 'invalid_request');
        expect(res.body.error.message).toBe('unknown field "recipient"');
      }
    });

    it('an unknown key inside a media item is refused', async () => {
      const res = await s.call('POST', '/v1/sends/check', { body: { ...valid, media: [{ id: 'm1', url: 'x' }] } });
      expectError(res, 400, 'body.media[0].url', 'invalid_request');
      expect(res.body.error.message).toBe('unknown field "url"');
    });

    it('facts on /v1/sends → 400 at body.facts (inline facts are for dry runs only)', async () => {
      const res = await s.call('POST', '/v1/sends', { body: { ...valid, facts: { relation: { recipientFollowsSender: true } } } });
      expectError(res, 400, 'body.facts', 'invalid_request');
    });

    it('facts on /v1/sends/check are accepted', async () => {
      const res = await s.call('POST', '/v1/sends/check', { body: { ...valid, facts: { relation: { recipientFollowsSender: true } } } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    });

    it('an unknown fact name in /v1/sends/check facts → 400 at body.facts.<name>', async () => {
      const res = await s.call('POST', '/v1/sends/check', { body: { ...valid, facts: { relationship: { blocked: true } } } });
      expectError(res, 400, 'body.facts.relationship', 'invalid_request');
    });

    it('a fact that is not an object of scalars → 400 under body.facts', async () => {
      const res = await s.call('POST', '/v1/sends/check', { body: { ...valid, facts: { relation: { blocked: { nested: true } } } } });
      expectError(res, 400, 'body.facts.relation.blocked', 'invalid_request');
      const res2 = await s.call('POST', '/v1/sends/check', { body: { ...valid, facts: { relation: true } } });
      expectError(res2, 400, 'body.facts.relation', 'invalid_request');
    });

    it('a count fact overridden with a negative, fractional or non-numeric value → 400 at its path, naming it', async () => {
      for (const value of [-1, 2.5, '12', true]) {
        const res = await s.call('POST', '/v1/sends/check', { body: { ...valid, facts: { quota: { dailyUsed: value } } } });
        expectError(res, 400, 'body.facts.quota.dailyUsed', 'invalid_request');
        expect(res.body.error.message).toBe(`quota.dailyUsed is a count: a whole number from 0, got ${JSON.stringify(value)}`);
      }
      const zero = await s.call('POST', '/v1/sends/check', { body: { ...valid, facts: { quota: { dailyUsed: 0 }, content: { duplicateRecipients: 3 } } } });
      expect(zero.status, JSON.stringify(zero.body)).toBe(200);
    });
  });

  describe('path parameters and account bodies', () => {
    it('PUT /v1/accounts/{id} with a bad id → 400 at params.id', async () => {
      for (const id of ['bad%20id', 'a%2Fb', 'x'.repeat(129), '%C3%A9t%C3%A9', 'semi%3Bcolon']) {
        const res = await s.call('PUT', `/v1/accounts/${id}`, { body: { verified: true } });
        expectError(res, 400, 'params.id', 'invalid_request');
      }
    });

    it('PUT /v1/accounts/{id}/following/{otherId} with a bad otherId → 400 at params.otherId', async () => {
      expectError(await s.call('PUT', '/v1/accounts/m-alice/following/not%20ok', {}), 400, 'params.otherId', 'invalid_request');
    });

    it('an edge from an account to itself → 400 at params.otherId', async () => {
      expectError(await s.call('PUT', '/v1/accounts/m-alice/blocks/m-alice', {}), 400, 'params.otherId', 'invalid_request');
    });

    it('PUT /v1/accounts/{id} with a wrong type, a bad enum or an unknown field → 400 naming the field', async () => {
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { body: { verified: 'yes' } }), 400, 'body.verified', 'invalid_request');
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { body: { inbox: 'nobody' } }), 400, 'body.inbox', 'invalid_request');
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { body: { verifed: true } }), 400, 'body.verifed', 'invalid_request');
    });

    it('PUT /v1/accounts/{id} with invalid JSON → 400 invalid_json at body', async () => {
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { rawBody: '{verified: true}', headers: { 'content-type': 'application/json' } }), 400, 'body', 'invalid_json');
    });
  });

  describe('X-Simulated-Now', () => {
    for (const value of ['yesterday', '2026-13-01T00:00:00Z', '2026-03-02', '2026-03-02T10:00:00', '1772445600000', '']) {
      it(`an invalid date ${JSON.stringify(value)} → 400 at headers.X-Simulated-Now`, async () => {
        const res = await s.call('POST', '/v1/sends/check', { body: valid, now: value });
        expectError(res, 400, 'headers.X-Simulated-Now', 'invalid_header');
      });
    }

    it('is checked on graph routes too', async () => {
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { body: {}, now: 'soon' }), 400, 'headers.X-Simulated-Now', 'invalid_header');
    });

    it('a valid ISO-8601 date-time with a zone is accepted', async () => {
      for (const value of ['2026-03-02T10:00:00Z', '2026-03-02T10:00:00.123+02:00', '2026-03-02T10:00Z']) {
        const res = await s.call('POST', '/v1/sends/check', { body: valid, now: value });
        expect(res.status, `${value}: ${JSON.stringify(res.body)}`).toBe(200);
      }
    });
  });

  describe('authentication and scopes', () => {
    it('no token → 401', async () => {
      expectError(await s.call('POST', '/v1/sends', { body: valid, token: null }), 401, 'headers.Authorization', 'unauthorized');
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { body: {}, token: null }), 401, 'headers.Authorization', 'unauthorized');
    });

    it('unknown token → 401', async () => {
      expectError(await s.call('POST', '/v1/sends', { body: valid, token: 'no-such-token-0123456789' }), 401, 'headers.Authorization', 'unauthorized');
    });

    it('a malformed Authorization header → 401', async () => {
      for (const authorization of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'test-admin-token-0123456789']) {
        const res = await s.call('POST', '/v1/sends', { body: valid, token: null, headers: { authorization } });
        expectError(res, 401, 'headers.Authorization', 'unauthorized');
      }
    });

    it('a token without the needed scope → 403', async () => {
      expectError(await s.call('POST', '/v1/sends', { body: valid, token: graphOnly }), 403, 'headers.Authorization', 'forbidden');
      expectError(await s.call('POST', '/v1/sends/check', { body: valid, token: graphOnly }), 403, 'headers.Authorization', 'forbidden');
      expectError(await s.call('PUT', '/v1/accounts/m-alice', { body: {}, token: decideOnly }), 403, 'headers.Authorization', 'forbidden');
      expectError(await s.call('PUT', '/v1/accounts/m-alice/following/m-bob', { token: decideOnly }), 403, 'headers.Authorization', 'forbidden');
      expectError(await s.call('POST', '/v1/import', { rawBody: '', token: decideOnly, headers: { 'content-type': 'application/x-ndjson' } }), 403, 'headers.Authorization', 'forbidden');
    });

    it('a token with the needed scope is let through', async () => {
      expect((await s.call('POST', '/v1/sends/check', { body: valid, token: decideOnly })).status).toBe(200);
      expect((await s.call('PUT', '/v1/accounts/m-alice', { body: {}, token: graphOnly })).status).toBe(200);
    });

    it('authentication comes before validation: a malformed body without a token is 401, not 400', async () => {
      const res = await s.call('POST', '/v1/sends', { rawBody: '{', token: null, headers: { 'content-type': 'application/json' } });
      expectError(res, 401, 'headers.Authorization', 'unauthorized');
    });
  });

  describe('routes', () => {
    it('an unknown route → 404 JSON', async () => {
      expectError(await s.call('GET', '/v1/nothing-here'), 404, null, 'not_found');
      expectError(await s.call('GET', '/nothing-here', { token: null }), 404, null, 'not_found');
    });

    it('a known path with another method → 404 JSON naming the method and path', async () => {
      const res = await s.call('GET', '/v1/sends');
      expectError(res, 404, null, 'not_found');
      expect(res.body.error.message).toBe('no route for GET /v1/sends');
    });
  });
});

describe('X-Simulated-Now without client clock', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023', clientClock: false }); });
  afterAll(async () => { await s.close(); });

  it('→ 400 client_clock_disabled at headers.X-Simulated-Now, even with a valid date', async () => {
    const res = await s.call('POST', '/v1/sends', { body: valid, now: '2026-03-02T10:00:00Z' });
    expectError(res, 400, 'headers.X-Simulated-Now', 'client_clock_disabled');
    const check = await s.call('POST', '/v1/sends/check', { body: valid, now: 'garbage' });
    expectError(check, 400, 'headers.X-Simulated-Now', 'client_clock_disabled');
    const put = await s.call('PUT', '/v1/accounts/m-alice', { body: {}, now: '2026-03-02T10:00:00Z' });
    expectError(put, 400, 'headers.X-Simulated-Now', 'client_clock_disabled');
  });

  it('without the header the request is served', async () => {
    const res = await s.call('POST', '/v1/sends/check', { body: valid });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe('well-formed requests never produce a 5xx', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('an enforced send with an idempotencyKey is answered 200, and its retry returns the first answer', async () => {
    const body = { ...valid, idempotencyKey: 'idem-1' };
    const first = await s.call('POST', '/v1/sends', { body });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await s.call('POST', '/v1/sends', { body });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });
});

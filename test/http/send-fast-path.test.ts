// POST /v1/sends as the messaging backend calls it (a cached bearer token with the decide scope, a
// JSON body, the server's clock) is answered ahead of the middleware chain (server/decisions/send-fast-path.ts):
// with the same answers, headers and metrics as through the chain; every other request of the route
// goes on to the chain. Which one answered is seen by the schema's parse the answer went through:
// the fast path parses synchronously, the chain's validator asynchronously.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SendRequest } from '../../server/decisions/request.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, world } from '../support/world.ts';

describe('POST /v1/sends ahead of the middleware chain', () => {
  let s: TestService;
  let decide: string;
  let graphOnly: string;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023', clientClock: true });
    await world(s).follow('fp-bob', 'fp-alice');
    const token = async (scopes: string[]) => {
      const res = await s.call('POST', '/v1/tokens', { body: { name: `fp-${scopes.join('-')}`, scopes } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.secret as string;
    };
    [decide, graphOnly] = [await token(['decide']), await token(['graph'])];
  });
  afterAll(async () => { await s.close(); });
  afterEach(() => { vi.restoreAllMocks(); });

  /** Which parse of the schema each answer went through: the fast path's (sync) or the chain's validator (async). */
  const parses = () => ({ sync: vi.spyOn(SendRequest, 'safeParse'), async: vi.spyOn(SendRequest, 'safeParseAsync') });
  const post = (body: unknown, options: { token?: string; headers?: Record<string, string>; path?: string } = {}) => fetch(`${s.url}${options.path ?? '/v1/sends'}`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token ?? decide}`, ...options.headers },
  });
  const sendsCounted = async (status: number, route = '/v1/sends') => {
    const text = (await s.call('GET', '/metrics')).body as string;
    const line = text.split('\n').find((l) => l.startsWith(`dm_policy_http_requests_total{method="POST",route="${route}",status="${status}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const hello = { senderId: 'fp-alice', recipientIds: ['fp-bob'], text: 'hello' };

  it('a cached token with the decide scope: answered ahead of the chain, with the same headers and metrics', async () => {
    expect((await post(hello)).status).toBe(200); // the token's first use: the chain reads it and caches it
    const before = await sendsCounted(200);
    const parse = parses();
    const res = await post(hello);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ decision: 'allow', reason: 'allowed', quota: { daily: { used: 2 } } });
    expect(parse.sync).toHaveBeenCalledTimes(1);
    expect(parse.async).not.toHaveBeenCalled();
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await sendsCounted(200)).toBe(before + 1);
  });

  it('an error the decision raises is the chain\'s answer: a 409 for a reused idempotency key, counted', async () => {
    expect((await post({ ...hello, idempotencyKey: 'fp-key-1' })).status).toBe(200);
    const before = await sendsCounted(409);
    const parse = parses();
    const res = await post({ ...hello, text: 'something else', idempotencyKey: 'fp-key-1' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'idempotency_key_reused', message: expect.any(String), path: 'body.idempotencyKey' } });
    expect(parse.async).not.toHaveBeenCalled();
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await sendsCounted(409)).toBe(before + 1);
  });

  it('a body the schema refuses goes on to the chain: the 400 names the field', async () => {
    const parse = parses();
    const res = await post({ recipientIds: ['fp-bob'], text: 'no sender' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.path).toBe('body.senderId');
    expect(parse.async).toHaveBeenCalledTimes(1);
  });

  it('a token without the decide scope goes on to the chain: 403', async () => {
    expect((await post(hello, { token: graphOnly })).status).toBe(403); // first use: read and cached by the chain
    const parse = parses();
    const res = await post(hello, { token: graphOnly });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    expect(parse.sync).not.toHaveBeenCalled();
  });

  it('X-Simulated-Now goes on to the chain, which decides at that time', async () => {
    const parse = parses();
    const then = at(3 * 86_400_000);
    const res = await post(hello, { headers: { 'x-simulated-now': then.toISOString() } });
    expect(res.status).toBe(200);
    // The daily window of that day, not of today's.
    const midnightAfter = new Date((Math.floor(then.getTime() / 86_400_000) + 1) * 86_400_000);
    expect((await res.json()).quota.daily.resetsAt).toBe(midnightAfter.toISOString());
    expect(parse.async).toHaveBeenCalledTimes(1);
  });

  it('answers with the very headers the chain answers with, but the date', async () => {
    const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'));
    const parse = parses();
    const fast = await post(hello);
    expect(parse.sync).toHaveBeenCalledTimes(1);
    const chain = await post(hello, { headers: { 'x-simulated-now': new Date().toISOString() } });
    expect(parse.async).toHaveBeenCalledTimes(1);
    const [fastHeaders, chainHeaders] = [headersOf(fast), headersOf(chain)];
    // Their bodies differ in length (one more send counted): compare that apart.
    expect(Number(fastHeaders['content-length'])).toBe(Buffer.byteLength(await fast.text()));
    delete fastHeaders['content-length'];
    delete chainHeaders['content-length'];
    expect(fastHeaders).toEqual(chainHeaders);
    expect(fastHeaders['content-type']).toBe('application/json');
    expect(Object.keys(fastHeaders)).toEqual(expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-frame-options', 'referrer-policy']));
  });

  it('a body that is not JSON goes on to the chain: 400 invalid_json', async () => {
    const res = await fetch(`${s.url}/v1/sends`, { method: 'POST', body: '{"senderId":', headers: { 'content-type': 'application/json', authorization: `Bearer ${decide}` } });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_json', path: 'body' });
  });

  describe('POST /v1/sends/check', () => {
    const check = (body: unknown, headers?: Record<string, string>) => post(body, { path: '/v1/sends/check', headers });
    const usedToday = async () => (await (await check(hello)).json()).quota.daily.used as number;

    it('a cached token: answered ahead of the chain, deciding without recording, counted under its own route', async () => {
      expect((await check(hello)).status).toBe(200);
      const used = await usedToday();
      const before = await sendsCounted(200, '/v1/sends/check');
      const parse = parses();
      const res = await check(hello);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ decision: 'allow', sendId: null, quota: { daily: { used: used } } });
      expect(parse.sync).toHaveBeenCalledTimes(1);
      expect(parse.async).not.toHaveBeenCalled();
      expect(await usedToday()).toBe(used);
      expect(await sendsCounted(200, '/v1/sends/check')).toBe(before + 2);
    });

    it('inline facts and a trace, as through the chain', async () => {
      const parse = parses();
      const res = await check({ senderId: 'fp-alice', recipientIds: ['fp-bob'], text: 'hello', trace: true, facts: { relation: { blocked: true } } });
      const body = await res.json();
      expect(res.status).toBe(200);
      expect(body).toMatchObject({ decision: 'deny', reason: 'blocked' });
      expect(body.trace[0].facts.relation.blocked).toBe(true);
      expect(parse.sync).toHaveBeenCalledTimes(1);
      expect(parse.async).not.toHaveBeenCalled();
    });

    it('answers with the very headers the chain answers with, but the date and length', async () => {
      const headersOf = (res: Response) => Object.fromEntries([...res.headers].filter(([name]) => name !== 'date' && name !== 'content-length'));
      const parse = parses();
      const fast = await check(hello);
      const chain = await check(hello, { 'x-simulated-now': new Date().toISOString() });
      expect(parse.sync).toHaveBeenCalledTimes(1);
      expect(parse.async).toHaveBeenCalledTimes(1);
      expect(headersOf(fast)).toEqual(headersOf(chain));
    });

    it('a body the schema refuses goes on to the chain: an unknown fact is a 400 at its path', async () => {
      const parse = parses();
      const res = await check({ ...hello, facts: { relationship: { blocked: true } } });
      expect(res.status).toBe(400);
      expect((await res.json()).error.path).toBe('body.facts.relationship');
      expect(parse.async).toHaveBeenCalledTimes(1);
    });

    it('a token without the decide scope goes on to the chain: 403', async () => {
      const parse = parses();
      const res = await check(hello, { authorization: `Bearer ${graphOnly}` });
      expect(res.status).toBe(403);
      expect(parse.sync).not.toHaveBeenCalled();
    });
  });
});

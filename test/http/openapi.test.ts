// DESIGN §4: the API is "described by an OpenAPI document the service serves at /openapi.json (with
// browsable docs)"; callers authenticate with `Authorization: Bearer <token>`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

/** The operations DESIGN §4 fixes: other systems call them as written. */
const contract: Array<[string, string]> = [
  ['post', '/v1/sends'],
  ['post', '/v1/sends/check'],
  ['put', '/v1/accounts/{id}'],
  ['put', '/v1/accounts/{id}/following/{otherId}'],
  ['delete', '/v1/accounts/{id}/following/{otherId}'],
  ['put', '/v1/accounts/{id}/blocks/{otherId}'],
  ['delete', '/v1/accounts/{id}/blocks/{otherId}'],
  ['put', '/v1/accounts/{id}/reports/{otherId}'],
  ['put', '/v1/accounts/{id}/accepted/{otherId}'],
  ['put', '/v1/accounts/{id}/app-grants/{appId}'],
  ['delete', '/v1/accounts/{id}/app-grants/{appId}'],
  ['post', '/v1/import'],
];

/** Every `$ref` in the document, wherever it is. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

/** Resolves a `$ref` of the form `#/components/schemas/Name`, or the schema itself. */
function resolve(doc: any, schema: any): any {
  if (schema && typeof schema.$ref === 'string') {
    return schema.$ref.slice(2).split('/').reduce((n: any, key: string) => n?.[key], doc);
  }
  return schema;
}

describe('OpenAPI document and docs', () => {
  let s: TestService;
  let doc: any;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    const res = await s.call('GET', '/openapi.json', { token: null });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    doc = res.body;
  });
  afterAll(async () => { await s.close(); });

  it('GET /openapi.json needs no token and answers JSON', async () => {
    const res = await s.call('GET', '/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof res.body).toBe('object');
  });

  it('is OpenAPI 3.1 with a title and version', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it('lists every operation of the §4 contract', () => {
    for (const [method, path] of contract) {
      expect(doc.paths?.[path], `${path} is documented`).toBeDefined();
      expect(doc.paths[path][method], `${method.toUpperCase()} ${path} is documented`).toBeDefined();
    }
  });

  it('documents the path parameters of the account and edge routes', () => {
    for (const [method, path] of contract) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params = (doc.paths[path][method].parameters ?? []).filter((p: any) => p.in === 'path');
      expect(params.map((p: any) => p.name).sort(), `${method} ${path}`).toEqual([...names].sort());
      for (const p of params) expect(p.required, `${path} ${p.name}`).toBe(true);
    }
  });

  it('declares bearer authentication and uses it on every /v1 contract operation', () => {
    const schemes = doc.components?.securitySchemes ?? {};
    const bearer = Object.entries(schemes).filter(([, v]: [string, any]) => v.type === 'http' && String(v.scheme).toLowerCase() === 'bearer');
    expect(bearer.length, JSON.stringify(schemes)).toBeGreaterThan(0);
    const names = bearer.map(([name]) => name);
    for (const [method, path] of contract) {
      const security = doc.paths[path][method].security ?? doc.security ?? [];
      expect(security.some((req: Record<string, unknown>) => Object.keys(req).some((n) => names.includes(n))), `${method} ${path}`).toBe(true);
    }
  });

  it('has the SendRequest schema with the fields of §4, strict, and both send routes take it', () => {
    const schema = doc.components?.schemas?.SendRequest;
    expect(schema).toBeDefined();
    expect(schema.type).toBe('object');
    for (const field of ['senderId', 'recipientIds', 'kind', 'conversationId', 'text', 'channel', 'appId', 'media', 'idempotencyKey', 'trace']) {
      expect(schema.properties, field).toHaveProperty(field);
    }
    expect(schema.required).toContain('senderId');
    expect(schema.properties.kind.enum).toEqual(['direct', 'group_create', 'group_message', 'group_invite']);
    expect(schema.properties.channel.enum).toEqual(['web', 'app', 'api', 'sms']);
    expect(schema.properties.channel.default).toBe('web');
    expect(schema.additionalProperties).toBe(false);

    for (const path of ['/v1/sends', '/v1/sends/check']) {
      const body = doc.paths[path].post.requestBody;
      expect(body.required, path).toBe(true);
      expect(body.content['application/json'].schema, path).toEqual({ $ref: '#/components/schemas/SendRequest' });
    }
  });

  it('documents the decision response and the error shape', () => {
    for (const path of ['/v1/sends', '/v1/sends/check']) {
      const responses = doc.paths[path].post.responses;
      const decision = resolve(doc, responses['200'].content['application/json'].schema);
      expect(decision.properties.decision.enum.sort(), path).toEqual(['allow', 'deny', 'limit', 'request']);
      for (const field of ['reason', 'rule', 'policy', 'retryAfterSeconds', 'quota', 'recipients', 'conversationId', 'sendId', 'trace']) {
        expect(decision.properties, `${path} Decision.${field}`).toHaveProperty(field);
      }
      for (const status of ['400', '401', '403', '413']) {
        const error = resolve(doc, responses[status]?.content?.['application/json']?.schema);
        expect(error?.properties?.error?.properties, `${path} ${status}`).toMatchObject({ code: expect.anything(), message: expect.anything(), path: expect.anything() });
      }
    }
  });

  it('every $ref resolves', () => {
    for (const ref of new Set(refs(doc))) {
      expect(ref, ref).toMatch(/^#\//);
      expect(resolve(doc, { $ref: ref }), ref).toBeDefined();
    }
  });

  it('GET /docs returns browsable HTML that loads /openapi.json, without a token', async () => {
    const res = await s.call('GET', '/docs', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(String(res.body)).toMatch(/<html/i);
    expect(String(res.body)).toContain('/openapi.json');
  });
});

// The typed client (client/schema.d.ts) and the dashboard trust /openapi.json to say what each answer holds.
// Routes' answers are not validated at run time, so here real answers are checked against their documented
// schemas: the traces, the decision log, the figures, experiments and stored policy documents.
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { at, minutes, world } from '../support/world.ts';

describe('answers match the schemas /openapi.json documents for them', () => {
  let s: TestService;
  let doc: any;
  let defs: Record<string, unknown>;

  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    doc = (await s.call('GET', '/openapi.json', { token: null })).body;
    // The document's named schemas as JSON Schema $defs, so that zod can read every $ref.
    defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', '#/$defs/'));
  });
  afterAll(async () => { await s?.close(); });

  /** GETs (or POSTs `body` to) `path`, and checks the answer against the schema of `route`'s `status`. */
  async function conforms(method: 'GET' | 'POST', route: string, path: string, status = 200, body?: unknown) {
    const res = await s.call(method, path, { body, now: at(minutes(5)) });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(status);
    const schema = JSON.parse(JSON.stringify(doc.paths[route][method.toLowerCase()].responses[status].content['application/json'].schema)
      .replaceAll('#/components/schemas/', '#/$defs/'));
    const parsed = z.fromJSONSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', $defs: defs, ...schema }).safeParse(res.body);
    expect(parsed.error?.issues ?? [], `${method} ${path}`).toEqual([]);
    return res.body;
  }

  it('a simulation with its trace, logged decisions, their explanations and the figures', async () => {
    const w = world(s);
    await w.follow('oa-b', 'oa-a');
    await w.dm('oa-a', 'oa-b', at(minutes(1)));
    await w.dm('oa-c', 'oa-b', at(minutes(1)));
    const simulated = await conforms('POST', '/v1/simulations', '/v1/simulations', 200, { version: 'x-2023', send: { senderId: 'oa-a', recipientIds: ['oa-b'], trace: true } });
    expect(simulated.trace[0].rules.length).toBeGreaterThan(0);

    await s.service.store.indexer.caughtUp();
    const page = await conforms('GET', '/v1/decisions', '/v1/decisions?account=oa-b');
    expect(page.items).toHaveLength(2);
    for (const item of page.items) {
      await conforms('GET', '/v1/decisions/{id}', `/v1/decisions/${item.id}`);
      const explained = await conforms('GET', '/v1/decisions/{id}/explain', `/v1/decisions/${item.id}/explain`);
      expect(explained.subjects[0].trace.length).toBeGreaterThan(0);
    }
    const figures = await conforms('GET', '/v1/figures', `/v1/figures?from=${at(0).toISOString()}&to=${at(minutes(10)).toISOString()}`);
    expect(figures.topReasons.length).toBeGreaterThan(0);
  });

  it('experiments and their per-arm figures, a shadow arm\'s disagreements included', async () => {
    const started = await conforms('POST', '/v1/experiments', '/v1/experiments', 201, {
      name: 'documented', salt: 'oa', arms: [{ name: 'control', version: 'x-2023', weight: 1 }, { name: 'strict', version: 'twitter-2016', shadow: true }],
    });
    const w = world(s);
    for (let i = 0; i < 3; i++) await w.dm(`oa-exp-${i}`, `oa-stranger-${i}`, at(minutes(2)));
    await s.service.store.indexer.caughtUp();
    await conforms('GET', '/v1/experiments', '/v1/experiments');
    const figures = await conforms('GET', '/v1/experiments/{id}/figures', `/v1/experiments/${started.id}/figures`);
    expect(figures.find((f: any) => f.arm === 'strict').disagreements.total).toBe(3);
  });

  it('a stored policy version, its document included', async () => {
    const detail = await conforms('GET', '/v1/policies/{policy}/versions/{version}', '/v1/policies/dm/versions/x-2023');
    expect(Object.keys(detail.document.parameters).length).toBeGreaterThan(0);
  });
});

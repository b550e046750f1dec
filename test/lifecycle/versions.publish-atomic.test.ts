/** Publishing under load: concurrent decisions see the old version or the new one, never a mix, and none after the publish answered sees the old. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

const base = '/v1/policies/dm';

interface Observed {
  i: number;
  startedAfterPublish: boolean;
  version: string;
  dailyLimit: number;
}

describe('atomic publish', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('300 concurrent sends during a publish each use one whole version', async () => {
    const draft = await s.call('POST', `${base}/versions`, { body: { from: 'x-2023', version: 'x-2023-cap-400' } });
    expect(draft.status).toBe(201);
    // A lower cap keeps the preset's 499-allows test from passing, so rewrite the cap tests with the edit.
    const tests = draft.body.tests.map((t: any) => (t.name === 'daily-cap-499-sent-allows' ? { ...t, facts: { quota: { dailyUsed: 399 } } } : t));
    const edit = await s.call('PATCH', `${base}/versions/x-2023-cap-400`, { body: { parameters: { dailyLimit: 400 }, tests } });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);

    let published = false;
    const send = async (i: number): Promise<Observed> => {
      const startedAfterPublish = published;
      const res = await s.call('POST', '/v1/sends', { body: { senderId: `s${i}`, recipientIds: [`r${i}`], text: `hello ${i}` } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { i, startedAfterPublish, version: res.body.policy.version, dailyLimit: res.body.quota.daily.limit };
    };

    const inFlight: Array<Promise<Observed>> = [];
    for (let i = 0; i < 100; i++) inFlight.push(send(i));
    const publish = s.call('POST', `${base}/versions/x-2023-cap-400/publish`, { body: { reason: 'atomicity test' } }).then((res) => {
      published = true;
      return res;
    });
    for (let i = 100; i < 200; i++) {
      inFlight.push(send(i));
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    const publishResponse = await publish;
    expect(publishResponse.status, JSON.stringify(publishResponse.body)).toBe(200);
    for (let i = 200; i < 300; i++) inFlight.push(send(i));

    const observed = await Promise.all(inFlight);
    expect(observed).toHaveLength(300);
    for (const o of observed) {
      // A whole version: its name and its parameters agree.
      expect(['x-2023', 'x-2023-cap-400']).toContain(o.version);
      expect(o.dailyLimit, `send ${o.i}`).toBe(o.version === 'x-2023' ? 500 : 400);
    }
    const after = observed.filter((o) => o.startedAfterPublish);
    expect(after.length).toBeGreaterThanOrEqual(100);
    expect(after.every((o) => o.version === 'x-2023-cap-400')).toBe(true);
    // The first sends were queued before the publish was even received.
    expect(observed.slice(0, 100).some((o) => o.version === 'x-2023')).toBe(true);

    const list = await s.call('GET', `${base}/versions`);
    expect(list.body.active).toBe('x-2023-cap-400');
    expect(list.body.versions.filter((v: any) => v.status === 'active')).toHaveLength(1);
  });

  it('two publishers racing leave exactly one active version, the one the registry enforces', async () => {
    for (const name of ['race-a', 'race-b']) {
      expect((await s.call('POST', `${base}/versions`, { body: { from: 'x-2023', version: name } })).status).toBe(201);
      expect((await s.call('PATCH', `${base}/versions/${name}`, { body: { description: `Race ${name}.` } })).status).toBe(200);
    }
    const [a, b] = await Promise.all(['race-a', 'race-b'].map((name) => s.call('POST', `${base}/versions/${name}/publish`)));
    expect([a.status, b.status]).toEqual([200, 200]);
    const list = await s.call('GET', `${base}/versions`);
    const active = list.body.versions.filter((v: any) => v.status === 'active');
    expect(active).toHaveLength(1);
    expect(s.service.policies.active().version).toBe(active[0].version);
    const check = await s.call('POST', '/v1/sends/check', { body: { senderId: 'z1', recipientIds: ['z2'] } });
    expect(check.body.policy.version).toBe(active[0].version);
  });
});

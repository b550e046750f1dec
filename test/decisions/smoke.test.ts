import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { at, world } from '../support/world.ts';

describe('smoke', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('decides a direct send', async () => {
    const w = world(s);
    const first = await w.dm('alice', 'bob');
    console.log(JSON.stringify(first));
    expect(first.decision).toBe('request');
    await w.follow('bob', 'alice');
    const second = await w.dm('alice', 'bob', at(1000), { trace: true });
    console.log(JSON.stringify(second).slice(0, 3000));
    expect(second.decision).toBe('allow');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { at, world } from '../support/world.ts';

describe('a direct send end to end (x-2023)', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('goes to requests from a stranger, and is allowed once the recipient follows the sender', async () => {
    const w = world(s);
    const first = await w.dm('alice', 'bob');
    expect(first.decision).toBe('request');
    await w.follow('bob', 'alice');
    const second = await w.dm('alice', 'bob', at(1000), { trace: true });
    expect(second.decision).toBe('allow');
    expect(second.quota.daily.used).toBe(2);
    expect(second.trace[0].rules.every((r: any) => r.matched === false)).toBe(true);
  });
});

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

describe('a trace', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  it('lists every rule in the order a decision weighs them: priority, highest first, ties in the document\'s order', async () => {
    const answer = await world(s).dm('tr-alice', 'tr-bob', at(0), { trace: true });
    const rules = answer.trace[0].rules as Array<{ rule: string; priority: number }>;
    const active = (await s.call('GET', '/v1/policies/dm/versions/x-2023')).body;
    const documentOrder = (active.document?.rules ?? active.rules).map((r: { name: string }) => r.name) as string[];
    expect(rules.map((r) => r.rule).sort()).toEqual([...documentOrder].sort());
    for (let i = 1; i < rules.length; i++) {
      const [before, after] = [rules[i - 1], rules[i]];
      expect(before.priority > after.priority || (before.priority === after.priority && documentOrder.indexOf(before.rule) < documentOrder.indexOf(after.rule)),
        `${before.rule} (${before.priority}) before ${after.rule} (${after.priority})`).toBe(true);
    }
    // The presets' rules are not all written in priority order: the order is the trace's own.
    expect(rules.map((r) => r.rule)).not.toEqual(documentOrder);
  });
});

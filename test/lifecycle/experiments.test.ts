// Issue 3 §4: "an experiment assigns senders to arms by deterministic hashing of a salt and the sender
// id — same sender, same arm, stable across restarts and instances. An arm can be shadow:
// evaluated beside the enforced decision and logged, never enforced."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf, pickArm } from '../../server/lifecycle/experiments/assignment.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, minutes, world } from '../support/world.ts';

describe('arm assignment', () => {
  it('puts a sender in the bucket fixed by salt and id alone, and a different salt reshuffles about half', () => {
    // sha256("salt-a:u42") starts 0689f7c0adef, sha256("salt-b:u42") f9e78ec19ecd: the first 48 bits are the bucket.
    expect(bucketOf('salt-a', 'u42')).toBe(0x0689f7c0adef / 2 ** 48);
    expect(bucketOf('salt-b', 'u42')).toBe(0xf9e78ec19ecd / 2 ** 48);
    const moved = Array.from({ length: 1000 }, (_, i) => `u${i}`).filter((id) => (bucketOf('salt-a', id) < 0.5) !== (bucketOf('salt-b', id) < 0.5));
    expect(moved.length).toBe(527);
  });

  it('splits 100 000 senders by weight within 1 percentage point (70/20/10 gives 69 946/20 102/9 952)', () => {
    const arms = [{ name: 'a', weight: 70 }, { name: 'b', weight: 20 }, { name: 'c', weight: 10 }];
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 100_000; i++) counts[pickArm(arms, bucketOf('exp-1', `sender-${i}`)).name]++;
    expect(counts).toEqual({ a: 69_946, b: 20_102, c: 9_952 });
  });
});

describe('experiments over HTTP', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'x-2023' }); });
  afterAll(async () => { await s.close(); });

  const start = (body: unknown) => s.call('POST', '/v1/experiments', { body, now: at(0) });

  it('refuses an experiment whose enforced arm is unknown or has no weight, naming the path', async () => {
    const unknown = await start({ name: 'x', arms: [{ name: 'a', version: 'nope', weight: 1 }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.path).toBe('body.arms[0].version');
    const weightless = await start({ name: 'x', arms: [{ name: 'a', version: 'x-2023', weight: 0 }] });
    expect(weightless.status).toBe(400);
    expect(weightless.body.error.path).toBe('body.arms');
  });

  it('names the arm in every response, enforces the arm version, and a shadow arm never changes the outcome', async () => {
    const w = world(s);
    // Control enforces x-2023 (inbox setting → requests); the shadow twitter-2016 would deny the same sends.
    const started = await start({ name: 'follow gate shadow', salt: 's1', arms: [
      { name: 'control', version: 'x-2023', weight: 1 },
      { name: 'strict', version: 'twitter-2016', shadow: true },
    ] });
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect((await start({ name: 'second', arms: [{ name: 'a', version: 'x-2023', weight: 1 }] })).status).toBe(409);

    for (let i = 0; i < 5; i++) {
      const r = await w.dm(`exp-sender-${i}`, `exp-stranger-${i}`, at(minutes(1)));
      expect(r.decision).toBe('request');
      expect(r.policy).toEqual({ name: 'dm', version: 'x-2023', arm: 'control' });
    }
    // The arms' figures are read from what the log indexer builds off the decision path.
    await s.service.store.indexer.caughtUp();
    const figures = await s.call('GET', `/v1/experiments/${id}/figures`);
    expect(figures.status).toBe(200);
    const control = figures.body.find((f: any) => f.arm === 'control');
    const strict = figures.body.find((f: any) => f.arm === 'strict');
    expect(control.decisions.request).toBe(5);
    expect(strict.decisions.deny).toBe(5);
    expect(strict.disagreements.total).toBe(5);
    expect(strict.disagreements.byOutcome[0]).toMatchObject({ enforced: 'request', shadow: 'deny', shadowReason: 'recipient_not_following' });

    const stopped = await s.call('POST', `/v1/experiments/${id}/stop`, { body: { reason: 'done' }, now: at(minutes(2)) });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe('stopped');
    const after = await w.dm('exp-sender-0', 'exp-stranger-0', at(minutes(3)));
    expect(after.policy.arm).toBeNull();
  });

  it('splits enforced arms between versions and keeps a sender in its arm', async () => {
    const w = world(s);
    const started = await start({ name: 'cap test', salt: 's2', arms: [
      { name: 'x2023', version: 'x-2023', weight: 1 },
      { name: 'legacy', version: 'twitter-2016', weight: 1 },
    ] });
    expect(started.status).toBe(201);
    const seen = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const sender = `split-${i}`;
      const first = await w.dm(sender, `split-r-${i}`, at(minutes(10)));
      const second = await w.dm(sender, `split-r-${i}`, at(minutes(11)));
      expect(second.policy.arm).toBe(first.policy.arm);
      expect(first.policy.version).toBe(first.policy.arm === 'x2023' ? 'x-2023' : 'twitter-2016');
      seen.set(sender, first.policy.arm);
    }
    expect(new Set(seen.values()).size).toBe(2);
    await s.call('POST', `/v1/experiments/${started.body.id}/stop`, { body: {}, now: at(minutes(12)) });
  });

  it('refuses to start or stop without the publisher role', async () => {
    const { insertToken } = await import('../../db/stores/tokens.ts');
    await s.service.store.writer.write((tx) => insertToken(tx, { name: 'decider', secret: 'decide-only-token-000000', scopes: ['decide'], now: Date.now() }));
    const res = await s.call('POST', '/v1/experiments', { body: { name: 'x', arms: [{ name: 'a', version: 'x-2023', weight: 1 }] }, token: 'decide-only-token-000000' });
    expect(res.status).toBe(403);
  });
});

// Issue 3 §9: "a synthetic population — a skewed follow graph, protected and verified accounts, mixed inbox
// settings, ordinary users, businesses with welcome messages, API bots answering users, spammers sending one
// link to many — and a few days of send attempts through the decision path … seeded, so it is reproducible."
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDecisionLogAtMost } from '../../db/stores/decision-log-read.ts';
import { upsertAccount } from '../../db/stores/graph.ts';
import type { Config } from '../../server/config.ts';
import { DatabaseNotEmpty, seedDemo, seedDemoIfEmpty, type DemoSummary } from '../../server/demo/populate.ts';
import { followerCounts, generateWorld } from '../../server/demo/world.ts';
import { createService, type Service } from '../../server/service.ts';

const start = Date.parse('2026-03-02T00:00:00.000Z');
const small = { accounts: 300, days: 1, seed: 42, start };

interface TempService {
  service: Service;
  databaseUrl: string;
  close(): Promise<void>;
}

async function tempService(): Promise<TempService> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-demo-'));
  const databaseUrl = `file:${join(dir, 'demo.db')}`;
  const config: Config = { port: 0, host: '127.0.0.1', databaseUrl, preset: 'x-2023', clientClock: true, bootstrapToken: 'demo-test-token-0123456789', busyTimeoutMs: 10_000 };
  const service = await createService(config);
  return {
    service, databaseUrl,
    close: async () => {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the demo world (pure)', () => {
  it('the same seed gives the same world, another seed another one', () => {
    const once = generateWorld({ accounts: 500, seed: 7 });
    expect(generateWorld({ accounts: 500, seed: 7 })).toEqual(once);
    expect(generateWorld({ accounts: 500, seed: 8 }).follows).not.toEqual(once.follows);
  });

  it('the follow in-degree is skewed: the top 1% of accounts hold more than 10% of the follows', () => {
    const world = generateWorld({ accounts: 2000, seed: 42 });
    const inDegrees = [...followerCounts(world).values()].sort((a, b) => b - a);
    const top = inDegrees.slice(0, 20).reduce((sum, n) => sum + n, 0);
    expect(top / world.follows.length).toBeGreaterThan(0.1);
    // …while most accounts have few followers.
    expect(inDegrees[1000]).toBeLessThan(inDegrees[0] / 10);
  });

  it('mixes kinds of accounts, inbox settings, protected and verified ones', () => {
    const { accounts, welcomeShown, appGrants } = generateWorld({ accounts: 2000, seed: 42 });
    const users = accounts.filter((a) => a.kind === 'user');
    const share = (p: (a: (typeof accounts)[number]) => boolean) => users.filter(p).length / users.length;
    expect(new Set(accounts.map((a) => a.kind))).toEqual(new Set(['user', 'business', 'bot', 'spammer', 'heavy']));
    expect(share((a) => a.inbox === 'following')).toBeGreaterThan(0.5);
    expect(share((a) => a.inbox === 'everyone')).toBeGreaterThan(0.05);
    expect(share((a) => a.inbox === 'verified')).toBeGreaterThan(0.03);
    for (const field of ['protected', 'verified', 'suspended'] as const) {
      expect(share((a) => a[field])).toBeGreaterThan(0);
      expect(share((a) => a[field])).toBeLessThan(0.1);
    }
    expect(accounts.filter((a) => a.kind === 'business').every((a) => a.verified && a.inbox === 'everyone')).toBe(true);
    expect(welcomeShown.length).toBeGreaterThan(0);
    expect(appGrants.length).toBeGreaterThan(0);
  });
});

describe('the demo world seeded through the decision path (300 accounts, 1 day)', () => {
  let first: TempService;
  let summary: DemoSummary;

  beforeAll(async () => {
    first = await tempService();
    summary = await seedDemo(first.service, small);
  }, 180_000);
  afterAll(() => first.close());

  it('produces every outcome', () => {
    for (const outcome of ['allow', 'request', 'deny', 'limit'] as const) expect(summary.decisions[outcome], outcome).toBeGreaterThan(0);
    expect(summary.attempts).toBe(Object.values(summary.decisions).reduce((a, b) => a + b, 0));
  });

  it('produces requests, blocks, duplicate spam and its cooldown, and the daily cap', () => {
    for (const reason of ['message_request', 'blocked', 'daily_limit']) expect(summary.reasons[reason], reason).toBeGreaterThan(0);
    expect((summary.reasons.duplicate_spam ?? 0) + (summary.reasons.duplicate_cooldown ?? 0)).toBeGreaterThan(0);
    expect(summary.reactions.blocks + summary.reactions.reports).toBeGreaterThan(0);
  });

  it('records every attempt in the decision log, at simulated times inside the period', async () => {
    const logged = await countDecisionLogAtMost(first.service.store.db, { from: start, to: start + 24 * 3_600_000 });
    expect(logged).toBe(summary.attempts);
  });

  it('the same seed gives the same graph and the same decisions', async () => {
    const second = await tempService();
    try {
      const again = await seedDemo(second.service, small);
      const { seconds: _a, ...expected } = summary;
      const { seconds: _b, ...actual } = again;
      expect(actual).toEqual(expected);
    } finally {
      await second.close();
    }
  }, 180_000);

  it('refuses a database that is not empty, naming what it holds', async () => {
    const refusal = seedDemo(first.service, small);
    await expect(refusal).rejects.toBeInstanceOf(DatabaseNotEmpty);
    await expect(refusal).rejects.toThrow(/not empty.*accounts, follows, decision_log/);
    expect(await seedDemoIfEmpty(first.service, small)).toBeNull();
  });
});

describe('refusing a database in use', () => {
  let used: TempService;
  beforeAll(async () => {
    used = await tempService();
    await used.service.store.writer.write((tx) => upsertAccount(tx, 'someone', { verified: true }, start));
  });
  afterAll(() => used.close());

  it('one account is enough to refuse, and nothing is written', async () => {
    await expect(seedDemo(used.service, small)).rejects.toThrow(/holds accounts\)/);
    expect(await countDecisionLogAtMost(used.service.store.db, { from: 0, to: Number.MAX_SAFE_INTEGER })).toBe(0);
  });

  it('the command exits with a clear message: while a service serves the file, and once it is not empty', async () => {
    const seed = () => promisify(execFile)(join(process.cwd(), 'node_modules/.bin/tsx'), ['server/demo/seed.ts', '--accounts', '300', '--days', '1'], {
      env: { ...process.env, DATABASE_URL: used.databaseUrl, DM_POLICY_BOOTSTRAP_TOKEN: 'demo-test-token-0123456789' },
    }).then(() => null, (error: { code: number; stderr: string }) => error);
    const whileServed = await seed();
    expect(whileServed?.code).toBe(1);
    expect(whileServed?.stderr).toMatch(/demo\.db is already served by process \d+: one service per database file/);

    await used.service.close();
    const notEmpty = await seed();
    expect(notEmpty?.code).toBe(1);
    expect(notEmpty?.stderr).toMatch(/demo refused: the database is not empty \(it already holds accounts\)/);
  }, 60_000);
});

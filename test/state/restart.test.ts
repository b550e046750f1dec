/**
 * Issue 10: kill -9 loses no acknowledged send, and a restarted service decides what follows exactly
 * as one that never stopped. One service plays a history and is killed (SIGKILL, in a child process);
 * another starts on its database file (the state rebuilt from libSQL) and answers a stream of sends;
 * a third plays the same history and stream without stopping. Their answers are the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../server/demo/world.ts';
import { childToken, startServer } from '../support/child-service.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { t0 } from '../support/world.ts';

interface Operation {
  method: string;
  path: string;
  body?: unknown;
  now: number;
}

const people = Array.from({ length: 16 }, (_, i) => `r${i}`);
const texts = ['buy now https://spam.example/x', 'hi', 'see you', 'news https://news.example/b'];

/** A history of graph changes, counter resets and sends (API and not, one sender spamming), at simulated times from `from`. */
function history(random: Random, steps: number, from: number): Operation[] {
  const ops: Operation[] = [];
  let now = from;
  for (let i = 0; i < steps; i++) {
    now += random.next() < 0.02 ? 3_600_000 : Math.floor(random.next() * 60_000);
    const spam = random.next() < 0.35;
    const a = spam ? 'r0' : random.pick(people);
    const b = random.pick(people.filter((p) => p !== a));
    const r = spam ? 0 : random.next();
    if (spam) ops.push({ method: 'POST', path: '/v1/sends', now, body: { senderId: a, recipientIds: [b], text: texts[0] } });
    else if (r < 0.6) {
      const api = random.next() < 0.4;
      ops.push({ method: 'POST', path: '/v1/sends', now, body: { senderId: a, recipientIds: [b], text: random.pick(texts), channel: api ? 'api' : 'web', ...(api ? { appId: 'app-r' } : {}) } });
    } else if (r < 0.75) ops.push({ method: 'PUT', path: `/v1/accounts/${b}/following/${a}`, now });
    else if (r < 0.8) ops.push({ method: 'PUT', path: `/v1/accounts/${a}/reports/${b}`, now });
    else if (r < 0.85) ops.push({ method: 'PUT', path: `/v1/accounts/${a}/accepted/${b}`, now });
    else if (r < 0.9) ops.push({ method: 'PUT', path: `/v1/accounts/${a}/app-grants/app-r`, now });
    else if (r < 0.95) ops.push({ method: 'PUT', path: `/v1/accounts/${a}/blocks/${b}`, now });
    else ops.push({ method: 'POST', path: `/v1/accounts/${a}/counters/reset`, now, body: { reason: 'restart test' } });
  }
  return ops;
}

async function play(url: string, token: string, ops: Operation[]): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const op of ops) {
    const res = await fetch(url + op.path, {
      method: op.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-simulated-now': new Date(op.now).toISOString() },
      body: op.body === undefined ? undefined : JSON.stringify(op.body),
    });
    const body = await res.json() as Record<string, unknown>;
    expect(res.status, `${op.method} ${op.path}: ${JSON.stringify(body)}`).toBe(op.path === '/v1/sends' || op.method === 'PUT' || op.path.endsWith('/reset') ? 200 : 201);
    // Ids are drawn at random; everything else must match.
    const { sendId: _sendId, ...decided } = body;
    answers.push(decided);
  }
  return answers;
}

describe('a service killed with SIGKILL and restarted on its database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-restart-'));
  const services: TestService[] = [];
  afterAll(async () => {
    for (const s of services) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decides the sends that follow exactly as a service that never stopped', async () => {
    const random = seededRandom(2026);
    const before = history(random, 400, t0);
    const after = history(random, 200, before[before.length - 1].now + 60_000);

    const steady = await startTestService({ preset: 'x-2023' });
    services.push(steady);
    const steadyBefore = await play(steady.url, 'test-admin-token-0123456789', before);

    const databaseUrl = `file:${join(dir, 'killed.db')}`;
    const killed = await startServer(databaseUrl, { DM_POLICY_PRESET: 'x-2023', DM_POLICY_CLIENT_CLOCK: '1' });
    const killedBefore = await play(killed.url, childToken, before);
    expect(killedBefore).toEqual(steadyBefore);
    killed.process.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');

    const restarted = await startTestService({ preset: 'x-2023', databaseUrl });
    services.push(restarted);
    const decisions = (answers: unknown[]) => answers.filter((a) => typeof a === 'object' && a !== null && 'decision' in a);
    const restartedAfter = await play(restarted.url, 'test-admin-token-0123456789', after);
    const steadyAfter = await play(steady.url, 'test-admin-token-0123456789', after);
    // A history that limits, refuses and admits, so that agreeing means something.
    const outcomes = new Set(decisions(steadyAfter).map((a) => (a as { decision: string }).decision));
    expect([...outcomes].sort()).toEqual(['allow', 'deny', 'limit', 'request']);
    expect(restartedAfter).toEqual(steadyAfter);
  }, 120_000);
});

// A send that finds the database locked by another writer past the busy timeout is refused with a
// 503 `storage_busy` and a Retry-After, records nothing, and counts nothing: the same request sent
// again once the lock is free is decided as the first send. A lock freed within the timeout is waited out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPathOf } from '../../db/client.ts';
import { openLocalConnection, type LocalConnection } from '../../db/local-connection.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, world } from '../support/world.ts';
import { userToken } from '../xapi/support.ts';

/** A service whose writes wait at most 300 ms for the lock, and another connection to its file that can hold the lock. */
async function lockableService(preset: 'x-2023' | 'x-api-v2'): Promise<{ s: TestService; other: LocalConnection; close(): Promise<void> }> {
  const s = await startTestService({ preset, busyTimeoutMs: 300 });
  const other = openLocalConnection(localPathOf(s.databaseUrl)!, { busyTimeoutMs: 1000, synchronous: 'normal' });
  return { s, other, close: async () => { other.native.close(); await s.close(); } };
}

describe('a database locked by another writer', () => {
  let s: TestService;
  let other: LocalConnection;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ s, other, close } = await lockableService('x-2023'));
    await world(s).follow('busy-bob', 'busy-alice');
  });
  afterAll(async () => { await close(); });

  const send = () => s.call('POST', '/v1/sends', { body: { senderId: 'busy-alice', recipientIds: ['busy-bob'], text: 'are you there?' }, now: at(1000) });
  const logged = () => other.native.prepare("select count(*) as n from decision_log where sender_id = 'busy-alice'").get() as { n: number };

  it('past the busy timeout: 503 storage_busy with Retry-After, nothing recorded', async () => {
    other.native.exec('BEGIN IMMEDIATE');
    try {
      const res = await send();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.body.error.code).toBe('storage_busy');
    } finally {
      other.native.exec('ROLLBACK');
    }
    expect(Number(logged().n)).toBe(0);
  });

  it('within the busy timeout: the send waits for the lock and is decided, counted once', async () => {
    other.native.exec('BEGIN IMMEDIATE');
    const release = setTimeout(() => other.native.exec('ROLLBACK'), 100);
    const res = await send();
    clearTimeout(release);
    if (other.native.inTransaction) other.native.exec('ROLLBACK');
    expect(res.status).toBe(200);
    expect(res.body.decision).toBe('allow');
    expect(res.body.quota.daily.used).toBe(1);
    expect(Number(logged().n)).toBe(1);
  });
});

describe('a database locked by another writer, on the X API surface', () => {
  let s: TestService;
  let other: LocalConnection;
  let close: () => Promise<void>;
  beforeAll(async () => { ({ s, other, close } = await lockableService('x-api-v2')); });
  afterAll(async () => { await close(); });

  it('a send past the busy timeout is a 503 problem with Retry-After, and nothing is recorded', async () => {
    for (const path of ['/v1/accounts/1000/app-grants/app1', '/v1/accounts/200/following/1000']) expect((await s.call('PUT', path, { body: {} })).status).toBe(200);
    const token = await userToken(s, '1000', 'app1');
    other.native.exec('BEGIN IMMEDIATE');
    let res: Awaited<ReturnType<TestService['call']>>;
    try {
      res = await s.call('POST', '/2/dm_conversations/with/200/messages', { token, body: { text: 'hello' } });
    } finally {
      other.native.exec('ROLLBACK');
    }
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ status: 503, title: 'Service Unavailable', errors: [expect.objectContaining({ title: 'Service Unavailable' })] });
    expect(Number((other.native.prepare("select count(*) as n from decision_log where sender_id = '1000'").get() as { n: number }).n)).toBe(0);
  });
});

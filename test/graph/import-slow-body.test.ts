/**
 * An import that arrives slowly holds up no decision (server/graph/import.ts): its body is received
 * and checked into a staging file first, while the service goes on deciding, and only a complete,
 * valid body is applied — in one writer job, all or nothing. Real sockets: the import is a
 * node:http request whose body the test writes a line at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { inArray } from 'drizzle-orm';
import { accounts, follows } from '../../db/schema.ts';
import { applyStagedImport, discardStagedImport, stageImport, stagingFolder } from '../../server/graph/import.ts';
import { adminToken, startTestService, type TestService } from '../support/service.ts';

const now = '2026-03-02T10:00:00Z';
/** How long an import body may stall here before its 408. */
const importIdleMs = 2000;
/** A decision that waits longer than this is waiting on the import. */
const answerWithinMs = 1000;

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ importIdleMs });
});
afterAll(() => service.close());

interface OpenImport {
  write(line: object): void;
  end(): void;
  /** The client goes away mid-body. */
  abort(): void;
  response: Promise<{ status: number; body: any }>;
}

/** POST /v1/import with a body the test writes as it goes (chunked), headers sent at once. */
function openImport(): OpenImport {
  const { hostname, port } = new URL(service.url);
  const req = request({
    hostname, port, path: '/v1/import', method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson', 'x-simulated-now': now },
  });
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  return {
    write: (line) => { req.write(`${JSON.stringify(line)}\n`); },
    end: () => req.end(),
    abort: () => req.destroy(),
    response,
  };
}

let texts = 0;
/** POST /v1/sends from `senderId` to `recipientId`, failing if it is not answered within `answerWithinMs`. */
async function decide(senderId: string, recipientId: string): Promise<{ decision: string; reason: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${service.url}/v1/sends`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', 'x-simulated-now': now },
    body: JSON.stringify({ senderId, recipientIds: [recipientId], text: `hello #${++texts}` }),
    signal: AbortSignal.timeout(answerWithinMs * 5),
  });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return { decision: body.decision, reason: body.reason, ms: performance.now() - started };
}

const stored = async (ids: string[]) =>
  (await service.service.store.db.select({ id: accounts.id }).from(accounts).where(inArray(accounts.id, ids))).map((r) => r.id).sort();

/** The follow that turns `sender`'s message request to `recipient` into an allowed message. */
const followBack = (sender: string, recipient: string) => ({ type: 'follow', from: recipient, to: sender });
const before = { decision: 'request', reason: 'message_request' };
const after = { decision: 'allow', reason: 'allowed' };

describe('a slow import', () => {
  it('trickling in a line at a time, holds up no decision, and none sees a line of it before it is applied', async () => {
    const lines = [followBack('tr-s', 'tr-r'), ...Array.from({ length: 11 }, (_, i) => ({ type: 'account', id: `tr-a${i}`, verified: true }))];
    const upload = openImport();
    const answers: Array<{ decision: string; reason: string }> = [];
    let slowest = 0;
    // On a timer, a line of the body, then a decision that must be answered before the next line.
    for (const line of lines) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      upload.write(line);
      const { ms, ...answer } = await decide('tr-s', 'tr-r');
      answers.push(answer);
      slowest = Math.max(slowest, ms);
    }
    expect(answers).toEqual(lines.map(() => before));
    expect(slowest).toBeLessThan(answerWithinMs);
    upload.end();
    expect(await upload.response).toEqual({
      status: 200,
      body: { imported: { accounts: 11, follows: 1, blocks: 0, reports: 0, accepted: 0, welcomeShown: 0, appGrants: 0 }, lines: 12 },
    });
    const { ms: _, ...answer } = await decide('tr-s', 'tr-r');
    expect(answer).toEqual(after);
    expect(await stored(['tr-a0', 'tr-a10'])).toEqual(['tr-a0', 'tr-a10']);
  }, 30_000);

  it('that stalls holds up no decision, then is abandoned with a 408, applying nothing', async () => {
    const upload = openImport();
    upload.write(followBack('st-s', 'st-r'));
    upload.write({ type: 'account', id: 'st-a', verified: true });
    let abandoned = false;
    void upload.response.then(() => { abandoned = true; });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const { ms, ...answer } = await decide('st-s', 'st-r');
      expect(ms).toBeLessThan(answerWithinMs);
      answers.push({ ...answer, abandoned });
    }
    // All three were answered while the import still waited for its body.
    expect(answers).toEqual([0, 1, 2].map(() => ({ ...before, abandoned: false })));
    expect(await upload.response).toMatchObject({ status: 408, body: { error: { code: 'import_stalled', path: 'body' } } });
    expect(await stored(['st-a'])).toEqual([]);
    expect((await service.service.store.db.select().from(follows).where(inArray(follows.followerId, ['st-r'])))).toEqual([]);
    const { ms: _, ...answer } = await decide('st-s', 'st-r');
    expect(answer).toEqual(before);
  }, 30_000);

  it('whose client goes away mid-body applies nothing, and the next import is applied', async () => {
    const upload = openImport();
    upload.write({ type: 'account', id: 'ab-a', verified: true });
    upload.write(followBack('ab-s', 'ab-r'));
    upload.abort();
    await expect(upload.response).rejects.toThrow();
    // Only a body read to its end is applied, so this one never can be; the next import goes through the same writer.
    const next = openImport();
    next.write({ type: 'account', id: 'ab-next', verified: true });
    next.end();
    expect((await next.response).status).toBe(200);
    expect(await stored(['ab-a', 'ab-next'])).toEqual(['ab-next']);
    const { ms: _, ...answer } = await decide('ab-s', 'ab-r');
    expect(answer).toEqual(before);
  }, 30_000);
});

describe('a staged import', () => {
  it('writes nothing to the database until applied, and its apply is one all-or-nothing job', async () => {
    const { store } = service.service;
    const body = [
      { type: 'account', id: 'sg-1', verified: true },
      { type: 'follow', from: 'sg-1', to: 'sg-2' },
      { type: 'account', id: 'sg-2', protected: true },
      { type: 'account', id: 'sg-1', inbox: 'everyone' },
      { type: 'follow', from: 'sg-2', to: 'sg-1' },
      { type: 'account', id: 'sg-1', verified: false },
    ].map((l) => JSON.stringify(l)).join('\n');
    // Chunks of two rows: accounts land in two chunks, and the later line for sg-1 must still win.
    const staged = await stageImport(new Blob([body]).stream(), Date.parse(now), {
      limits: { maxBodyBytes: 1 << 20, maxLineChars: 1024, chunkRows: 2, readIdleMs: 1000 }, dir: stagingFolder(store),
    });
    try {
      expect(staged.result).toEqual({ imported: { accounts: 4, follows: 2, blocks: 0, reports: 0, accepted: 0, welcomeShown: 0, appGrants: 0 }, lines: 6 });
      expect(await stored(['sg-1', 'sg-2'])).toEqual([]);

      const failing = store.writer.write(async (tx) => {
        await applyStagedImport(tx, service.service.state, staged);
        throw new Error('fails after applying');
      });
      await expect(failing).rejects.toThrow('fails after applying');
      expect(await stored(['sg-1', 'sg-2'])).toEqual([]);

      expect(await store.writer.write((tx) => applyStagedImport(tx, service.service.state, staged))).toEqual(staged.result);
      expect((await service.call('GET', '/v1/accounts/sg-1')).body).toEqual({ id: 'sg-1', verified: false, phoneVerified: false, protected: false, suspended: false, inbox: 'everyone' });
      expect((await service.call('GET', '/v1/accounts/sg-2')).body).toMatchObject({ protected: true });
      expect(await store.db.select({ from: follows.followerId, to: follows.followeeId }).from(follows).where(inArray(follows.followerId, ['sg-1', 'sg-2'])))
        .toEqual([{ from: 'sg-1', to: 'sg-2' }, { from: 'sg-2', to: 'sg-1' }]);
    } finally {
      await discardStagedImport(staged);
    }
  });
});

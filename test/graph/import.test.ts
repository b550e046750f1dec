/** POST /v1/import: NDJSON bulk load, streamed, all or nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { acceptedRequests, accounts, appGrants, blocks, follows, reports, welcomeMessages } from '../../db/schema.ts';
import { insertToken } from '../../db/stores/tokens.ts';
import { defaultImportLimits, importGraph } from '../../server/graph/import.ts';
import { adminToken, startTestService, type TestService } from '../support/service.ts';

let service: TestService;
const db = () => service.service.store.db;
const decideOnly = 'test-decide-only-token-import';

beforeAll(async () => {
  service = await startTestService();
  await service.service.store.writer.write((tx) => insertToken(tx, { name: 'decide-only', secret: decideOnly, scopes: ['decide'], now: Date.now() }));
});
afterAll(() => service.close());

const ndjson = (lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
const importBody = (rawBody: string, headers: Record<string, string> = { 'content-type': 'application/x-ndjson' }) =>
  service.call('POST', '/v1/import', { rawBody, headers, now: '2026-03-02T10:00:00Z' });

const rows = async (table: SQLiteTable) => (await db().select({ n: count() }).from(table))[0].n;
const totals = async () => ({
  accounts: await rows(accounts), follows: await rows(follows), blocks: await rows(blocks), reports: await rows(reports),
  accepted: await rows(acceptedRequests), welcomeShown: await rows(welcomeMessages), appGrants: await rows(appGrants),
});

describe('import', () => {
  it('a mixed import lands every row', async () => {
    const res = await importBody(ndjson([
      { type: 'account', id: 'm1', verified: true, inbox: 'everyone' },
      { type: 'account', id: 'm2', protected: true },
      { type: 'follow', from: 'm1', to: 'm2' },
      { type: 'follow', from: 'm2', to: 'm1' },
      { type: 'block', from: 'm1', to: 'm3' },
      { type: 'report', from: 'm2', to: 'm3' },
      { type: 'accepted', from: 'm2', to: 'm1' },
      { type: 'welcome_shown', from: 'm1', to: 'biz' },
      { type: 'app_grant', account: 'm1', app: 'app7' },
    ]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ imported: { accounts: 2, follows: 2, blocks: 1, reports: 1, accepted: 1, welcomeShown: 1, appGrants: 1 }, lines: 9 });
    expect(await totals()).toEqual({ accounts: 2, follows: 2, blocks: 1, reports: 1, accepted: 1, welcomeShown: 1, appGrants: 1 });
    expect((await service.call('GET', '/v1/accounts/m1')).body).toEqual({ id: 'm1', verified: true, phoneVerified: false, protected: false, suspended: false, inbox: 'everyone' });
    const at = Date.parse('2026-03-02T10:00:00Z');
    expect(await db().select().from(follows)).toEqual([{ followerId: 'm1', followeeId: 'm2', createdAt: at }, { followerId: 'm2', followeeId: 'm1', createdAt: at }]);
    expect(await db().select().from(blocks)).toEqual([{ blockerId: 'm1', blockedId: 'm3', createdAt: at }]);
    // The import's reports take its place in the recorded order: the first event of this database.
    expect(await db().select().from(reports)).toEqual([{ reporterId: 'm2', reportedId: 'm3', reportedAt: at, seq: 1 }]);
    expect(await db().select().from(acceptedRequests)).toEqual([{ recipientId: 'm2', senderId: 'm1', createdAt: at }]);
    expect(await db().select().from(welcomeMessages)).toEqual([{ accountId: 'm1', businessId: 'biz', createdAt: at }]);
    expect(await db().select().from(appGrants)).toEqual([{ accountId: 'm1', appId: 'app7', createdAt: at }]);
  });

  it('an account line changes only the fields it gives, and a later line for the same id wins', async () => {
    const res = await importBody(ndjson([
      { type: 'account', id: 'm1', suspended: true },
      { type: 'account', id: 'm2', inbox: 'verified' },
      { type: 'account', id: 'm2', inbox: 'everyone', phoneVerified: true },
    ]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await service.call('GET', '/v1/accounts/m1')).body).toMatchObject({ verified: true, suspended: true, inbox: 'everyone' });
    expect((await service.call('GET', '/v1/accounts/m2')).body).toMatchObject({ protected: true, phoneVerified: true, inbox: 'everyone' });
  });

  it('blank lines and CRLF line ends are fine', async () => {
    const res = await importBody('\n{"type":"follow","from":"b1","to":"b2"}\r\n   \n\r\n{"type":"follow","from":"b2","to":"b1"}');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ imported: { accounts: 0, follows: 2, blocks: 0, reports: 0, accepted: 0, welcomeShown: 0, appGrants: 0 }, lines: 5 });
  });

  it('an empty body imports nothing', async () => {
    const res = await importBody('');
    expect(res.status).toBe(200);
    expect(res.body.lines).toBe(0);
  });
});

describe('import refusals', () => {
  const refused = async (rawBody: string, path: string) => {
    const before = await totals();
    const res = await importBody(rawBody);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_import', path });
    expect(await totals()).toEqual(before);
    return res.body.error;
  };

  it('a bad line 3 of 5 refuses the whole import and applies nothing', async () => {
    const error = await refused(ndjson([
      { type: 'account', id: 'r1', verified: true },
      { type: 'follow', from: 'r1', to: 'r2' },
      { type: 'follow', from: 'r1', to: 'not an id' },
      { type: 'block', from: 'r2', to: 'r1' },
      { type: 'app_grant', account: 'r1', app: 'app1' },
    ]), 'line 3.to');
    expect(error.message).toMatch(/^line 3: /);
    expect(await db().select().from(accounts).where(eq(accounts.id, 'r1'))).toEqual([]);
  });

  it('a bad line after many chunks were written rolls them all back', async () => {
    const lines: unknown[] = [];
    // More lines than one INSERT takes (5 000), so that chunks were written before the bad line.
    for (let i = 0; i < 6000; i++) lines.push({ type: 'follow', from: `rb${i}`, to: `rb${i + 1}` }, { type: 'account', id: `rb${i}`, verified: true });
    lines.push({ type: 'follow', from: 'rb1', to: 'rb1' });
    await refused(ndjson(lines), 'line 12001.to');
    expect(await db().select().from(follows).where(eq(follows.followerId, 'rb0'))).toEqual([]);
  });

  it('after a refused import the writer goes on committing', async () => {
    expect((await service.call('PUT', '/v1/accounts/after/following/refusal')).status).toBe(200);
    expect(await db().select().from(follows).where(eq(follows.followerId, 'after'))).toHaveLength(1);
  });

  it('a write that fails while the rows are applied rolls back every row, and the decision state with them', async () => {
    // The rows are written by a thread of their own beside the state's apply (applyStagedImportAlongside);
    // a trigger makes its last chunk fail after earlier chunks were written and applied in memory.
    await db().run(sql`create trigger import_refused before insert on follows when new.follower_id = 'tb-refused'
      begin select raise(abort, 'refused by the test trigger'); end`);
    try {
      const lines: unknown[] = [{ type: 'account', id: 'tb1', verified: true }, { type: 'follow', from: 'tb1', to: 'tb2' }];
      for (let i = 0; i < 6000; i++) lines.push({ type: 'follow', from: `tb-filler${i}`, to: 'tb1' });
      lines.push({ type: 'follow', from: 'tb-refused', to: 'tb1' });
      const res = await importBody(ndjson(lines));
      expect(res.status).toBe(500);
    } finally {
      await db().run(sql`drop trigger import_refused`);
    }
    expect(await db().select().from(accounts).where(eq(accounts.id, 'tb1'))).toEqual([]);
    expect(await db().select().from(follows).where(eq(follows.followeeId, 'tb1'))).toEqual([]);
    // Had the in-memory graph kept tb1 -> tb2, tb2's message to tb1 (inbox: following) would be allowed.
    const send = await service.call('POST', '/v1/sends', { body: { senderId: 'tb2', recipientIds: ['tb1'], text: 'after the failed import' }, now: '2026-03-02T10:00:00Z' });
    expect(send.body).toMatchObject({ decision: 'request', reason: 'message_request' });
    // The same import without the refused line lands, and then the message is allowed.
    const again = await importBody(ndjson([{ type: 'account', id: 'tb1', verified: true }, { type: 'follow', from: 'tb1', to: 'tb2' }]));
    expect(again.status).toBe(200);
    const allowed = await service.call('POST', '/v1/sends', { body: { senderId: 'tb2', recipientIds: ['tb1'], text: 'after the import' }, now: '2026-03-02T10:00:00Z' });
    expect(allowed.body).toMatchObject({ decision: 'allow' });
  });

  it('names the faulty field, the unknown type or the unknown key', async () => {
    await refused('{"type":"follow","from":"a","to":"b"}\n{"type":"friend","from":"a","to":"b"}\n', 'line 2.type');
    await refused('{"type":"account","id":"a","verifed":true}\n', 'line 1.verifed');
    await refused('{"type":"account","id":"a","inbox":"friends"}\n', 'line 1.inbox');
    await refused('{"type":"app_grant","account":"a"}\n', 'line 1.app');
    await refused('{"type":"follow","from":"a","to":"b"}\n{"type":"follow",\n', 'line 2');
    await refused('[1,2]\n', 'line 1');
  });

  it('a line longer than 64 KiB is refused', async () => {
    const long = JSON.stringify({ type: 'account', id: 'a', pad: 'x'.repeat(70_000) });
    await refused(`{"type":"follow","from":"a","to":"b"}\n${long}\n`, 'line 2');
    await refused(`{"type":"follow","from":"a","to":"b"}\n${long}`, 'line 2');
  });

  it('a body that is not NDJSON is refused with 415', async () => {
    const body = '{"type":"follow","from":"a","to":"b"}\n';
    const refusedTypes: Array<Record<string, string>> = [{ 'content-type': 'application/json' }, { 'content-type': 'text/plain' }, {}];
    for (const headers of refusedTypes) {
      const res = await importBody(body, headers);
      expect(res.status).toBe(415);
      expect(res.body.error).toMatchObject({ code: 'unsupported_media_type', path: 'headers.Content-Type' });
    }
    expect((await importBody(body, { 'content-type': 'application/x-ndjson; charset=utf-8' })).status).toBe(200);
  });

  it('a body that stalls is abandoned and nothing is applied', async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) { controller.enqueue(new TextEncoder().encode('{"type":"follow","from":"st1","to":"st2"}\n')); },
    });
    const importing = importGraph(service.service, stalled, 0, { ...defaultImportLimits, readIdleMs: 50 });
    await expect(importing).rejects.toMatchObject({ status: 408, code: 'import_stalled' });
    expect((await service.call('PUT', '/v1/accounts/st1/following/st3')).status).toBe(200);
    expect(await db().select().from(follows).where(eq(follows.followerId, 'st1'))).toEqual([{ followerId: 'st1', followeeId: 'st3', createdAt: expect.any(Number) }]);
  });

  it('needs the graph scope', async () => {
    const res = await service.call('POST', '/v1/import', { rawBody: '', token: decideOnly, headers: { 'content-type': 'application/x-ndjson' } });
    expect(res.status).toBe(403);
  });
});

describe('import at size', () => {
  it('streams a 20 000-edge import sent in odd-sized chunks', async () => {
    const edges = 20_000;
    const lines: string[] = [];
    for (let i = 0; i < edges; i++) lines.push(JSON.stringify({ type: 'follow', from: `s${i % 1000}`, to: `s${(i * 7 + 1) % 1003}x` }));
    const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
    // Odd chunk sizes make lines straddle chunk boundaries.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 4093) controller.enqueue(bytes.subarray(at, at + 4093));
        controller.close();
      },
    });
    const started = performance.now();
    const res = await fetch(`${service.url}/v1/import`, {
      method: 'POST', body: stream, duplex: 'half',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
    } as RequestInit);
    const body = await res.json();
    const seconds = (performance.now() - started) / 1000;
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.imported.follows).toBe(edges);
    expect(body.lines).toBe(edges);
    const stored = (await db().select({ n: count() }).from(follows).where(eq(follows.followerId, 's0')))[0].n;
    expect(stored).toBe(20);
    console.info(`import: ${edges} edges in ${seconds.toFixed(2)} s (${Math.round(edges / seconds)} rows/s)`);
  });

  it('is described in the OpenAPI document as NDJSON', async () => {
    const doc = (await fetch(`${service.url}/openapi.json`).then((r) => r.json())) as any;
    const post = doc.paths['/v1/import'].post;
    expect(post.requestBody.content['application/x-ndjson'].schema.type).toBe('string');
    expect(post.description).toMatch(/welcome_shown/);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415']));
    expect(doc.paths['/v1/accounts/{id}/app-grants/{appId}'].delete).toBeDefined();
  });
});

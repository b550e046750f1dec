// Issue 3 §5: "every enforced decision with its input facts, version, arm, outcome, reason and deciding rule; searchable
// by account and time; a single decision can be re-explained with its trace. Message text is never stored: a fingerprint
// and a length stand in for it. Old entries can be pruned by age." DESIGN §2: "Every decision is explainable".
import { readFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../db/stores/audit.ts';
import { createHash } from 'node:crypto';
import { Fingerprinter, normaliseText } from '../../server/limits/fingerprint.ts';
import { loadFingerprintSecret } from '../../server/fingerprint-secret.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { at, minutes, world } from '../support/world.ts';

const days = (n: number) => n * 24 * 3_600_000;

describe('decision log', () => {
  let s: TestService;
  let w: ReturnType<typeof world>;
  beforeAll(async () => {
    s = await startTestService({ preset: 'x-2023' });
    w = world(s);
  });
  afterAll(async () => { await s.close(); });

  const get = async (path: string, token?: string | null, headers?: Record<string, string>) => {
    const res = await s.call('GET', path, { token, headers });
    return res;
  };
  const search = async (query: Record<string, string | number>) => {
    const res = await get(`/v1/decisions?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { items: any[]; nextCursor: string | null };
  };

  describe('search', () => {
    // alice → bob (bob follows her): allow; alice → carol: a message request; alice → dave (dave blocks her): deny;
    // erin → alice: a message request. One minute apart.
    beforeAll(async () => {
      await w.follow('sr-bob', 'sr-alice');
      await w.block('sr-dave', 'sr-alice');
      expect((await w.dm('sr-alice', 'sr-bob', at(minutes(1)))).decision).toBe('allow');
      expect((await w.dm('sr-alice', 'sr-carol', at(minutes(2)))).decision).toBe('request');
      expect((await w.dm('sr-alice', 'sr-dave', at(minutes(3)))).decision).toBe('deny');
      expect((await w.dm('sr-erin', 'sr-alice', at(minutes(4)))).decision).toBe('request');
    });

    it('finds what an account sent, newest first', async () => {
      const { items, nextCursor } = await search({ sender: 'sr-alice' });
      expect(items.map((e) => e.recipients)).toEqual([['sr-dave'], ['sr-carol'], ['sr-bob']]);
      expect(nextCursor).toBeNull();
      const [deny, request, allow] = items;
      expect(deny).toMatchObject({
        at: at(minutes(3)).toISOString(), sender: 'sr-alice', kind: 'direct', channel: 'web',
        decision: 'deny', reason: 'blocked', rule: 'block', version: 'x-2023', arm: null, sendId: null,
      });
      expect(request).toMatchObject({ decision: 'request', reason: 'message_request', rule: 'inbox-setting' });
      expect(request.sendId).toEqual(expect.any(String));
      expect(allow).toMatchObject({ decision: 'allow', reason: 'allowed', rule: null });
      for (const e of items) {
        expect(e.textLength).toBeGreaterThan(0);
        expect(e.textFingerprint).toMatch(/^text:/);
        expect(e).not.toHaveProperty('facts');
      }
    });

    it('finds what an account received', async () => {
      const { items } = await search({ recipient: 'sr-alice' });
      expect(items.map((e) => [e.sender, e.decision])).toEqual([['sr-erin', 'request']]);
      expect((await search({ recipient: 'sr-dave' })).items.map((e) => e.sender)).toEqual(['sr-alice']);
    });

    it('finds an account as sender or recipient', async () => {
      const { items } = await search({ account: 'sr-alice' });
      expect(items.map((e) => e.at)).toEqual([4, 3, 2, 1].map((m) => at(minutes(m)).toISOString()));
    });

    it('matches a recipient id exactly, never as a pattern or a substring', async () => {
      expect((await search({ recipient: 'sr_bob' })).items).toEqual([]);
      expect((await search({ recipient: 'sr-bo' })).items).toEqual([]);
      expect((await search({ recipient: 'sr-bob' })).items).toHaveLength(1);
    });

    it('finds by period: from inclusive, to exclusive', async () => {
      const { items } = await search({ account: 'sr-alice', from: at(minutes(2)).toISOString(), to: at(minutes(4)).toISOString() });
      expect(items.map((e) => e.recipients[0])).toEqual(['sr-dave', 'sr-carol']);
    });

    it('finds by decision, reason and version', async () => {
      expect((await search({ account: 'sr-alice', decision: 'deny' })).items.map((e) => e.recipients[0])).toEqual(['sr-dave']);
      expect((await search({ account: 'sr-alice', reason: 'message_request' })).items.map((e) => e.sender)).toEqual(['sr-erin', 'sr-alice']);
      expect((await search({ account: 'sr-alice', version: 'x-2023' })).items).toHaveLength(4);
      expect((await search({ account: 'sr-alice', version: 'twitter-2016' })).items).toHaveLength(0);
    });

    it('finds by deciding rule, kind and channel', async () => {
      expect((await search({ account: 'sr-alice', rule: 'block' })).items.map((e) => e.recipients[0])).toEqual(['sr-dave']);
      expect((await search({ account: 'sr-alice', rule: 'inbox-setting' })).items.map((e) => e.sender)).toEqual(['sr-erin', 'sr-alice']);
      expect((await search({ account: 'sr-alice', kind: 'direct', channel: 'web' })).items).toHaveLength(4);
      expect((await search({ account: 'sr-alice', channel: 'api' })).items).toEqual([]);
      expect((await search({ account: 'sr-alice', kind: 'group_create' })).items).toEqual([]);
    });

    it('refuses malformed searches with the offending path', async () => {
      const cases: Array<[string, string]> = [
        ['limit=501', 'query.limit'],
        ['limit=0', 'query.limit'],
        ['decision=maybe', 'query.decision'],
        ['kind=dm', 'query.kind'],
        ['channel=fax', 'query.channel'],
        ['from=yesterday', 'query.from'],
        ['from=2026-03-02T10:00:00', 'query.from'],
        ['cursor=not-a-cursor', 'query.cursor'],
        [`from=${at(minutes(2)).toISOString()}&to=${at(minutes(1)).toISOString()}`, 'query.to'],
      ];
      for (const [query, path] of cases) {
        const res = await get(`/v1/decisions?${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.path, query).toBe(path);
      }
    });
  });

  it('pages through every entry exactly once, ties in time included', async () => {
    // 23 sends, three or four per instant: the cursor must break ties by id.
    const sent = [];
    for (let i = 0; i < 23; i++) sent.push(await w.dm('pg-sender', `pg-r${i}`, at(minutes(10) + Math.floor(i / 4) * 1000)));
    const seen: string[] = [];
    const ats: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: any[]; nextCursor: string | null } = await search({ sender: 'pg-sender', limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((e) => e.id));
      ats.push(...page.items.map((e) => Date.parse(e.at)));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBe(6);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    const all = await search({ sender: 'pg-sender', limit: 500 });
    expect(all.items.map((e) => e.id)).toEqual(seen);
    expect(new Set(all.items.map((e) => e.sendId))).toEqual(new Set(sent.map((r) => r.sendId)));
  });

  describe('message text', () => {
    const text = 'Meet me by the Quokka-Marmalade-93731 fountain https://Secret-Link.example/zq93731?x=1';

    it('is never stored, but its length and fingerprint are', async () => {
      // The fingerprints are keyed with the installation's secret, which is in a file beside the database.
      const installation = new Fingerprinter(loadFingerprintSecret({ databaseUrl: s.databaseUrl }));
      await w.follow('tx-bob', 'tx-alice');
      const allowed = await w.dm('tx-alice', 'tx-bob', at(minutes(20)), { text });
      expect(allowed.decision).toBe('allow');
      await w.block('tx-carol', 'tx-alice');
      expect((await w.dm('tx-alice', 'tx-carol', at(minutes(21)), { text })).decision).toBe('deny');

      const { items } = await search({ sender: 'tx-alice' });
      expect(items).toHaveLength(2);
      for (const item of items) {
        const entry = await get(`/v1/decisions/${item.id}`);
        expect(entry.status).toBe(200);
        expect(entry.body.textLength).toBe([...text].length);
        expect(entry.body.textFingerprint).toBe(installation.text(text));
        expect(entry.body.fingerprints).toEqual(installation.message(text));
        expect(entry.body.request).toMatchObject({ senderId: 'tx-alice', kind: 'direct' });
        expect(entry.body.request).not.toHaveProperty('text');
        expect(JSON.stringify(entry.body)).not.toMatch(/quokka|marmalade|secret-link|zq93731/i);
      }

      // Every column of every table, then the bytes of the database file and its write-ahead log.
      const client = s.service.store.client;
      const tables = (await client.execute("select name from sqlite_master where type = 'table'")).rows.map((r) => String(r.name));
      for (const table of tables) {
        const rows = (await client.execute(`select * from "${table}"`)).rows;
        expect(JSON.stringify(rows), table).not.toMatch(/quokka|marmalade|secret-link|zq93731/i);
      }
      const file = String((await client.execute('pragma database_list')).rows.find((r) => r.name === 'main')!.file);
      const files = [file, `${file}-wal`].filter((f) => existsSync(f));
      const bytes = files.map((f) => readFileSync(f).toString('latin1').toLowerCase());
      // What was stored is there to find (the sender's id), so the absence below means something.
      expect(bytes.some((b) => b.includes('tx-alice'))).toBe(true);
      for (const [i, b] of bytes.entries()) {
        for (const part of ['quokka', 'marmalade', 'secret-link', 'zq93731']) expect(b.includes(part), `${files[i]} holds "${part}"`).toBe(false);
      }
    });

    it('cannot be found again by hashing a guess: fingerprints are keyed with a secret kept out of the database', async () => {
      const guess = 'ok';
      await w.follow('tx-dora', 'tx-erin');
      expect((await w.dm('tx-erin', 'tx-dora', at(minutes(30)), { text: guess })).decision).toBe('allow');
      const { items } = await search({ sender: 'tx-erin' });
      const stored = items[0].textFingerprint as string;
      // What anyone could compute from the text alone, unkeyed or keyed with any other secret, is not what was stored.
      const unkeyed = `text:${createHash('sha256').update(normaliseText(guess)).digest('base64url').slice(0, 22)}`;
      expect(stored).toMatch(/^text:/);
      expect(stored).not.toBe(unkeyed);
      expect(stored).not.toBe(new Fingerprinter(Buffer.from('another installation secret')).text(guess));
      // Only the installation's secret gives it back; it is nowhere in the database.
      const secret = loadFingerprintSecret({ databaseUrl: s.databaseUrl });
      expect(stored).toBe(new Fingerprinter(secret).text(guess));
      const client = s.service.store.client;
      const tables = (await client.execute("select name from sqlite_master where type = 'table'")).rows.map((r) => String(r.name));
      for (const table of tables) {
        const rows = (await client.execute(`select * from "${table}"`)).rows;
        expect(JSON.stringify(rows).includes(secret.toString('utf8')), table).toBe(false);
      }
    });
  });

  describe('entry and explanation', () => {
    it('keeps the facts each subject was decided on', async () => {
      await w.block('ex-dave', 'ex-alice');
      await w.dm('ex-alice', 'ex-dave', at(minutes(30)));
      const [item] = (await search({ sender: 'ex-alice' })).items;
      const entry = (await get(`/v1/decisions/${item.id}`)).body;
      expect(entry.facts).toHaveLength(1);
      expect(entry.facts[0].subject).toBe('ex-dave');
      expect(entry.facts[0].facts.recipient.id).toBe('ex-dave');
      expect(entry.facts[0].facts.relation).toBeTypeOf('object');
      expect(entry.facts[0].facts.params).toBeTypeOf('object');
    });

    it('re-explains a denial: the same decision, its deciding rule matched, with the fact values seen', async () => {
      const [item] = (await search({ sender: 'ex-alice', decision: 'deny' })).items;
      const res = await get(`/v1/decisions/${item.id}/explain`);
      expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
      const x = res.body;
      expect(x).toMatchObject({ id: item.id, version: 'x-2023', versionStatus: 'active', reproduced: true });
      expect(x.logged).toEqual({ decision: 'deny', reason: 'blocked', rule: 'block' });
      expect(x.explained).toEqual(x.logged);
      expect(x.subjects).toHaveLength(1);
      const [subject] = x.subjects;
      expect(subject).toMatchObject({ subject: 'ex-dave', decision: 'deny', reason: 'blocked', rule: 'block' });
      const doc = JSON.parse(readFileSync(new URL('../../rules/x-2023.json', import.meta.url), 'utf8'));
      expect(subject.trace.map((r: any) => r.rule)).toEqual(doc.rules.map((r: any) => r.name));
      const deciding = subject.trace.find((r: any) => r.rule === 'block');
      expect(deciding.matched).toBe(true);
      expect(JSON.stringify(deciding.conditions)).toContain('factResult');
    });

    it('re-explains an allow decided by the default and a request decided by a rule', async () => {
      await w.follow('ex-bob', 'ex-alice');
      await w.dm('ex-alice', 'ex-bob', at(minutes(31)));
      await w.dm('ex-alice', 'ex-carol', at(minutes(32)));
      const { items } = await search({ sender: 'ex-alice', from: at(minutes(31)).toISOString() });
      expect(items.map((e) => e.decision)).toEqual(['request', 'allow']);
      for (const item of items) {
        const x = (await get(`/v1/decisions/${item.id}/explain`)).body;
        expect(x.reproduced, JSON.stringify(x.explained)).toBe(true);
        expect(x.explained).toEqual({ decision: item.decision, reason: item.reason, rule: item.rule });
        const matched = x.subjects[0].trace.filter((r: any) => r.matched).map((r: any) => r.rule);
        if (item.rule) expect(matched).toContain(item.rule);
        else expect(matched).toEqual([]);
      }
    });

    it('re-explains a group creation per invitee, the most severe one deciding', async () => {
      await w.follow('gx-bob', 'gx-alice');
      await w.follow('gx-dave', 'gx-alice');
      await w.block('gx-dave', 'gx-alice');
      const res = await w.send({ senderId: 'gx-alice', recipientIds: ['gx-bob', 'gx-dave'], kind: 'group_create', text: 'hi all' }, at(minutes(33)));
      const [item] = (await search({ sender: 'gx-alice' })).items;
      expect(item.decision).toBe(res.decision);
      expect(item.recipients).toEqual(['gx-bob', 'gx-dave']);
      const x = (await get(`/v1/decisions/${item.id}/explain`)).body;
      expect(x.reproduced).toBe(true);
      expect(x.subjects.map((sub: any) => sub.subject)).toEqual(['gx-bob', 'gx-dave']);
      expect(x.subjects.map((sub: any) => sub.decision)).toEqual(res.recipients.map((r: any) => r.decision));
    });

    it('answers 404 with the path for an unknown entry', async () => {
      for (const path of ['/v1/decisions/nope', '/v1/decisions/nope/explain']) {
        const res = await get(path);
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({ code: 'not_found', path: 'params.id' });
      }
    });
  });

  describe('prune', () => {
    it('deletes only entries older than the age, in one audited step', async () => {
      const now = at(days(1));
      for (let i = 0; i < 3; i++) await w.dm('pr-old', `pr-r${i}`, at(-days(10) + minutes(i)));
      await w.dm('pr-recent', 'pr-r9', at(-days(5)));
      const before = await search({ limit: 500 });

      const res = await s.call('POST', '/v1/decisions/prune', { body: { olderThanDays: 7, reason: 'retention: 7 days' }, now });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ deleted: 3, before: new Date(now.getTime() - days(7)).toISOString() });
      expect(res.body.minutesDeleted).toBeGreaterThanOrEqual(1);

      expect((await search({ sender: 'pr-old' })).items).toEqual([]);
      expect((await search({ sender: 'pr-recent' })).items).toHaveLength(1);
      const after = await search({ limit: 500 });
      expect(after.items.length).toBe(before.items.length - 3);

      const audit = await queryAudit(s.service.store.db, { limit: 100 });
      const entry = audit.find((a) => a.action === 'decision_log.prune');
      expect(entry).toMatchObject({ actor: 'token:bootstrap', reason: 'retention: 7 days', at: now.getTime() });
      expect(entry!.diff).toMatchObject({ olderThanDays: 7, deleted: 3 });

      const figures = await s.call('GET', `/v1/figures?from=${at(-days(11)).toISOString()}&to=${at(-days(8)).toISOString()}&bucket=day`);
      expect(figures.body.totals.all).toBe(0);
    });

    it('refuses a bad age, a missing reason, and a caller who is no admin', async () => {
      const bad = await s.call('POST', '/v1/decisions/prune', { body: { olderThanDays: 0, reason: 'x' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toBe('body.olderThanDays');
      const noReason = await s.call('POST', '/v1/decisions/prune', { body: { olderThanDays: 3 } });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.path).toBe('body.reason');

      const created = await s.call('POST', '/v1/tokens', { body: { name: 'backend', scopes: ['decide'] } });
      expect(created.status).toBe(201);
      const service = created.body.secret;
      expect((await get('/v1/decisions', service)).status).toBe(403);
      expect((await s.call('POST', '/v1/decisions/prune', { body: { olderThanDays: 3, reason: 'x' }, token: service })).status).toBe(403);

      const password = 'viewer-password-0123456789';
      expect((await s.call('POST', '/v1/operators', { body: { username: 'dl-viewer', password, role: 'viewer' } })).status).toBe(201);
      const login = await s.call('POST', '/v1/auth/login', { body: { username: 'dl-viewer', password }, token: null });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const asViewer = { cookie, 'x-csrf-token': login.body.csrfToken };
      expect((await get('/v1/decisions?limit=1', null, asViewer)).status).toBe(200);
      const refused = await s.call('POST', '/v1/decisions/prune', { body: { olderThanDays: 3, reason: 'x' }, token: null, headers: asViewer });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    });
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await s.call('GET', '/openapi.json', { token: null })).body;
    for (const path of ['/v1/decisions', '/v1/decisions/{id}', '/v1/decisions/{id}/explain', '/v1/decisions/prune', '/v1/figures']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});

// DESIGN §5, Storage: with busy_timeout 0 a "database is locked" error silently loses later acknowledged
// writes, so every write goes through a transaction with a busy timeout, a lock error is a failure and never
// a success; kill -9 of the process must lose no acknowledged write.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../db/client.ts';
import { accounts, decisionLog } from '../../db/schema.ts';
import { childToken, startServer } from '../support/child-service.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-durability-'));
  dirs.push(dir);
  return join(dir, 'test.db');
};
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

/** What a fresh connection finds of the attempted ids: nothing acknowledged lost, nothing refused committed. */
async function audit(url: string, resolved: string[], rejected: string[]): Promise<void> {
  const check = await openStore({ url, timeoutMs: 10_000 });
  try {
    const rows = await check.db.select({ id: accounts.id }).from(accounts);
    const present = new Set(rows.map((r) => r.id));
    const lost = resolved.filter((id) => !present.has(id));
    const phantom = rejected.filter((id) => present.has(id));
    expect(lost, `${lost.length} acknowledged writes lost`).toEqual([]);
    expect(phantom, `${phantom.length} rejected writes were committed anyway`).toEqual([]);
    expect(present.size).toBe(resolved.length);
  } finally {
    await check.close();
  }
}

describe('two writers on one file', () => {
  const opened: Store[] = [];
  afterEach(async () => { while (opened.length) await opened.pop()!.close(); });

  it('two stores in one process: no acknowledged write is lost, no refused write is committed', async () => {
    const url = `file:${tempDb()}`;
    // Opened one after the other so that migrations don't race; then both write at once.
    // The driver is synchronous: while one store waits out the busy timeout it blocks the thread, so the
    // other can't commit until the wait ends — contention in one process resolves by timeouts. A short
    // timeout keeps this quick; what matters is that every outcome reported is the true one.
    const a = await openStore({ url, timeoutMs: 500 });
    opened.push(a);
    const b = await openStore({ url, timeoutMs: 500 });
    opened.push(b);

    const perWriter = 500;
    const attempts: Array<{ id: string; result: Promise<unknown> }> = [];
    for (let i = 0; i < perWriter; i++) {
      for (const [name, store] of [['a', a], ['b', b]] as const) {
        const id = `dur-${name}-${i}`;
        attempts.push({ id, result: store.writer.write((tx) => tx.insert(accounts).values({ id, updatedAt: i })) });
      }
    }
    const settled = await Promise.allSettled(attempts.map((x) => x.result));
    const resolved = attempts.filter((_, i) => settled[i].status === 'fulfilled').map((x) => x.id);
    const rejected = attempts.filter((_, i) => settled[i].status === 'rejected').map((x) => x.id);
    expect(resolved.length + rejected.length).toBe(2 * perWriter);
    expect(resolved.length, 'some writes succeed').toBeGreaterThan(0);
    // A failure is a lock error reported as a failure, nothing else.
    for (const s of settled) {
      if (s.status === 'rejected') expect(String((s.reason as any)?.cause ?? s.reason)).toMatch(/database is locked|SQLITE_BUSY/i);
    }

    await a.close();
    await b.close();
    opened.length = 0;
    await audit(url, resolved, rejected);
  });

  it('two processes: with a busy timeout every write succeeds, and none is lost', async () => {
    const url = `file:${tempDb()}`;
    await (await openStore({ url, timeoutMs: 10_000 })).close(); // create and migrate once

    const perWriter = 500;
    const writers = ['p1', 'p2'].map((prefix) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/db/support/contend-writer.ts', url, prefix, String(perWriter), '10000'], {
        cwd: root, stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      const ready = new Promise<void>((resolve, reject) => {
        const onData = () => { if (out.includes('ready')) { child.stdout.off('data', onData); resolve(); } };
        child.stdout.on('data', onData);
        child.once('exit', (code) => reject(new Error(`writer ${prefix} exited ${code} before ready: ${err}`)));
      });
      const done = new Promise<{ resolved: string[]; rejected: Array<{ id: string; error: string }> }>((resolve, reject) => {
        child.once('exit', (code) => {
          const last = out.trim().split('\n').pop() ?? '';
          if (code !== 0) reject(new Error(`writer ${prefix} exited ${code}: ${err}`));
          else resolve(JSON.parse(last));
        });
      });
      return { child, ready, done };
    });
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.child.stdin.end('go\n');
    const results = await Promise.all(writers.map((w) => w.done));

    const resolved = results.flatMap((r) => r.resolved);
    const rejected = results.flatMap((r) => r.rejected);
    expect(resolved.length + rejected.length).toBe(2 * perWriter);
    await audit(url, resolved, rejected.map((r) => r.id));
    expect(rejected, 'no write fails with a 10 s busy timeout and grouped commits').toEqual([]);
  }, 30_000);
});

describe('kill -9 of the service', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  it('every acknowledged allowed send is in the decision log after a SIGKILL mid-load and a restart', async () => {
    const path = tempDb();
    const databaseUrl = `file:${path}`;
    const first = await startServer(databaseUrl);
    children.push(first.process);

    const api = (url: string, method: string, route: string, body?: unknown) => fetch(url + route, {
      method,
      headers: { authorization: `Bearer ${childToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

    // Recipients who take messages from everyone, so that every send is allowed (x-2023, R4).
    const recipients = Array.from({ length: 20 }, (_, i) => `kill-r${i}`);
    for (const r of recipients) {
      const res = await api(first.url, 'PUT', `/v1/accounts/${r}`, { inbox: 'everyone' });
      expect(res.status).toBe(200);
    }

    // Up to `total` sends, `concurrency` at a time, from 40 senders (well under the daily cap of 500, unique texts).
    const total = 600;
    const concurrency = 64;
    const killAfter = 150;
    const acknowledged: Array<{ sendId: string; senderId: string }> = [];
    let otherAnswers = 0;
    let failures = 0;
    let issued = 0;
    let killed = false;
    const kill = () => {
      if (!killed) { killed = true; first.process.kill('SIGKILL'); }
    };

    const worker = async () => {
      while (!killed && issued < total) {
        const i = issued++;
        const senderId = `kill-s${i % 40}`;
        try {
          const res = await api(first.url, 'POST', '/v1/sends', { senderId, recipientIds: [recipients[i % recipients.length]], text: `message ${i} ${Math.random()}` });
          const body = await res.json() as any;
          if (res.status === 200 && body.decision === 'allow' && typeof body.sendId === 'string') acknowledged.push({ sendId: body.sendId, senderId });
          else otherAnswers++;
        } catch {
          failures++; // cut off by the kill: not acknowledged
        }
        if (acknowledged.length >= killAfter) kill();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    kill();
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(otherAnswers, 'every answered send is allowed').toBe(0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    expect(issued, 'the kill came before the load ended').toBeLessThan(total);

    // Restart on the same file: it recovers and serves.
    const second = await startServer(databaseUrl);
    children.push(second.process);
    const after = await api(second.url, 'POST', '/v1/sends', { senderId: 'kill-after', recipientIds: [recipients[0]], text: 'after the restart' });
    expect(after.status).toBe(200);
    expect(((await after.json()) as any).decision).toBe('allow');

    // The quota a sender sees after the restart counts at least its acknowledged sends.
    const bySender = new Map<string, number>();
    for (const a of acknowledged) bySender.set(a.senderId, (bySender.get(a.senderId) ?? 0) + 1);
    const [someSender, ackCount] = [...bySender.entries()][0];
    const quota = await api(second.url, 'POST', '/v1/sends/check', { senderId: someSender, recipientIds: [recipients[1]], text: 'quota?' });
    const quotaBody = await quota.json() as any;
    expect(quotaBody.quota.daily.used).toBeGreaterThanOrEqual(ackCount + 1);

    second.process.kill('SIGTERM');
    await second.exited;

    // Every acknowledged sendId is in the decision log.
    const store = await openStore({ url: databaseUrl, timeoutMs: 10_000 });
    try {
      const ids = acknowledged.map((a) => a.sendId);
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += 200) {
        const rows = await store.db.select({ id: decisionLog.sendId }).from(decisionLog).where(inArray(decisionLog.sendId, ids.slice(i, i + 200)));
        rows.forEach((r) => found.add(r.id!));
      }
      const lost = ids.filter((id) => !found.has(id));
      expect(lost, `${lost.length} of ${ids.length} acknowledged sends lost`).toEqual([]);
      const [{ n }] = await store.db.select({ n: sql<number>`count(*)` }).from(decisionLog).where(sql`${decisionLog.sendId} is not null`);
      expect(n).toBeGreaterThanOrEqual(ids.length + 1);
    } finally {
      await store.close();
    }
  }, 30_000);
});

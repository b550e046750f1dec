/**
 * One service per local database file (server/writer-lock.ts): the decision path's kept state is
 * exact only while its service is the file's only writer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../server/config.ts';
import { createService } from '../../server/service.ts';

const dir = mkdtempSync(join(tmpdir(), 'dm-policy-single-writer-'));
const config = (file: string): Config => ({
  port: 0, host: '127.0.0.1', databaseUrl: `file:${join(dir, file)}`, preset: 'x-2023', clientClock: false,
  bootstrapToken: 'single-writer-token-0123456789', busyTimeoutMs: 10_000,
});

describe('one service per database file', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a second service on the same file refuses to start until the first has closed', async () => {
    const first = await createService(config('a.db'));
    await expect(createService(config('a.db'))).rejects.toThrow(/already served by this process: one service per database file/);
    await first.close();
    const second = await createService(config('a.db'));
    await second.close();
  });

  it('starts on a database whose folder does not exist yet (a first start)', async () => {
    const service = await createService(config('new/folder/d.db'));
    await service.close();
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, 'b.db.writer-lock'), String(gone));
    const service = await createService(config('b.db'));
    await service.close();
  });

  it('refuses a lock held by another running process', async () => {
    writeFileSync(join(dir, 'c.db.writer-lock'), String(process.ppid));
    await expect(createService(config('c.db'))).rejects.toThrow(`already served by process ${process.ppid}`);
  });
});

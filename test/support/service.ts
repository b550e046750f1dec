/** Starts the real service over HTTP — on a temporary libSQL file by default — for one test suite. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexerOptions } from '../../db/log-indexer.ts';
import type { Config, PresetName } from '../../server/config.ts';
import { createService, type Service } from '../../server/service.ts';

export const adminToken = 'test-admin-token-0123456789';

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  /** The bearer token; the admin's by default, none with null. */
  token?: string | null;
  /** Sent as X-Simulated-Now. */
  now?: string | Date;
  headers?: Record<string, string>;
}

export interface TestService {
  url: string;
  /** The database it serves (a temporary file unless one was given). */
  databaseUrl: string;
  service: Service;
  /** Calls the API as the admin (or with `token`), at simulated time `now` when given. */
  call(method: string, path: string, options?: CallOptions): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  preset?: PresetName;
  clientClock?: boolean;
  adminPassword?: string;
  /** Another database (e.g. a libSQL server); a temporary file, removed on close, by default. */
  databaseUrl?: string;
  databaseAuthToken?: string;
  syncMs?: number;
  /** How long an import body may stall before its 408 (Config.importIdleMs). */
  importIdleMs?: number;
  /** The log indexer's options: a bucket size of a few, to cross buckets; a long idle wait. */
  logIndexer?: IndexerOptions;
  /** How long a write may find the database locked before it is refused (Config.busyTimeoutMs; 10 s). */
  busyTimeoutMs?: number;
  /** How long a sender shard's lease lasts on a shared server (Config.leaseMs; 2 s). */
  leaseMs?: number;
  /** What the instance's id starts with on a shared server (Config.instanceName). */
  instanceName?: string;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dir = options.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'dm-policy-test-'));
  const config: Config = {
    port: 0, host: '127.0.0.1', databaseUrl: options.databaseUrl ?? `file:${join(dir!, 'test.db')}`, databaseAuthToken: options.databaseAuthToken,
    preset: options.preset ?? 'x-2023', clientClock: options.clientClock ?? true, bootstrapToken: adminToken, busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
    adminPassword: options.adminPassword, syncMs: options.syncMs, logIndexer: options.logIndexer, importIdleMs: options.importIdleMs,
    leaseMs: options.leaseMs, instanceName: options.instanceName,
  };
  const service = await createService(config);
  const { url } = await service.listen();
  return {
    url, service, databaseUrl: config.databaseUrl,
    call: (method, path, opts = {}) => callApi(url, method, path, opts),
    async close() {
      await service.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function callApi(url: string, method: string, path: string, opts: CallOptions) {
  const headers: Record<string, string> = { ...opts.headers };
  const token = opts.token === undefined ? adminToken : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.now !== undefined) headers['x-simulated-now'] = opts.now instanceof Date ? opts.now.toISOString() : opts.now;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* keep the text */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

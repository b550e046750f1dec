/** The service's configuration, read once from the environment. */
import { z } from 'zod';
import type { IndexerOptions } from '../db/log-indexer.ts';

export const presetNames = ['twitter-2016', 'x-2023', 'x-api-v2'] as const;
export type PresetName = (typeof presetNames)[number];

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const environment = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().default('file:data/dm-policy.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  DM_POLICY_PRESET: z.enum(presetNames).default('x-2023'),
  DM_POLICY_CLIENT_CLOCK: flag.default(false),
  DM_POLICY_BOOTSTRAP_TOKEN: z.string().min(16).optional(),
  DM_POLICY_ADMIN_PASSWORD: z.string().min(12).optional(),
  DM_POLICY_BUSY_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  DM_POLICY_SYNC_MS: z.coerce.number().int().min(0).default(1000),
  DM_POLICY_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  DM_POLICY_FINGERPRINT_SECRET: z.string().min(16).optional(),
  DM_POLICY_FINGERPRINT_KEY_FILE: z.string().min(1).optional(),
  DM_POLICY_PEER_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  DM_POLICY_PEER_URL: z.string().url().optional(),
  DM_POLICY_LEASE_MS: z.coerce.number().int().min(200).default(2000),
  DM_POLICY_INSTANCE_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" and "-", at most 64').optional(),
  DM_POLICY_DEMO: flag.default(false),
  DM_POLICY_DEMO_ACCOUNTS: z.coerce.number().int().min(100).max(1_000_000).default(2000),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken?: string;
  preset: PresetName;
  clientClock: boolean;
  bootstrapToken?: string;
  /** The first operator's (`admin`) password, used only when no operator exists yet. */
  adminPassword?: string;
  busyTimeoutMs: number;
  /**
   * SQLite's `synchronous` for the local writer. `normal` (default): a commit reaches the WAL
   * file without an fsync — an acknowledged send survives any crash of the process, and a power
   * loss once the WAL is checkpointed. `full`: an fsync per commit (per writer batch) as well.
   */
  synchronous?: 'normal' | 'full';
  /** How often (ms) to pick up versions and experiments switched by other instances (server/policy/sync.ts); 0: never. Default 1000. */
  syncMs?: number;
  /**
   * The secret message fingerprints are keyed with (R14), kept out of the database. Every instance
   * on one database needs the same one; without it, `fingerprintKeyFile` holds it.
   */
  fingerprintSecret?: string;
  /** Where the fingerprint secret is kept (created on first start); default `fingerprint.key` beside a local database, else under data/. */
  fingerprintKeyFile?: string;
  /** How long (ms) an import's body may stall before the import is abandoned with a 408. Default 30 000. */
  importIdleMs?: number;
  /** The log indexer's options (db/log-indexer.ts: bucket size, idle wait); code only, for tests. */
  logIndexer?: IndexerOptions;
  /**
   * Where instances share a libSQL server: the port of this one's peer server, which takes the
   * decisions other instances forward for the senders it owns (0: any free port; it is published in
   * the database). Default 0.
   */
  peerPort?: number;
  /**
   * The address the other instances reach the peer server at, where it differs from
   * `http://HOST:port` (behind NAT, a container's published port). Listening on every interface
   * (HOST 0.0.0.0 or ::) without it publishes this machine's hostname.
   */
  peerUrl?: string;
  /** How long (ms) a sender shard's lease and an instance's heartbeat last on a shared server. Default 2 000. */
  leaseMs?: number;
  /** On a shared server, what this instance's id starts with (a host or pod name); a fresh part follows it at every start. */
  instanceName?: string;
  /** Fill an empty database with the demo world on start (server/demo). */
  demo?: boolean;
  /** The demo world's size, in accounts. */
  demoAccounts?: number;
}

/** Reads the configuration; a bad value stops the start with a message naming the variable. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT, host: e.HOST, databaseUrl: e.DATABASE_URL, databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    preset: e.DM_POLICY_PRESET, clientClock: e.DM_POLICY_CLIENT_CLOCK, bootstrapToken: e.DM_POLICY_BOOTSTRAP_TOKEN,
    adminPassword: e.DM_POLICY_ADMIN_PASSWORD,
    busyTimeoutMs: e.DM_POLICY_BUSY_TIMEOUT_MS, synchronous: e.DM_POLICY_SYNCHRONOUS, syncMs: e.DM_POLICY_SYNC_MS,
    fingerprintSecret: e.DM_POLICY_FINGERPRINT_SECRET, fingerprintKeyFile: e.DM_POLICY_FINGERPRINT_KEY_FILE,
    peerPort: e.DM_POLICY_PEER_PORT, peerUrl: e.DM_POLICY_PEER_URL, leaseMs: e.DM_POLICY_LEASE_MS, instanceName: e.DM_POLICY_INSTANCE_NAME,
    demo: e.DM_POLICY_DEMO, demoAccounts: e.DM_POLICY_DEMO_ACCOUNTS,
  };
}

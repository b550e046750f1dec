/** Wires database, policies and app together, and serves them over HTTP. */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { localPathOf, openStore, type Store } from '../db/client.ts';
import { countTokens, insertToken, newSecret } from '../db/stores/tokens.ts';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import { answerClientError } from './http/client-errors.ts';
import { ApiError } from './http/errors.ts';
import { acquireWriterLock } from './writer-lock.ts';
import { tuneHeap } from './heap-tuning.ts';
import { PolicyRegistry } from './policy/registry.ts';
import { DecisionService } from './decisions/service.ts';
import { appendAudit } from '../db/stores/audit.ts';
import { countOperators, insertOperator } from '../db/stores/operators.ts';
import { generatePassword, hashPassword } from './operators/passwords.ts';
import { ExperimentRegistry } from './lifecycle/experiments/registry.ts';
import { startPolicySync } from './policy/sync.ts';
import { Fingerprinter } from './limits/fingerprint.ts';
import { loadFingerprintSecret } from './fingerprint-secret.ts';
import { LiveState } from './state/live-state.ts';
import { Metrics } from './metrics/metrics.ts';
import { SenderOwnership } from './cluster/ownership.ts';
import { NotOwner } from './cluster/forwarding.ts';
import { startPeerServer, type PeerHandlers, type PeerServer } from './cluster/peer-server.ts';
import { journalThroughLeader } from './cluster/journal.ts';

export interface Service {
  app: App;
  decisions: DecisionService;
  /** The decision state held in memory. */
  state: LiveState;
  /** Which senders this instance decides for, where instances share a libSQL server; null on a local file. */
  ownership: SenderOwnership | null;
  store: Store;
  policies: PolicyRegistry;
  /** The admin secret generated on this start, when no token existed and none was configured. */
  generatedToken: string | null;
  /** The password of the `admin` operator created on this start, when none existed and none was configured. */
  generatedAdminPassword: string | null;
  listen(): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export async function createService(config: Config): Promise<Service> {
  tuneHeap();
  const localPath = localPathOf(config.databaseUrl);
  const releaseLock = localPath ? acquireWriterLock(localPath) : () => {};
  const store = await openStore({
    url: config.databaseUrl, authToken: config.databaseAuthToken, timeoutMs: config.busyTimeoutMs, synchronous: config.synchronous,
    isClientError: (error) => error instanceof ApiError && error.status < 500,
    indexer: config.logIndexer,
  }).catch((error) => {
    releaseLock();
    throw error;
  });
  const now = Date.now();
  const policies = await PolicyRegistry.open(store, { preset: config.preset, now });
  const generatedToken = await ensureBootstrapToken(store, config.bootstrapToken, now);
  const generatedAdminPassword = await ensureFirstOperator(store, config.adminPassword, now);
  const experiments = await ExperimentRegistry.open(store, policies);
  const state = await LiveState.open(store);
  // Answers the indexer has stored no longer need to be held in memory.
  store.indexer.onProgress((p) => state.idempotency.forgetIndexed(p.indexedThrough));
  const fingerprinter = new Fingerprinter(loadFingerprintSecret(config));
  // The peer server starts before the decision service exists; it is asked nothing until the first round has claimed shards.
  let decideForPeer: PeerHandlers['decide'] = () => Promise.reject(new NotOwner('this instance is starting'));
  const leaseMs = config.leaseMs ?? 2000;
  const cluster = state.shared ? await joinCluster(store, config, leaseMs, {
    decide: (request, now) => decideForPeer(request, now),
    run: (statements) => store.writer.runForPeer(statements),
  }) : null;
  const decisions: DecisionService = new DecisionService(store, state, policies, experiments, fingerprinter, cluster?.ownership ?? null, 5 * leaseMs);
  // An indexer that found nothing waits for the next decision instead of polling the log for it.
  decisions.onEnforced(() => store.indexer.logAppended());
  decideForPeer = (request, now) => decisions.enforceForPeer(request, now);
  const metrics = Metrics.attach({ decisions, state, store, ownership: cluster?.ownership ?? null });
  const app = createApp({ store, config, policies, experiments, decisions, state, metrics });
  const sync = startPolicySync({ store, policies, experiments, intervalMs: config.syncMs ?? 1000 });
  let server: ServerType | null = null;
  let closed = false;

  return {
    app, store, policies, decisions, state, generatedToken, generatedAdminPassword, ownership: cluster?.ownership ?? null,
    listen: () => new Promise((resolve) => {
      server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, createServer }, (info: AddressInfo) => {
        resolve({ url: `http://${config.host}:${info.port}`, port: info.port });
      });
      server.on('clientError', answerClientError);
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await cluster?.ownership.stop();
      await cluster?.peer.close();
      await sync.stop();
      await store.writer.idle();
      await store.close();
      releaseLock();
    },
  };
}

/**
 * On a shared libSQL server: this instance's peer server (the decisions other instances forward for
 * the senders it owns, and their appends where it writes the journal), then its share of the
 * senders' shards (server/cluster/ownership.ts), and its appends sent through the journal's writer.
 */
async function joinCluster(store: Store, config: Config, leaseMs: number, handlers: PeerHandlers): Promise<{ ownership: SenderOwnership; peer: PeerServer }> {
  const secret = randomBytes(24).toString('base64url');
  const peer = await startPeerServer(config.host, config.peerPort ?? 0, secret, handlers, config.peerUrl);
  const ownership = await SenderOwnership.start(store, { peerUrl: peer.url, secret, leaseMs, beatMs: Math.max(50, Math.floor(leaseMs / 8)), name: config.instanceName });
  store.writer.commitDecidedThrough(journalThroughLeader(ownership));
  store.indexer.runOnlyWhile?.(() => ownership.journal === null);
  return { ownership, peer };
}

/**
 * The configured bootstrap token is (re)created as an admin token; with none configured and no token
 * at all, one is generated and returned so that start-up can print it once.
 */
async function ensureBootstrapToken(store: Store, configured: string | undefined, now: number): Promise<string | null> {
  return store.writer.write(async (tx) => {
    if (configured) {
      await insertToken(tx, { name: 'bootstrap', secret: configured, scopes: ['admin'], now });
      return null;
    }
    if ((await countTokens(tx)) > 0) return null;
    const secret = newSecret();
    await insertToken(tx, { name: 'bootstrap', secret, scopes: ['admin'], now });
    return secret;
  });
}

/**
 * With no operator at all, creates `admin` (role admin) with the configured password, or with a
 * generated one that is returned so that start-up can print it once.
 */
async function ensureFirstOperator(store: Store, configured: string | undefined, now: number): Promise<string | null> {
  if ((await countOperators(store.db)) > 0) return null;
  const password = configured ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const created = await store.writer.write(async (tx) => {
    if ((await countOperators(tx)) > 0) return false;
    const admin = await insertOperator(tx, { username: 'admin', passwordHash, role: 'admin', now });
    if (!admin) return false;
    await appendAudit(tx, { at: now, actor: 'system', action: 'operator.create', subject: `operator:${admin.id}`, diff: { username: 'admin', role: 'admin' } });
    return true;
  });
  return created && !configured ? password : null;
}

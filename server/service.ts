/** Wires database, policies and app together, and serves them over HTTP. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { openStore, type Store } from '../db/client.ts';
import { countTokens, insertToken, newSecret } from '../db/stores/tokens.ts';
import { createApp, type App } from './app.ts';
import type { Config } from './config.ts';
import { PolicyRegistry } from './policy/registry.ts';

export interface Service {
  app: App;
  store: Store;
  policies: PolicyRegistry;
  /** The admin secret generated on this start, when no token existed and none was configured. */
  generatedToken: string | null;
  listen(): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export async function createService(config: Config): Promise<Service> {
  const store = await openStore({ url: config.databaseUrl, authToken: config.databaseAuthToken, timeoutMs: config.busyTimeoutMs });
  const now = Date.now();
  const policies = await PolicyRegistry.open(store, { preset: config.preset, now });
  const generatedToken = await ensureBootstrapToken(store, config.bootstrapToken, now);
  const app = createApp({ store, config, policies });
  let server: ServerType | null = null;

  return {
    app, store, policies, generatedToken,
    listen: () => new Promise((resolve) => {
      server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, createServer }, (info: AddressInfo) => {
        resolve({ url: `http://${config.host}:${info.port}`, port: info.port });
      });
    }),
    close: async () => {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await store.writer.idle();
      store.close();
    },
  };
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

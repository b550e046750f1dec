/**
 * The real twitter-api-v2 client pointed at the real service: a plugin rewrites X's host to the
 * service's URL (the client has no base-URL setting) and sends the suite's simulated clock.
 */
import http from 'node:http';
import { expect } from 'vitest';
import { TwitterApi, type ITwitterApiClientPlugin, type ITwitterApiBeforeRequestConfigHookArgs } from 'twitter-api-v2';
import { TwitterApiRateLimitPlugin } from '@twitter-api-v2/plugin-rate-limit';
import { createDmPolicyClient, type Schemas } from '../../client/index.ts';
import { adminToken, type TestService } from '../support/service.ts';

/** What every request of a client sends as X-Simulated-Now. */
export interface SimulatedClock {
  now: Date;
}

/** Sends the client's requests to `baseUrl` instead of api.x.com, at the clock's time. */
export class LocalServicePlugin implements ITwitterApiClientPlugin {
  constructor(private readonly baseUrl: string, private readonly clock: SimulatedClock) {}

  onBeforeRequestConfig(args: ITwitterApiBeforeRequestConfigHookArgs) {
    const url = new URL(args.params.url);
    args.params.url = `${this.baseUrl}${url.pathname}${url.search}`;
    args.params.headers = { ...args.params.headers, 'x-simulated-now': this.clock.now.toISOString() };
  }
}

export interface XClient {
  client: TwitterApi;
  rateLimits: TwitterApiRateLimitPlugin;
}

/** An unmodified TwitterApi with a bearer token, talking plain HTTP to the service. */
export function xClient(service: TestService, token: string, clock: SimulatedClock): XClient {
  const rateLimits = new TwitterApiRateLimitPlugin();
  const client = new TwitterApi(token, { plugins: [new LocalServicePlugin(service.url, clock), rateLimits], httpAgent: new http.Agent() });
  return { client, rateLimits };
}

/** POST /v1/tokens as the admin, through the typed client: the new token's secret. */
export async function createToken(service: TestService, token: Schemas['NewToken']): Promise<string> {
  const { data, error } = await createDmPolicyClient({ baseUrl: service.url, token: adminToken }).POST('/v1/tokens', { body: token });
  expect(error, JSON.stringify(error)).toBeUndefined();
  return data!.secret;
}

/** A user token of `appId` for `userId`, with both DM scopes. */
export const userToken = (service: TestService, userId: string, appId: string, scopes: Schemas['NewToken']['scopes'] = ['dm.write', 'dm.read']) =>
  createToken(service, { name: `user-${userId}`, scopes, userId, appId });

/** Runs `fn` and returns what it threw (failing when it doesn't throw). */
export async function thrown<E = any>(fn: () => Promise<unknown>): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}

/** What the three send methods resolve to: the whole body (twitter-api-v2 types it as `data` alone). */
export interface SentBody {
  data: { dm_conversation_id: string; dm_event_id: string };
  dm_policy: { decision: string; reason: string; rule: string | null; delivery: string | null; daily: { used: number } | null; [more: string]: unknown };
}

/** A send's answer, typed as it is. */
export const sent = async (answer: Promise<unknown>) => (await answer) as SentBody;

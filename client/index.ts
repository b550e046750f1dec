/**
 * A typed client of the service's /v1 API, generated from its own /openapi.json (client/schema.d.ts,
 * `npm run client:generate`): paths, parameters, bodies and answers are the service's zod schemas.
 *
 * @example
 * const api = createDmPolicyClient({ baseUrl: 'http://127.0.0.1:8787', token });
 * const { data, error } = await api.POST('/v1/sends', { body: { senderId: 'u1', recipientIds: ['u2'] } });
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.d.ts';

export type { components, paths };
/** The service's named schemas, e.g. `Schemas['Decision']`, `Schemas['SendRequest']`. */
export type Schemas = components['schemas'];
export type DmPolicyClient = Client<paths>;

export interface DmPolicyClientOptions extends Omit<ClientOptions, 'headers'> {
  /** A bearer token; leave it out in the dashboard, whose session cookie authenticates. */
  token?: string;
  headers?: Record<string, string>;
}

export function createDmPolicyClient(options: DmPolicyClientOptions = {}): DmPolicyClient {
  const { token, headers, ...rest } = options;
  return createClient<paths>({ ...rest, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
}

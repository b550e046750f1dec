/**
 * The service's /v1 API as the dashboard calls it: every call goes through the typed client generated from
 * the service's /openapi.json (client/), so paths, bodies and answers are the service's own schemas. Adds
 * the CSRF header on state changes and turns every refusal into one error type.
 */
import { createDmPolicyClient, type Schemas } from '../../../client/index';
import { session, signedOut } from './session.svelte';
import type { Arm, AuditQuery, DecisionQuery, DraftEdit, FiguresQuery, NewBacktest, PolicyTest, Role, Scope, SendRequest } from './types';

/** An answer of the API other than 2xx: its `{ error: { code, message, path } }`, plus any details it carries. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string | null,
    /** Every problem of a refused edit, or the failing tests of a refused publish. */
    readonly details: Array<{ path?: string; name?: string; message?: string }> = [],
  ) {
    super(message);
  }
}

const policy = 'dm';
const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD';

/** A failed policy test of a refused publish, in words. */
function describeFailure(f: Schemas['PolicyTestResult']): { name: string; message: string } {
  if (f.agree === false && f.compiled) {
    return { name: f.name, message: `json-rules-engine decides ${f.got.decision} (${f.got.reason}), the compiled evaluator ${f.compiled.decision} (${f.compiled.reason})` };
  }
  return { name: f.name, message: f.error ?? `expected ${f.expected.decision} (${f.expected.reason}), got ${f.got.decision} (${f.got.reason})` };
}

/** The body of any refusal: the one error shape, with a refused edit's `errors` or a refused publish's `failures`. */
type Refusal = { error?: Schemas['EditError']['error'] & Pick<Schemas['PolicyTestsFailed']['error'], 'failures'> };

function toApiError(response: Response, body: unknown): ApiError {
  const error = (body as Refusal | null | undefined)?.error;
  if (!error) return new ApiError(response.status, 'http_error', `${response.status} ${response.statusText}`, null);
  const details = error.errors ?? error.failures?.map(describeFailure) ?? [];
  return new ApiError(response.status, error.code, error.message, error.path, details);
}

/** Empty filters are left out of the query, as the service reads an empty value as a value. */
function query(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return q.toString();
}

// Same origin: the service serves the dashboard, and its session cookie authenticates every call.
const client = createDmPolicyClient({ baseUrl: '', credentials: 'same-origin', headers: { accept: 'application/json' }, querySerializer: query });

client.use({
  onRequest({ request }) {
    if (!isSafeMethod(request.method) && session.csrfToken) request.headers.set('x-csrf-token', session.csrfToken);
  },
  onResponse({ response, schemaPath }) {
    // An expired or revoked session sends the operator back to sign in; a wrong password is only an error.
    if (response.status === 401 && schemaPath !== '/v1/auth/login') signedOut();
  },
});

/** The answer of a 2xx, or the refusal as an ApiError. */
async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response, error);
  return data as T;
}

const inPolicy = { path: { policy } };
const ofVersion = (version: string) => ({ path: { policy, version } });
const byId = (id: string) => ({ path: { id } });

export const api = {
  login: (username: string, password: string) => answer(client.POST('/v1/auth/login', { body: { username, password } })),
  logout: () => answer(client.POST('/v1/auth/logout')),
  /** Answers 200 signed in or not, so a signed-out visit is no failed request. */
  session: () => answer(client.GET('/v1/auth/session')),

  figures: (q: FiguresQuery) => answer(client.GET('/v1/figures', { params: { query: q } })),

  versions: () => answer(client.GET('/v1/policies/{policy}/versions', { params: inPolicy })),
  version: (version: string) => answer(client.GET('/v1/policies/{policy}/versions/{version}', { params: ofVersion(version) })),
  createDraft: (from: string, named: Pick<Schemas['CreateDraft'], 'version' | 'description'> = {}) =>
    answer(client.POST('/v1/policies/{policy}/versions', { params: inPolicy, body: { from, ...named } })),
  editDraft: (version: string, edit: DraftEdit) => answer(client.PATCH('/v1/policies/{policy}/versions/{version}', { params: ofVersion(version), body: edit })),
  deleteDraft: (version: string, reason: string) =>
    answer(client.DELETE('/v1/policies/{policy}/versions/{version}', { params: ofVersion(version), body: reason ? { reason } : {} })),
  validate: (version: string, edit?: DraftEdit) =>
    answer(client.POST('/v1/policies/{policy}/versions/{version}/validate', { params: ofVersion(version), body: edit ?? {} })),
  runTests: (version: string, tests?: PolicyTest[]) =>
    answer(client.POST('/v1/policies/{policy}/versions/{version}/test', { params: ofVersion(version), body: tests ? { tests } : {} })),
  blastRadius: (version: string) => answer(client.POST('/v1/policies/{policy}/versions/{version}/blast-radius', { params: ofVersion(version) })),
  approve: (version: string, reason: string) =>
    answer(client.POST('/v1/policies/{policy}/versions/{version}/approve', { params: ofVersion(version), body: reason ? { reason } : {} })),
  publish: (version: string, reason: string) =>
    answer(client.POST('/v1/policies/{policy}/versions/{version}/publish', { params: ofVersion(version), body: { reason } })),
  rollback: (version: string, reason: string) => answer(client.POST('/v1/policies/{policy}/rollback', { params: inPolicy, body: { version, reason } })),
  diff: (from: string, to: string) => answer(client.GET('/v1/policies/{policy}/diff', { params: { ...inPolicy, query: { from, to } } })),
  settings: () => answer(client.GET('/v1/policies/{policy}/settings', { params: inPolicy })),
  updateSettings: (requireApproval: boolean, reason: string) =>
    answer(client.PUT('/v1/policies/{policy}/settings', { params: inPolicy, body: { requireApproval, ...(reason ? { reason } : {}) } })),
  audit: (q: AuditQuery = {}) => answer(client.GET('/v1/audit', { params: { query: { limit: 50, ...q } } })),
  auditFacets: () => answer(client.GET('/v1/audit/facets')),

  operators: () => answer(client.GET('/v1/operators')),
  createOperator: (username: string, password: string, role: Role) => answer(client.POST('/v1/operators', { body: { username, password, role } })),
  changeOperator: (id: string, change: Pick<Schemas['OperatorChange'], 'role' | 'disabled'>) => answer(client.PATCH('/v1/operators/{id}', { params: byId(id), body: change })),
  resetPassword: (id: string) => answer(client.POST('/v1/operators/{id}/password-reset', { params: byId(id) })),
  tokens: () => answer(client.GET('/v1/tokens')),
  createToken: (name: string, scopes: Scope[]) => answer(client.POST('/v1/tokens', { body: { name, scopes } })),
  revokeToken: (id: string) => answer(client.DELETE('/v1/tokens/{id}', { params: byId(id) })),

  /** A dry run by `version` (any stored one: the active version, a draft…); records nothing. */
  simulate: (version: string, send: SendRequest) => answer(client.POST('/v1/simulations', { body: { version, send } })),
  counters: (id: string) => answer(client.GET('/v1/accounts/{id}/counters', { params: byId(id) })),
  decisions: ({ account, as, ...filters }: DecisionQuery, cursor?: string) => {
    const role = account ? { [as ?? 'account']: account } : {};
    return answer(client.GET('/v1/decisions', { params: { query: { ...role, ...filters, cursor, limit: 50 } } }));
  },
  decision: (id: string) => answer(client.GET('/v1/decisions/{id}', { params: byId(id) })),
  explain: (id: string) => answer(client.GET('/v1/decisions/{id}/explain', { params: byId(id) })),

  experiments: () => answer(client.GET('/v1/experiments')),
  experimentFigures: (id: string) => answer(client.GET('/v1/experiments/{id}/figures', { params: byId(id) })),
  startExperiment: (name: string, arms: Arm[]) => answer(client.POST('/v1/experiments', { body: { name, arms } })),
  stopExperiment: (id: string) => answer(client.POST('/v1/experiments/{id}/stop', { params: byId(id), body: {} })),

  backtests: () => answer(client.GET('/v1/backtests')),
  backtest: (id: string) => answer(client.GET('/v1/backtests/{id}', { params: byId(id) })),
  startBacktest: (spec: NewBacktest) => answer(client.POST('/v1/backtests', { body: spec })),
  cancelBacktest: (id: string) => answer(client.POST('/v1/backtests/{id}/cancel', { params: byId(id) })),
};

/** Any failure as the error the UI shows: API errors keep their code and path, anything else (network) becomes one. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'network', err instanceof Error ? err.message : String(err), null);
}

/** A typed client of the service's /v1 API: JSON in and out, the CSRF header on state changes, one error type. */
import { session, signedOut } from './session.svelte';
import type {
  AccountCounters, ArmFigures, AuditPage, AuditQuery, Backtest, BacktestStatus, BacktestSummary, Decision, DecisionEntry, DecisionPage,
  DecisionQuery, DraftEdit, Experiment, Explanation, Figures, NewBacktest, OperatorAccount, PolicySettings, PolicyTest, PolicyTestReport,
  Role, Scope, SendRequest, Session, SessionProbe, TokenRecord, ValidationReport, VersionDetail, VersionDiff, VersionList, Arm,
} from './types';

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
const versionPath = (version: string) => `/policies/${policy}/versions/${encodeURIComponent(version)}`;
const isSafeMethod = (method: string) => method === 'GET' || method === 'HEAD';

interface Failure {
  name: string;
  error?: string;
  agree?: boolean;
  expected: { decision: string; reason: string };
  got: { decision: string; reason: string };
  compiled?: { decision: string; reason: string };
}

/** A failed policy test of a refused publish, in words. */
function describeFailure(f: Failure): { name: string; message: string } {
  if (f.agree === false && f.compiled) {
    return { name: f.name, message: `json-rules-engine decides ${f.got.decision} (${f.got.reason}), the compiled evaluator ${f.compiled.decision} (${f.compiled.reason})` };
  }
  return { name: f.name, message: f.error ?? `expected ${f.expected.decision} (${f.expected.reason}), got ${f.got.decision} (${f.got.reason})` };
}

async function toApiError(res: Response): Promise<ApiError> {
  const body = await res.json().catch(() => null);
  const error = body?.error;
  if (!error) return new ApiError(res.status, 'http_error', `${res.status} ${res.statusText}`, null);
  const details = error.errors ?? error.failures?.map(describeFailure) ?? [];
  return new ApiError(res.status, error.code, error.message, error.path, details);
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!isSafeMethod(method) && session.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  const res = await fetch(`/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (!res.ok) {
    const error = await toApiError(res);
    // An expired or revoked session sends the operator back to sign in; a wrong password is only an error.
    if (res.status === 401 && path !== '/auth/login') signedOut();
    throw error;
  }
  return res.json() as Promise<T>;
}

const query = (params: Record<string, string | number | null | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

export const api = {
  login: (username: string, password: string) => call<Session>('POST', '/auth/login', { username, password }),
  logout: () => call<{ ok: true }>('POST', '/auth/logout'),
  /** Answers 200 signed in or not, so a signed-out visit is no failed request. */
  session: () => call<SessionProbe>('GET', '/auth/session'),

  figures: (q: { from?: string; to?: string; bucket: 'minute' | 'hour' | 'day'; top?: number }) => call<Figures>('GET', `/figures${query(q)}`),

  versions: () => call<VersionList>('GET', `/policies/${policy}/versions`),
  version: (version: string) => call<VersionDetail>('GET', versionPath(version)),
  createDraft: (from: string, named: { version?: string; description?: string } = {}) =>
    call<VersionDetail>('POST', `/policies/${policy}/versions`, { from, ...named }),
  editDraft: (version: string, edit: DraftEdit) => call<VersionDetail>('PATCH', versionPath(version), edit),
  deleteDraft: (version: string, reason: string) => call<{ deleted: string }>('DELETE', versionPath(version), reason ? { reason } : {}),
  validate: (version: string, edit?: DraftEdit) => call<ValidationReport>('POST', `${versionPath(version)}/validate`, edit ?? {}),
  runTests: (version: string, tests?: PolicyTest[]) => call<PolicyTestReport>('POST', `${versionPath(version)}/test`, tests ? { tests } : {}),
  blastRadius: (version: string) => call<{ id: string }>('POST', `${versionPath(version)}/blast-radius`),
  approve: (version: string, reason: string) => call<VersionDetail>('POST', `${versionPath(version)}/approve`, reason ? { reason } : {}),
  publish: (version: string, reason: string) => call<{ previous: string | null }>('POST', `${versionPath(version)}/publish`, { reason }),
  rollback: (version: string, reason: string) => call<{ previous: string | null }>('POST', `/policies/${policy}/rollback`, { version, reason }),
  diff: (from: string, to: string) => call<VersionDiff>('GET', `/policies/${policy}/diff${query({ from, to })}`),
  settings: () => call<PolicySettings>('GET', `/policies/${policy}/settings`),
  updateSettings: (requireApproval: boolean, reason: string) =>
    call<PolicySettings>('PUT', `/policies/${policy}/settings`, { requireApproval, ...(reason ? { reason } : {}) }),
  audit: (q: AuditQuery & { limit?: number } = {}) => call<AuditPage>('GET', `/audit${query({ limit: 50, ...q })}`),
  auditFacets: () => call<{ actors: string[]; actions: string[] }>('GET', '/audit/facets'),

  operators: () => call<{ operators: OperatorAccount[] }>('GET', '/operators'),
  createOperator: (username: string, password: string, role: Role) => call<OperatorAccount>('POST', '/operators', { username, password, role }),
  changeOperator: (id: string, change: { role?: Role; disabled?: boolean }) => call<OperatorAccount>('PATCH', `/operators/${encodeURIComponent(id)}`, change),
  resetPassword: (id: string) => call<{ operator: OperatorAccount; password: string }>('POST', `/operators/${encodeURIComponent(id)}/password-reset`),
  tokens: () => call<{ tokens: TokenRecord[] }>('GET', '/tokens'),
  createToken: (name: string, scopes: Scope[]) => call<{ token: TokenRecord; secret: string }>('POST', '/tokens', { name, scopes }),
  revokeToken: (id: string) => call<TokenRecord>('DELETE', `/tokens/${encodeURIComponent(id)}`),

  /** A dry run by `version` (any stored one: the active version, a draft…); records nothing. */
  simulate: (version: string, send: SendRequest) => call<Decision>('POST', '/simulations', { version, send }),
  counters: (id: string) => call<AccountCounters>('GET', `/accounts/${encodeURIComponent(id)}/counters`),
  decisions: ({ account, as, ...filters }: DecisionQuery, cursor?: string) => {
    const role = account ? { [as ?? 'account']: account } : {};
    return call<DecisionPage>('GET', `/decisions${query({ ...role, ...filters, cursor, limit: 50 })}`);
  },
  decision: (id: string) => call<DecisionEntry>('GET', `/decisions/${encodeURIComponent(id)}`),
  explain: (id: string) => call<Explanation>('GET', `/decisions/${encodeURIComponent(id)}/explain`),

  experiments: () => call<Experiment[]>('GET', '/experiments'),
  experimentFigures: (id: string) => call<ArmFigures[]>('GET', `/experiments/${encodeURIComponent(id)}/figures`),
  startExperiment: (name: string, arms: Arm[]) => call<Experiment>('POST', '/experiments', { name, arms }),
  stopExperiment: (id: string) => call<Experiment>('POST', `/experiments/${encodeURIComponent(id)}/stop`, {}),

  backtests: () => call<{ items: BacktestSummary[] }>('GET', '/backtests'),
  backtest: (id: string) => call<Backtest>('GET', `/backtests/${encodeURIComponent(id)}`),
  startBacktest: (spec: NewBacktest) => call<{ id: string; status: BacktestStatus }>('POST', '/backtests', spec),
  cancelBacktest: (id: string) => call<Backtest>('POST', `/backtests/${encodeURIComponent(id)}/cancel`),
};

/** Any failure as the error the UI shows: API errors keep their code and path, anything else (network) becomes one. */
export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'network', err instanceof Error ? err.message : String(err), null);
}

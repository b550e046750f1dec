/** The shapes the dashboard reads from the API (see GET /openapi.json); only the fields it uses. */

export type Outcome = 'allow' | 'request' | 'deny' | 'limit';
export type OutcomeCounts = Record<Outcome, number>;
export type Role = 'viewer' | 'editor' | 'publisher' | 'admin';

export interface Operator { id: string; username: string; role: Role }
export interface Session { operator: Operator; csrfToken: string }
/** GET /v1/auth/session: 200 whether or not this browser holds a live session. */
export interface SessionProbe { signedIn: boolean; operator: Operator | null; csrfToken: string | null }

export interface Figures {
  from: string;
  to: string;
  bucket: 'minute' | 'hour' | 'day';
  series: Array<{ at: string } & OutcomeCounts>;
  topReasons: Array<{ reason: string; outcome: Outcome; count: number }>;
  totals: OutcomeCounts & { all: number };
  /** The minute of the latest decision tallied, in the period or not; null when there is none yet. */
  latestMinute: string | null;
  /** How far the tallies are built: decisions recorded since are counted once indexed. */
  index: IndexFreshness;
}

/** How far something built from the decision log off the decision path (by the log indexer) has caught up. */
export interface IndexFreshness {
  /** Everything recorded up to this sequence number is indexed. */
  indexedThrough: number;
  /** Decisions recorded since, not indexed yet. */
  pending: number;
}

export type VersionStatus = 'draft' | 'active' | 'retired';

export interface Approval {
  required: boolean;
  causes: Array<'policy_setting' | 'fewer_tests'>;
  status: 'not_required' | 'pending' | 'approved';
  /** Publishers and admins who neither wrote nor edited the draft. */
  approvers: string[];
}

export interface VersionSummary {
  policy: string;
  version: string;
  status: VersionStatus;
  description: string;
  author: string;
  basedOn: string | null;
  createdAt: string;
  updatedAt: string | null;
  publishedAt: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  approvalReason: string | null;
  /** For a draft: the approval it needs and has; null for a published version. */
  approval: Approval | null;
  testCount: number;
}

export interface VersionList { policy: string; active: string | null; versions: VersionSummary[] }

export interface PolicySettings { policy: string; requireApproval: boolean; updatedBy: string | null; updatedAt: string | null }

export type ParameterValue = number | boolean | string;

export interface ParameterDefinition {
  type: 'number' | 'boolean' | 'enum' | 'string';
  value: ParameterValue;
  min?: number;
  max?: number;
  /** A count: fractions are refused. */
  integer?: boolean;
  unit?: string;
  options?: string[];
  description: string;
}

export interface PolicyDocument {
  name: string;
  version: string;
  description: string;
  parameters: Record<string, ParameterDefinition>;
  rules: unknown[];
  default: unknown;
}

/** A fact value given relative to a number parameter: its value plus `offset`. */
export interface RelativeValue { param: string; offset?: number }
export type TestFactValue = string | number | boolean | RelativeValue;

export interface PolicyTest {
  name: string;
  description: string;
  facts?: Record<string, Record<string, TestFactValue>>;
  request?: { kind?: SendKind; channel?: Channel };
  expect: { decision: Outcome; reason: string; rule?: string | null };
}

export interface VersionDetail extends VersionSummary { document: PolicyDocument; tests: PolicyTest[] }

export interface DraftEdit { parameters?: Record<string, ParameterValue>; rules?: unknown[]; tests?: PolicyTest[]; description?: string; reason?: string }

export interface ValidationReport { ok: boolean; errors: Array<{ path: string; message: string }> }

export interface TestOutcome { decision: string; reason: string; rule: string | null }

export interface PolicyTestResult {
  name: string;
  description: string;
  passed: boolean;
  expected: { decision: string; reason: string; rule?: string | null };
  /** json-rules-engine's decision. */
  got: TestOutcome;
  /** The compiled evaluator's decision (the one that enforces). */
  compiled: TestOutcome;
  agree: boolean;
  resolved: Array<{ fact: string; param: string; offset: number; value: number }>;
  error?: string;
  compiledError?: string;
}

export interface PolicyTestReport { version: string; total: number; passed: number; failed: number; disagreements: number; results: PolicyTestResult[] }

export type Change = 'added' | 'removed' | 'changed';

export interface TestsComparison { from: number; to: number; added: string[]; removed: string[]; changed: string[]; fewer: boolean }

export interface VersionDiff {
  from: string;
  to: string;
  changed: boolean;
  description: { from: string; to: string } | null;
  default: { from: unknown; to: unknown } | null;
  parameters: Array<{ name: string; change: Change; from: ParameterValue | null; to: ParameterValue | null; fields: string[] }>;
  conditions: Array<{ name: string; change: Change }>;
  rules: Array<{ name: string; change: Change; fields: string[] }>;
  tests: TestsComparison;
}

export interface OperatorAccount extends Operator { disabled: boolean; createdAt: string; disabledAt: string | null }

export type Scope = 'decide' | 'graph' | 'admin';

export interface TokenRecord { id: string; name: string; scopes: Scope[]; createdAt: string; revokedAt: string | null }

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  policy: string | null;
  subject: string | null;
  diff?: unknown;
  reason: string | null;
  /** The entry's ids (subject, an exemption in the diff) with the names operators know them by. */
  names: Record<string, string>;
}

export interface AuditQuery { actor?: string; action?: string; version?: string; from?: string; to?: string; cursor?: string }

export interface AuditPage { entries: AuditEntry[]; nextCursor: string | null }

export type SendKind = 'direct' | 'group_create' | 'group_message' | 'group_invite';
export type Channel = 'web' | 'app' | 'api' | 'sms';
export type InlineFacts = Record<string, Record<string, string | number | boolean>>;

export interface SendRequest {
  senderId: string;
  recipientIds: string[];
  kind: SendKind;
  channel: Channel;
  text: string;
  conversationId?: string;
  trace: true;
  facts?: InlineFacts;
}

/** A condition of the trace: a comparison (`fact`, `operator`…) or a group (`all`, `any`, `not`, `condition`). */
export interface ConditionTrace {
  fact?: string;
  path?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  result?: boolean;
  all?: ConditionTrace[];
  any?: ConditionTrace[];
  not?: ConditionTrace;
  condition?: string;
}

export interface RuleTrace {
  rule: string;
  family: string;
  priority: number;
  matched: boolean;
  event: { type: string; params: Record<string, unknown> };
  conditions: ConditionTrace;
}

export interface Verdict { decision: Outcome; reason: string | null; rule: string | null }

export interface DailyQuota { limit: number; used: number; remaining: number; resetsAt: string | null }

export interface Decision {
  decision: Outcome;
  reason: string;
  rule: string | null;
  policy: { name: string; version: string; arm: string | null };
  retryAfterSeconds: number | null;
  quota: { daily?: DailyQuota };
  recipients: Array<{ id: string } & Verdict>;
  trace: Array<{ recipientId: string | null; facts: Record<string, unknown>; rules: RuleTrace[] }> | null;
}

export interface AccountCounters {
  accountId: string;
  daily: { window: string; used: number; limit: number | null };
  api: { user15m: number; user24h: number };
  cooldownUntil: string | null;
  exemptions: Array<{ id: string; rule: string; expiresAt: number; reason: string }>;
  /** Whether the service ever saw the account: stored (PUT or imported), or in a logged decision. */
  seen: { stored: boolean; lastDecisionAt: string | null };
}

export interface DecisionSummary extends Verdict {
  id: string;
  at: string;
  sender: string;
  recipients: string[];
  kind: SendKind;
  channel: Channel;
  version: string;
  arm: string | null;
}

/** The decision log's filters; `as` says in which role `account` appears (default: either). */
export interface DecisionQuery {
  account?: string;
  as?: 'sender' | 'recipient';
  decision?: Outcome;
  reason?: string;
  rule?: string;
  version?: string;
  arm?: string;
  kind?: SendKind;
  channel?: Channel;
  from?: string;
  to?: string;
}

export interface DecisionPage {
  items: DecisionSummary[];
  nextCursor: string | null;
  /** How far the log by account is built; a search by account reads the entries recorded since from the log itself. */
  index: IndexFreshness;
}

/** One logged decision with the request it answered (without its text, never stored). */
export interface DecisionEntry extends DecisionSummary {
  policy: string;
  textLength: number;
  sendId: string | null;
  experimentId: string | null;
  request: Record<string, unknown>;
}

export interface Explanation {
  id: string;
  version: string;
  versionStatus: VersionStatus;
  logged: Verdict;
  explained: Verdict;
  reproduced: boolean;
  subjects: Array<Verdict & { subject: string | null; facts: Record<string, unknown>; trace: RuleTrace[] }>;
}

export interface Arm { name: string; version: string; weight: number; shadow: boolean }

export interface Experiment {
  id: string;
  name: string;
  status: 'running' | 'stopped';
  arms: Arm[];
  createdBy: string;
  createdAt: number;
  stoppedAt: number | null;
}

export interface ArmFigures {
  arm: string;
  version: string;
  shadow: boolean;
  total: number;
  decisions: OutcomeCounts;
  reasons: Array<{ outcome: Outcome; reason: string; count: number }>;
  disagreements?: {
    total: number;
    byOutcome: Array<{ enforced: Outcome; shadow: Outcome; enforcedReason: string | null; shadowReason: string | null; count: number }>;
  };
}

export type BacktestKind = 'replay' | 'blast_radius' | 'sweep';
export type BacktestStatus = 'queued' | 'running' | 'done' | 'cancelled' | 'failed';

export interface NewBacktest {
  kind: BacktestKind;
  version: string;
  from?: string;
  to?: string;
  parameter?: string;
  values?: number[] | { from: number; to: number; step: number };
}

export interface BacktestSummary {
  id: string;
  kind: BacktestKind;
  status: BacktestStatus;
  version: string;
  options: { from: string; to: string; parameter?: string; values?: number[] };
  progress: { processed: number; total: number };
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ReplayReport {
  attempts: number;
  changed: number;
  mix: { actual: OutcomeCounts; candidate: OutcomeCounts };
  transitions: Record<Outcome, OutcomeCounts>;
  reasons: Array<{ actual: string; candidate: string; count: number }>;
  senders: Array<{ senderId: string; changed: number; flips: Array<{ from: Outcome; to: Outcome; count: number }> }>;
  blastRadius: { sendersNewlyRefused: number; sendersNewlyAdmitted: number; attemptsNewlyRefused: number; attemptsNewlyAdmitted: number };
}

export interface SweepReport {
  parameter: string;
  attempts: number;
  actual: OutcomeCounts;
  curve: Array<OutcomeCounts & { value: number; refused: number; changed: number }>;
}

export interface Backtest extends BacktestSummary { report: ReplayReport | SweepReport | null }

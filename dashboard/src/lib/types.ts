/**
 * The shapes the dashboard reads from and sends to the API, by the names it uses: the service's own schemas,
 * generated from its /openapi.json into client/schema.d.ts (`npm run client:generate`).
 */
import type { paths, Schemas } from '../../../client/index';

/** The query parameters of a GET. */
type Query<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;

export type Outcome = Schemas['Decision']['decision'];
export type Role = Schemas['OperatorSummary']['role'];

export type Operator = Schemas['OperatorSummary'];
export type Session = Schemas['Session'];

export type Figures = Schemas['DecisionFigures'];
export type FiguresQuery = Query<'/v1/figures'>;

export type VersionStatus = Schemas['VersionSummary']['status'];
export type VersionSummary = Schemas['VersionSummary'];
export type VersionList = Schemas['VersionList'];
export type VersionDetail = Schemas['VersionDetail'];
export type PolicySettings = Schemas['PolicySettings'];

export type ParameterDefinition = Schemas['PolicyDocument']['parameters'][string];
export type ParameterValue = ParameterDefinition['value'];

/** A fact value given relative to a number parameter: its value plus `offset`. */
export type RelativeValue = Schemas['RelativeFactValue'];
export type PolicyTest = Schemas['PolicyTest'];
export type TestFactValue = NonNullable<PolicyTest['facts']>[string][string];
export type PolicyTestResult = Schemas['PolicyTestResult'];
export type PolicyTestReport = Schemas['PolicyTestReport'];

export type DraftEdit = Schemas['DraftEdit'];
export type ValidationReport = Schemas['ValidationReport'];
export type VersionDiff = Schemas['VersionDiff'];

export type OperatorAccount = Schemas['Operator'];
export type Scope = Schemas['Token']['scopes'][number];
export type TokenRecord = Schemas['Token'];

export type AuditEntry = Schemas['AuditEntry'];
export type AuditQuery = Query<'/v1/audit'>;
export type AuditFacets = Schemas['AuditFacets'];

export type SendRequest = Schemas['SendRequest'];
export type SendKind = NonNullable<SendRequest['kind']>;
export type Channel = NonNullable<SendRequest['channel']>;
export type InlineFacts = NonNullable<SendRequest['facts']>;

export type Decision = Schemas['Decision'];
export type RuleTrace = Schemas['RuleTrace'];
export type ConditionTrace = Schemas['ConditionTrace'];
export type AccountCounters = Schemas['AccountCounters'];

export type DecisionSummary = Schemas['DecisionLogSummary'];
/** One logged decision with the request it answered (without its text, never stored). */
export type DecisionEntry = Schemas['DecisionLogEntry'];
export type DecisionPage = Schemas['DecisionLogPage'];
export type Explanation = Schemas['DecisionExplanation'];
/**
 * The decision log's filters as the search form keeps them: `account` in the role `as` says (default: either),
 * which the API takes as `sender`, `recipient` or `account`; the page and its size are the client's.
 */
export type DecisionQuery = Omit<Query<'/v1/decisions'>, 'sender' | 'recipient' | 'cursor' | 'limit'> & { as?: 'sender' | 'recipient' };

export type Experiment = Schemas['Experiment'];
export type Arm = Experiment['arms'][number];
export type ArmFigures = Schemas['ArmFigures'];

export type NewBacktest = Schemas['NewBacktest'];
export type BacktestSummary = Schemas['BacktestSummary'];
export type Backtest = Schemas['Backtest'];
export type ReplayReport = Schemas['ReplayReport'];
export type SweepReport = Schemas['SweepReport'];

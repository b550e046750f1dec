/**
 * Policy tests, like `opa test`: given facts, the decision and reason a version must reach. Each
 * test states only the facts that matter to it; the rest come from a neutral send (below).
 */
import { z } from '@hono/zod-openapi';
import { catalog, type ValueType as MemberType } from '../../policy/catalog.ts';
import type { Outcome, PolicyDocument } from '../../policy/document.ts';
import { memberPathPattern } from '../../policy/validate.ts';
import { issuePath } from '../../http/errors.ts';
import type { FactValues } from '../../policy/evaluation.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';
import { channels, sendKinds, type Channel, type SendKind } from '../../decisions/request.ts';

const outcomes = ['allow', 'request', 'deny', 'limit'] as const;

/** At most this many tests per version: they all run before every publish. */
export const maxPolicyTests = 500;

/** A fact value said relative to a number parameter: the version's value of `param` plus `offset`. */
export const RelativeValue = z.object({
  param: z.string().min(1).max(64),
  offset: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
}).strict().openapi('RelativeFactValue', {
  description: 'The value of a number parameter of the version plus `offset` (default 0), resolved before the test runs, '
    + 'e.g. { "param": "dailyLimit", "offset": -1 }: a boundary that moves with its threshold.',
});
export type RelativeValue = z.infer<typeof RelativeValue>;

const FactValue = z.union([z.string().max(1000), z.number(), z.boolean(), RelativeValue]);

const isRelative = (value: unknown): value is RelativeValue => typeof value === 'object' && value !== null;

export const PolicyTest = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be a slug: lowercase letters, digits, ".", "_" or "-", at most 100 characters'),
  description: z.string().min(1).max(2000).openapi({ description: 'The seed sentence the test checks, quoted, and what it sets up.' }),
  facts: z.record(z.string(), z.record(z.string(), FactValue)).optional()
    .openapi({
      description: 'Fact members that differ from the neutral send, e.g. { "quota": { "dailyUsed": { "param": "dailyLimit", "offset": -1 } } }; '
        + '`params` overrides parameter values (literals only).',
    }),
  request: z.object({ kind: z.enum(sendKinds).optional(), channel: z.enum(channels).optional() }).strict().optional(),
  expect: z.object({
    decision: z.enum(outcomes),
    reason: z.string().min(1).max(100),
    rule: z.string().max(100).nullable().optional().openapi({ description: 'The deciding rule, when the test pins it (null: the default decided).' }),
  }).strict(),
}).strict().openapi('PolicyTest');

export type PolicyTest = z.infer<typeof PolicyTest>;

export interface PolicyTestProblem {
  path: string;
  message: string;
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** The type a fact member holds, from the catalog or (for `params`) the document's parameters. */
function memberType(document: PolicyDocument, fact: string, member: string): { type: MemberType; enum?: string[] } | undefined {
  if (fact === 'params') {
    if (!Object.hasOwn(document.parameters, member)) return undefined;
    const p = document.parameters[member];
    return p.type === 'enum' ? { type: 'string', enum: p.options } : { type: p.type };
  }
  return Object.hasOwn(catalog.facts[fact].members, member) ? catalog.facts[fact].members[member] : undefined;
}

/** Why a relative value can't be resolved against `document` (and where under it), or null. */
function checkRelative(document: PolicyDocument, fact: string, type: MemberType, value: RelativeValue): { at: string; message: string } | null {
  if (fact === 'params') return { at: '', message: 'a parameter override is a literal value, not one relative to a parameter' };
  if (type !== 'number') return { at: '', message: `must be a ${type}; a value relative to a parameter is a number` };
  const numbers = Object.entries(document.parameters).filter(([, p]) => p.type === 'number').map(([name]) => name);
  if (!numbers.includes(value.param)) {
    return { at: '.param', message: `"${value.param}" is not a number parameter of this version; number parameters: ${numbers.join(', ') || 'none'}` };
  }
  return null;
}

/**
 * Checks a list of tests against a document: the shape, unique names, and facts the catalog (or the
 * document's parameters) knows, with values of the member's type; a relative value names a number
 * parameter of the document. A typo must fail loudly: a test
 * setting `relation.blokced` would otherwise pass while checking nothing.
 *
 * @example
 * checkPolicyTests([{ name: 'x', description: '…', facts: { relation: { blokced: true } }, expect: { decision: 'deny', reason: 'blocked' } }], doc)
 * // [{ path: 'tests[0].facts.relation.blokced', message: '"blokced" is not a member of fact "relation"; …' }]
 */
export function checkPolicyTests(input: unknown, document: PolicyDocument, base = 'tests'): { ok: true; tests: PolicyTest[] } | { ok: false; errors: PolicyTestProblem[] } {
  const parsed = z.array(PolicyTest).max(maxPolicyTests).safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.slice(0, 50).map((issue) => {
        return { path: pathOf([base, ...issuePath(issue)]), message: issue.code === 'unrecognized_keys' ? 'is not a known key of a policy test' : issue.message };
      }),
    };
  }
  const errors: PolicyTestProblem[] = [];
  const names = new Map<string, number>();
  parsed.data.forEach((test, i) => {
    const at = `${base}[${i}]`;
    const first = names.get(test.name);
    if (first !== undefined) errors.push({ path: `${at}.name`, message: `"${test.name}" is already the name of ${base}[${first}]; test names are unique` });
    else names.set(test.name, i);
    for (const [fact, members] of Object.entries(test.facts ?? {})) {
      if (!Object.hasOwn(catalog.facts, fact)) {
        errors.push({ path: `${at}.facts.${fact}`, message: `unknown fact "${fact}"; facts: ${Object.keys(catalog.facts).join(', ')}` });
        continue;
      }
      for (const [member, value] of Object.entries(members)) {
        const where = `${at}.facts.${fact}.${member}`;
        const type = memberPathPattern.test(`$.${member}`) ? memberType(document, fact, member) : undefined;
        if (!type) {
          const known = fact === 'params' ? Object.keys(document.parameters) : Object.keys(catalog.facts[fact].members);
          errors.push({ path: where, message: `"${member}" is not a ${fact === 'params' ? 'parameter of this version' : `member of fact "${fact}"`}; known: ${known.join(', ')}` });
        } else if (isRelative(value)) {
          const problem = checkRelative(document, fact, type.type, value);
          if (problem) errors.push({ path: `${where}${problem.at}`, message: problem.message });
        } else if (typeof value !== type.type) {
          errors.push({ path: where, message: `must be a ${type.type}` });
        } else if (type.enum && !type.enum.includes(value as string)) {
          errors.push({ path: where, message: `must be one of ${type.enum.join(', ')}` });
        }
      }
    }
  });
  return errors.length ? { ok: false, errors: errors.slice(0, 50) } : { ok: true, tests: parsed.data };
}

/** Seconds since a message that never arrived (the catalog's "never"). */
const never = Number.MAX_SAFE_INTEGER;

/**
 * The neutral send every test starts from: `alice` sends "hello" to `bob` on the web; they follow
 * each other, nobody is verified, protected, suspended or blocked, bob's inbox is `following`, no
 * app, no media, and every counter is zero. Group kinds get a small group alice created and is in;
 * a group message has no recipient (the placeholder of server/decisions/facts.ts).
 */
export function neutralFacts(params: Record<string, unknown>, request: { kind?: SendKind; channel?: Channel } = {}): FactValues {
  const kind = request.kind ?? 'direct';
  const channel = request.channel ?? 'web';
  const toGroup = kind === 'group_message';
  const recipientId = toGroup ? '' : 'bob';
  const text = 'hello';
  return {
    params: { ...params },
    send: { kind, channel, hasApp: false, recipientCount: toGroup ? 0 : 1 },
    sender: { id: 'alice', verified: false, phoneVerified: false, protected: false, suspended: false, inCooldown: false },
    recipient: { id: recipientId, verified: false, protected: false, suspended: false, inbox: 'following' },
    relation: {
      blocked: false, recipientFollowsSender: !toGroup, senderFollowsRecipient: !toGroup, priorConversation: false, reportGate: false,
      welcomeShown: false, receivedFromRecipient: false, lastReceivedAgeSeconds: never, repliesSinceReceived: 0,
    },
    content: { textLength: text.length, smsLength: `d ${recipientId} ${text}`.length, hasLink: false, duplicateRecipients: 0, unshareableMedia: 0 },
    group: kind === 'direct'
      ? { size: 0, senderIsParticipant: false, senderIsCreator: false, recipientBlockedByParticipant: false }
      : { size: kind === 'group_create' ? 2 : 3, senderIsParticipant: true, senderIsCreator: true, recipientBlockedByParticipant: false },
    app: { id: '', granted: true },
    quota: { dailyUsed: 0, apiUser15m: 0, apiUser24h: 0, apiApp24h: 0 },
  };
}

/** A relative fact value as it was resolved for one run, for the report. */
export interface ResolvedValue {
  /** The fact member, e.g. `quota.dailyUsed`. */
  fact: string;
  param: string;
  offset: number;
  value: number;
}

/**
 * The facts one test is evaluated on: its own members over the neutral send's, member by member,
 * each relative value resolved against the parameters the run uses (the version's, with the test's
 * own `params` overrides). Run it on checked tests: a relative value names a number parameter.
 *
 * @example
 * testFacts({ …, facts: { quota: { dailyUsed: { param: 'dailyLimit', offset: -1 } } } }, { dailyLimit: 300 })
 * // { facts: { …, quota: { dailyUsed: 299, … } }, resolved: [{ fact: 'quota.dailyUsed', param: 'dailyLimit', offset: -1, value: 299 }] }
 */
export function testFacts(test: PolicyTest, params: Record<string, unknown>): { facts: FactValues; resolved: ResolvedValue[] } {
  const effective = { ...params, ...(test.facts?.params ?? {}) };
  const facts = neutralFacts(effective, test.request);
  const resolved: ResolvedValue[] = [];
  for (const [name, members] of Object.entries(test.facts ?? {})) {
    if (name === 'params') continue;
    const values: Record<string, unknown> = {};
    for (const [member, value] of Object.entries(members)) {
      if (!isRelative(value)) {
        values[member] = value;
        continue;
      }
      const offset = value.offset ?? 0;
      const resolvedValue = (effective[value.param] as number) + offset;
      values[member] = resolvedValue;
      resolved.push({ fact: `${name}.${member}`, param: value.param, offset, value: resolvedValue });
    }
    facts[name] = { ...facts[name], ...values };
  }
  return { facts, resolved };
}

/** What one evaluator decided for a test. */
export interface TestOutcome {
  decision: Outcome;
  reason: string;
  rule: string | null;
}

export interface PolicyTestResult {
  name: string;
  description: string;
  /** The expected decision was reached, and the compiled evaluator agrees with json-rules-engine. */
  passed: boolean;
  expected: { decision: Outcome; reason: string; rule?: string | null };
  /** What json-rules-engine (the reference evaluator, with traces) decided. */
  got: TestOutcome;
  /** What the compiled evaluator that enforces the version decided. */
  compiled: TestOutcome;
  /** Whether both evaluators reached the same decision, reason and rule. */
  agree: boolean;
  /** Every relative fact value, resolved against the version's parameters. */
  resolved: ResolvedValue[];
  /** Set when json-rules-engine threw: that counts as a deny (`policy_error`), and as a failure. */
  error?: string;
  /** Set when the compiled evaluator threw. */
  compiledError?: string;
}

export interface PolicyTestReport {
  version: string;
  total: number;
  passed: number;
  failed: number;
  /** Tests the compiled evaluator decided otherwise than json-rules-engine. */
  disagreements: number;
  results: PolicyTestResult[];
}

const errorOutcome: TestOutcome = { decision: 'deny', reason: 'policy_error', rule: null };
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs tests against a version, in order, through both of its evaluators: json-rules-engine (the
 * reference, which traces) and the compiled function that enforces the version. An evaluation that
 * throws counts as a deny (`policy_error`); a test passes only when both reach what it expects.
 *
 * @example
 * const report = await runPolicyTests(loadPolicy(document), tests);
 * report.failed;       // 0 when every test reached its expected decision and reason
 * report.disagreements; // 0 when the compiled evaluator decided every test as json-rules-engine did
 */
export async function runPolicyTests(policy: LoadedPolicy, tests: PolicyTest[]): Promise<PolicyTestReport> {
  const results: PolicyTestResult[] = [];
  for (const test of tests) {
    const { facts, resolved } = testFacts(test, policy.params);
    let got = errorOutcome;
    let compiled = errorOutcome;
    let error: string | undefined;
    let compiledError: string | undefined;
    try {
      const evaluation = await policy.engine.evaluate(facts);
      got = { decision: evaluation.outcome, reason: evaluation.event.params.reason, rule: evaluation.rule };
    } catch (e) {
      error = messageOf(e);
    }
    try {
      const decision = policy.engine.decide(structuredClone(facts));
      compiled = { decision: decision.outcome, reason: decision.event.params.reason, rule: decision.rule };
    } catch (e) {
      compiledError = messageOf(e);
    }
    const expected = test.expect;
    const reaches = (o: TestOutcome) => o.decision === expected.decision && o.reason === expected.reason && (expected.rule === undefined || o.rule === expected.rule);
    const agree = got.decision === compiled.decision && got.reason === compiled.reason && got.rule === compiled.rule;
    const passed = error === undefined && compiledError === undefined && reaches(got) && agree;
    results.push({
      name: test.name, description: test.description, passed, expected, got, compiled, agree, resolved,
      ...(error !== undefined ? { error } : {}), ...(compiledError !== undefined ? { compiledError } : {}),
    });
  }
  const passed = results.filter((r) => r.passed).length;
  return {
    version: policy.version, total: results.length, passed, failed: results.length - passed,
    disagreements: results.filter((r) => !r.agree).length, results,
  };
}

const outcomeText = (o: TestOutcome) => `${o.decision}/${o.reason}${o.rule ? ` by ${o.rule}` : ''}`;

/** One line per disagreement, for an error message: `daily-cap-at-limit-limits: json-rules-engine limit/daily_limit by daily-cap, compiled allow/allowed`. */
export function describeDisagreements(report: PolicyTestReport): string {
  return report.results.filter((r) => !r.agree)
    .map((r) => `${r.name}: json-rules-engine ${outcomeText(r.got)}${r.error ? ` (${r.error})` : ''}, compiled ${outcomeText(r.compiled)}${r.compiledError ? ` (${r.compiledError})` : ''}`)
    .join('; ');
}

/** One line per failure, for an error message: `daily-cap-at-limit-limits: expected limit/daily_limit, got allow/allowed`. */
export function describeFailures(report: PolicyTestReport): string {
  return report.results.filter((r) => !r.passed)
    .map((r) => `${r.name}: expected ${r.expected.decision}/${r.expected.reason}, got ${r.got.decision}/${r.got.reason}${r.error ? ` (${r.error})` : ''}`)
    .join('; ');
}

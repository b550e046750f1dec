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

const FactValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

export const PolicyTest = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be a slug: lowercase letters, digits, ".", "_" or "-", at most 100 characters'),
  description: z.string().min(1).max(2000).openapi({ description: 'The seed sentence the test checks, quoted, and what it sets up.' }),
  facts: z.record(z.string(), z.record(z.string(), FactValue)).optional()
    .openapi({ description: 'Fact members that differ from the neutral send, e.g. { "quota": { "dailyUsed": 500 } }; `params` overrides parameter values.' }),
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

/**
 * Checks a list of tests against a document: the shape, unique names, and facts the catalog (or the
 * document's parameters) knows, with values of the member's type. A typo must fail loudly: a test
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

/** The facts one test is evaluated on: its own members over the neutral send's, member by member. */
export function testFacts(test: PolicyTest, params: Record<string, unknown>): FactValues {
  const facts = neutralFacts(params, test.request);
  for (const [name, members] of Object.entries(test.facts ?? {})) facts[name] = { ...facts[name], ...members };
  return facts;
}

export interface PolicyTestResult {
  name: string;
  description: string;
  passed: boolean;
  expected: { decision: Outcome; reason: string; rule?: string | null };
  got: { decision: Outcome; reason: string; rule: string | null };
  /** Set when the evaluation threw: that counts as a deny (`policy_error`), and as a failure. */
  error?: string;
}

export interface PolicyTestReport {
  version: string;
  total: number;
  passed: number;
  failed: number;
  results: PolicyTestResult[];
}

/**
 * Runs tests against a compiled version with its own engine (json-rules-engine), in order.
 *
 * @example
 * const report = await runPolicyTests(loadPolicy(document), tests);
 * report.failed; // 0 when every test reached its expected decision and reason
 */
export async function runPolicyTests(policy: LoadedPolicy, tests: PolicyTest[]): Promise<PolicyTestReport> {
  const results: PolicyTestResult[] = [];
  for (const test of tests) {
    let got: PolicyTestResult['got'];
    let error: string | undefined;
    try {
      const evaluation = await policy.engine.evaluate(testFacts(test, policy.params));
      got = { decision: evaluation.outcome, reason: evaluation.event.params.reason, rule: evaluation.rule };
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      got = { decision: 'deny', reason: 'policy_error', rule: null };
    }
    const expected = test.expect;
    const passed = error === undefined && got.decision === expected.decision && got.reason === expected.reason
      && (expected.rule === undefined || got.rule === expected.rule);
    results.push({ name: test.name, description: test.description, passed, expected, got, ...(error !== undefined ? { error } : {}) });
  }
  const passed = results.filter((r) => r.passed).length;
  return { version: policy.version, total: results.length, passed, failed: results.length - passed, results };
}

/** One line per failure, for an error message: `daily-cap-at-500: expected limit/daily_limit, got allow/allowed`. */
export function describeFailures(report: PolicyTestReport): string {
  return report.results.filter((r) => !r.passed)
    .map((r) => `${r.name}: expected ${r.expected.decision}/${r.expected.reason}, got ${r.got.decision}/${r.got.reason}${r.error ? ` (${r.error})` : ''}`)
    .join('; ');
}

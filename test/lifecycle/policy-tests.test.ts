/** Policy tests (like `opa test`): the presets pass their own, the tests cover every rule, and the runner catches a changed threshold. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalog from '../../rules/facts.json' with { type: 'json' };
import { checkPolicyTests, describeDisagreements, neutralFacts, runPolicyTests, type PolicyTest } from '../../server/lifecycle/versions/policy-tests.ts';
import { loadPolicy, presetVersions, readPreset, readPresetTests, type LoadedPolicy } from '../../server/policy/registry.ts';
import { startTestService, type TestService } from '../support/service.ts';

const presets = presetVersions();

function presetTests(version: string): PolicyTest[] {
  const checked = checkPolicyTests(readPresetTests(version), readPreset(version));
  if (!checked.ok) throw new Error(`rules/tests/${version}.json: ${JSON.stringify(checked.errors)}`);
  return checked.tests;
}

const test = (facts: PolicyTest['facts'], expect: PolicyTest['expect'], request?: PolicyTest['request']): PolicyTest =>
  ({ name: 't', description: 'a test', facts, expect, ...(request ? { request } : {}) });

describe('preset policy tests', () => {
  it('ships tests for every preset', () => {
    expect(presets).toEqual(['twitter-2016', 'x-2023', 'x-api-v2']);
    for (const version of presets) expect(presetTests(version).length, version).toBeGreaterThan(20);
  });

  it.each(presets)('%s passes every one of its own tests', async (version) => {
    const report = await runPolicyTests(loadPolicy(readPreset(version)), presetTests(version));
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
    expect(report.failed).toBe(0);
  });

  it.each(presets)('%s: every rule (so every rule family it has) decides at least one test', async (version) => {
    const document = readPreset(version);
    const report = await runPolicyTests(loadPolicy(document), presetTests(version));
    const deciding = new Set(report.results.map((r) => r.got.rule));
    expect(document.rules.map((r) => r.name).filter((name) => !deciding.has(name))).toEqual([]);
    // And the default decides some too: the "nothing stops it" side of each boundary.
    expect(deciding.has(null)).toBe(true);
  });

  it.each(presets)('%s: every test quotes the seed (or DESIGN) it checks', (version) => {
    for (const t of presetTests(version)) expect(t.description, t.name).toMatch(/Seed 00\d|DESIGN §1/);
  });

  it('x-2023 draws the daily cap at 500: 499 used allows, 500 used limits', async () => {
    const x2023 = loadPolicy(readPreset('x-2023'));
    const report = await runPolicyTests(x2023, [
      test({ quota: { dailyUsed: 499 } }, { decision: 'allow', reason: 'allowed' }),
      test({ quota: { dailyUsed: 500 } }, { decision: 'limit', reason: 'daily_limit', rule: 'daily-cap' }),
    ]);
    expect(report.results.map((r) => r.passed)).toEqual([true, true]);
  });

  it('keeps checking the boundary when the threshold moves: relative tests follow dailyLimit to 300', async () => {
    const document = readPreset('x-2023');
    document.parameters.dailyLimit = { ...document.parameters.dailyLimit, value: 300 } as typeof document.parameters.dailyLimit;
    const report = await runPolicyTests(loadPolicy(document), presetTests('x-2023'));
    expect(report.failed).toBe(0);
    const boundary = report.results.filter((r) => r.name.startsWith('daily-cap-')).map((r) => [r.name, r.resolved.map((v) => v.value), r.got.decision]);
    expect(boundary).toEqual([
      ['daily-cap-one-below-limit-allows', [299], 'allow'],
      ['daily-cap-at-limit-limits', [300], 'limit'],
      ['daily-cap-counts-group-messages', [300], 'limit'],
    ]);
  });

  it('fails a test written with a literal count when the threshold moves, saying what it got', async () => {
    const document = readPreset('x-2023');
    document.parameters.dailyLimit = { ...document.parameters.dailyLimit, value: 600 } as typeof document.parameters.dailyLimit;
    const report = await runPolicyTests(loadPolicy(document), [test({ quota: { dailyUsed: 500 } }, { decision: 'limit', reason: 'daily_limit' })]);
    expect(report.results[0]).toMatchObject({
      passed: false, agree: true, resolved: [],
      expected: { decision: 'limit', reason: 'daily_limit' }, got: { decision: 'allow', reason: 'allowed', rule: null }, compiled: { decision: 'allow', reason: 'allowed', rule: null },
    });
  });

  it('resolves a relative value against the test\'s own parameter override', async () => {
    const x2023 = loadPolicy(readPreset('x-2023'));
    const report = await runPolicyTests(x2023, [
      test({ params: { dailyLimit: 20 }, quota: { dailyUsed: { param: 'dailyLimit', offset: -1 } } }, { decision: 'allow', reason: 'allowed' }),
      test({ params: { dailyLimit: 20 }, quota: { dailyUsed: { param: 'dailyLimit' } } }, { decision: 'limit', reason: 'daily_limit' }),
    ]);
    expect(report.results.map((r) => [r.passed, r.resolved])).toEqual([
      [true, [{ fact: 'quota.dailyUsed', param: 'dailyLimit', offset: -1, value: 19 }]],
      [true, [{ fact: 'quota.dailyUsed', param: 'dailyLimit', offset: 0, value: 20 }]],
    ]);
  });

  it('fails a test on which the compiled evaluator disagrees with json-rules-engine, showing both', async () => {
    const policy = loadPolicy(readPreset('x-2023'));
    const engine = policy.engine;
    const skewed: LoadedPolicy = {
      ...policy,
      engine: { evaluate: (f: any) => engine.evaluate(f), decide: () => ({ outcome: 'allow', event: { type: 'allow', params: { reason: 'allowed' } }, rule: null, limits: [] }) } as unknown as LoadedPolicy['engine'],
    };
    const report = await runPolicyTests(skewed, [test({ relation: { blocked: true } }, { decision: 'deny', reason: 'blocked' }), test({}, { decision: 'allow', reason: 'allowed' })]);
    expect(report.disagreements).toBe(1);
    expect(report.results.map((r) => [r.passed, r.agree])).toEqual([[false, false], [true, true]]);
    expect(report.results[0]).toMatchObject({ got: { decision: 'deny', reason: 'blocked', rule: 'block' }, compiled: { decision: 'allow', reason: 'allowed', rule: null } });
    expect(describeDisagreements(report)).toBe('t: json-rules-engine deny/blocked by block, compiled allow/allowed');
  });

  it('lets a test set a parameter through the params fact', async () => {
    const x2023 = loadPolicy(readPreset('x-2023'));
    const strangers = { relation: { recipientFollowsSender: false } };
    const report = await runPolicyTests(x2023, [
      test({ ...strangers, params: { requirePhoneForNonFollowers: true } }, { decision: 'deny', reason: 'phone_verification_required' }),
      test(strangers, { decision: 'request', reason: 'message_request' }),
    ]);
    expect(report.failed).toBe(0);
  });

  it('counts a pinned rule: the right decision by the wrong rule fails', async () => {
    const report = await runPolicyTests(loadPolicy(readPreset('x-2023')), [test({ relation: { blocked: true } }, { decision: 'deny', reason: 'blocked', rule: 'report-gate' })]);
    expect(report.results[0]).toMatchObject({ passed: false, got: { rule: 'block' } });
  });

  it('counts an evaluation error as a failure (a deny by policy_error), never a pass', async () => {
    const policy = loadPolicy(readPreset('x-2023'));
    const broken: LoadedPolicy = { ...policy, engine: { evaluate: async () => { throw new Error('boom'); }, decide: () => { throw new Error('boom'); } } as unknown as LoadedPolicy['engine'] };
    const report = await runPolicyTests(broken, [test({}, { decision: 'deny', reason: 'policy_error' })]);
    expect(report.results[0]).toMatchObject({
      passed: false, agree: true, error: 'boom', compiledError: 'boom', got: { decision: 'deny', reason: 'policy_error' }, compiled: { decision: 'deny', reason: 'policy_error' },
    });
  });
});

describe('the neutral send', () => {
  it('sets every member of the fact catalog', () => {
    for (const kind of ['direct', 'group_create', 'group_message', 'group_invite'] as const) {
      const facts = neutralFacts({}, { kind });
      for (const [name, fact] of Object.entries(catalog.facts)) {
        if (name === 'params') continue;
        expect(Object.keys(facts[name]).sort(), `${kind}: ${name}`).toEqual(Object.keys(fact.members).sort());
      }
    }
  });

  it.each(presets)('is allowed by %s, for every kind of send', async (version) => {
    const report = await runPolicyTests(loadPolicy(readPreset(version)), ['direct', 'group_create', 'group_message', 'group_invite'].map((kind) =>
      test({}, { decision: 'allow', reason: 'allowed' }, { kind: kind as 'direct' })));
    expect(report.results.map((r) => r.got)).toEqual(Array(4).fill({ decision: 'allow', reason: 'allowed', rule: null }));
  });
});

describe('checking tests', () => {
  const document = readPreset('x-2023');
  const base = { name: 'a', description: 'd', expect: { decision: 'allow', reason: 'allowed' } };

  it('names unknown facts, members and parameters, wrong types and enum values, and repeated names', () => {
    const result = checkPolicyTests([
      { ...base, name: 'a', facts: { relations: { blocked: true } } },
      { ...base, name: 'b', facts: { relation: { blokced: true } } },
      { ...base, name: 'c', facts: { params: { dailyLimt: 5 } } },
      { ...base, name: 'd', facts: { recipient: { inbox: 'friends' } } },
      { ...base, name: 'e', facts: { quota: { dailyUsed: '5' } } },
      { ...base, name: 'a' },
    ], document);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([
      'tests[0].facts.relations', 'tests[1].facts.relation.blokced', 'tests[2].facts.params.dailyLimt',
      'tests[3].facts.recipient.inbox', 'tests[4].facts.quota.dailyUsed', 'tests[5].name',
    ]);
  });

  it('refuses an unknown key in a relative value', () => {
    const result = checkPolicyTests([{ ...base, facts: { quota: { dailyUsed: { param: 'dailyLimit', step: 1 } } } }], document);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['tests[0].facts.quota.dailyUsed.step']);
  });

  it('names a relative value whose parameter is unknown, with its path and the number parameters', () => {
    const result = checkPolicyTests([
      { ...base, name: 'a', facts: { quota: { dailyUsed: { param: 'dailyLimt', offset: -1 } } } },
      { ...base, name: 'b', facts: { quota: { dailyUsed: { param: 'requirePhoneForNonFollowers' } } } },
      { ...base, name: 'c', facts: { relation: { blocked: { param: 'dailyLimit' } } } },
      { ...base, name: 'd', facts: { params: { dailyLimit: { param: 'maxGroupSize' } } } },
    ], document);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const numbers = 'dailyLimit, duplicateRecipientLimit, duplicateWindowMinutes, cooldownMinutes, maxGroupSize';
    expect(result.errors).toEqual([
      { path: 'tests[0].facts.quota.dailyUsed.param', message: `"dailyLimt" is not a number parameter of this version; number parameters: ${numbers}` },
      { path: 'tests[1].facts.quota.dailyUsed.param', message: `"requirePhoneForNonFollowers" is not a number parameter of this version; number parameters: ${numbers}` },
      { path: 'tests[2].facts.relation.blocked', message: 'must be a boolean; a value relative to a parameter is a number' },
      { path: 'tests[3].facts.params.dailyLimit', message: 'a parameter override is a literal value, not one relative to a parameter' },
    ]);
  });

  it('refuses unknown keys and outcomes', () => {
    const result = checkPolicyTests([{ ...base, expected: {} }, { ...base, name: 'x', expect: { decision: 'maybe', reason: 'r' } }], document);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['tests[0].expected', 'tests[1].expect.decision']);
  });
});

describe('seeded versions over HTTP', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService({ preset: 'twitter-2016' }); });
  afterAll(async () => { await s.close(); });

  it.each(presets)('%s carries its tests from rules/tests and passes them via POST …/test', async (version) => {
    const stored = await s.call('GET', `/v1/policies/dm/versions/${version}`);
    expect(stored.body.tests).toEqual(presetTests(version));
    const report = await s.call('POST', `/v1/policies/dm/versions/${version}/test`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ version, failed: 0, total: presetTests(version).length });
  });
});

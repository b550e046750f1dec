/**
 * Decisions per second of the three ways to evaluate a preset, side by side in one run on the same
 * fact sets (issue 4, point 1):
 *   (a) json-rules-engine through PolicyEngine.evaluate (the reference; engines reused from its pool),
 *   (b) json-logic-js evaluating the same rules, translated mechanically to JSON Logic, as a rule list
 *       in priority order (first match decides; rules with a `limit` keep being evaluated, as they must
 *       for `limits`),
 *   (c) the compiled decision function (PolicyEngine.decide).
 * The three are checked to agree on every fact set before anything is timed.
 *
 * Run: npm run bench:evaluator   (or: tsx bench/evaluator.bench.ts [--seconds=N] [preset …])
 * Targets: compiled ≥ 100× json-rules-engine and ≥ 2× json-logic-js.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import catalogJson from '../rules/facts.json' with { type: 'json' };
import type { Condition, LimitName, PolicyDocument, PolicyEvent } from '../server/policy/document.ts';
import { parameterValues } from '../server/policy/document.ts';
import type { Evaluation, FactValues } from '../server/policy/evaluation.ts';
import { loadPolicy, presetVersions, readPreset } from '../server/policy/registry.ts';
import { median } from './support/common.ts';

const jsonLogic = createRequire(import.meta.url)('json-logic-js') as { apply(logic: unknown, data: unknown): unknown };

type Member = { type: 'string' | 'number' | 'boolean'; enum?: string[] };
const catalog = catalogJson as unknown as { facts: Record<string, { members: Record<string, Member> }> };

const args = process.argv.slice(2);
const seconds = Number(args.find((a) => a.startsWith('--seconds='))?.slice('--seconds='.length) ?? 1);
const only = args.filter((a) => !a.startsWith('--'));

// ---------------------------------------------------------------------------------------------------
// Fact sets: mostly ordinary traffic (most sends pass most rules, so every evaluator has to look at
// most of the rules), with every number drawn near the thresholds the document compares it with.

let seed = 0x2545f491;
function random(): number {
  // xorshift32: the same fact sets on every run
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** How often a boolean member is true in generated traffic; 0.5 when not listed. */
const trueRate: Record<string, number> = {
  'sender.suspended': 0.02, 'recipient.suspended': 0.02, 'relation.blocked': 0.03, 'sender.inCooldown': 0.03,
  'relation.reportGate': 0.03, 'relation.welcomeShown': 0.05, 'group.recipientBlockedByParticipant': 0.03,
  'app.granted': 0.97, 'send.hasApp': 0.2, 'group.senderIsParticipant': 0.9, 'relation.recipientFollowsSender': 0.7,
};
const kinds = ['direct', 'direct', 'direct', 'direct', 'direct', 'direct', 'group_create', 'group_message', 'group_invite'];

/** The numbers each member is compared with: parameter values and literals. */
function thresholds(document: PolicyDocument): Map<string, number[]> {
  const params = parameterValues(document);
  const found = new Map<string, number[]>();
  const value = (v: unknown): number | undefined => {
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && (v as { fact?: string }).fact === 'params') {
      const p = params[(v as { path: string }).path.slice(2)];
      return typeof p === 'number' ? p : undefined;
    }
    return undefined;
  };
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('condition' in c) walk(document.conditions![c.condition]);
    else {
      const v = value(c.value);
      if (v === undefined) return;
      const key = `${c.fact}.${c.path!.slice(2)}`;
      found.set(key, [...(found.get(key) ?? []), v]);
    }
  };
  document.rules.forEach((r) => walk(r.conditions as Condition));
  return found;
}

function factSets(document: PolicyDocument, count: number): FactValues[] {
  const params = parameterValues(document);
  const limits = thresholds(document);
  const sets: FactValues[] = [];
  for (let i = 0; i < count; i++) {
    const facts: FactValues = { params };
    for (const [fact, { members }] of Object.entries(catalog.facts)) {
      if (fact === 'params') continue;
      const values: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(members)) {
        const key = `${fact}.${name}`;
        if (member.type === 'boolean') values[name] = random() < (trueRate[key] ?? 0.5);
        else if (member.enum) values[name] = key === 'send.kind' ? pick(kinds) : pick(member.enum);
        else if (member.type === 'string') values[name] = `u${Math.floor(random() * 1000)}`;
        else {
          const near = limits.get(key);
          // Mostly well below the thresholds, sometimes right at one of them.
          values[name] = near && random() < 0.15 ? pick(near) + pick([-1, 0, 1]) : near ? Math.floor(random() * Math.min(...near)) : Math.floor(random() * 3);
        }
      }
      facts[fact] = values;
    }
    sets.push(facts);
  }
  return sets;
}

// ---------------------------------------------------------------------------------------------------
// The same rules as JSON Logic.

function toJsonLogic(c: Condition, document: PolicyDocument): unknown {
  if ('all' in c) return c.all.length === 0 ? true : { and: c.all.map((x) => toJsonLogic(x, document)) };
  if ('any' in c) return c.any.length === 0 ? true : { or: c.any.map((x) => toJsonLogic(x, document)) };
  if ('not' in c) return { '!': toJsonLogic(c.not, document) };
  if ('condition' in c) return toJsonLogic(document.conditions![c.condition] as Condition, document);
  const variable = (fact: string, path?: string) => ({ var: path ? `${fact}.${path.slice(2)}` : fact });
  const a = variable(c.fact, c.path);
  const b = c.value !== null && typeof c.value === 'object' && !Array.isArray(c.value) ? variable(c.value.fact, c.value.path) : c.value;
  switch (c.operator) {
    case 'equal': return { '===': [a, b] };
    case 'notEqual': return { '!==': [a, b] };
    case 'lessThan': return { '<': [a, b] };
    case 'lessThanInclusive': return { '<=': [a, b] };
    case 'greaterThan': return { '>': [a, b] };
    case 'greaterThanInclusive': return { '>=': [a, b] };
    case 'in': return { in: [a, b] };
    case 'notIn': return { '!': { in: [a, b] } };
    default: throw new Error(`no JSON Logic translation for ${c.operator}`);
  }
}

/** A rule list in priority order, evaluated with json-logic-js: the same decision as PolicyEngine. */
function jsonLogicDecider(document: PolicyDocument): (facts: FactValues) => Evaluation {
  const rules = document.rules
    .map((rule, index) => ({ index, rule, logic: toJsonLogic(rule.conditions as Condition, document) }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule, logic }) => ({ name: rule.name, event: rule.event as PolicyEvent, limit: rule.event.params.limit, logic }));
  const limitAfter = rules.map((_, i) => rules.slice(i + 1).some((r) => r.limit !== undefined));
  return (facts) => {
    let winner: (typeof rules)[number] | null = null;
    const limits: LimitName[] = [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if ((winner === null || rule.limit !== undefined) && jsonLogic.apply(rule.logic, facts)) {
        winner ??= rule;
        if (rule.limit !== undefined) limits.push(rule.limit);
      }
      if (winner !== null && !limitAfter[i]) break;
    }
    const event = winner ? winner.event : document.default;
    return { outcome: event.type, event, rule: winner ? winner.name : null, limits };
  };
}

// ---------------------------------------------------------------------------------------------------
// Timing.

const same = (a: Evaluation, b: Evaluation) =>
  a.outcome === b.outcome && a.event.params.reason === b.event.params.reason && a.rule === b.rule && a.limits.join() === b.limits.join();

/** Runs `batch` (which makes `n` decisions) until `seconds` have passed; decisions per second. */
async function rate(batch: (n: number) => number | Promise<number>, n: number): Promise<number> {
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    sink += await batch(n);
    done += n;
    elapsed = performance.now() - start;
  }
  return (done / elapsed) * 1000;
}
let sink = 0;

const format = (perSecond: number) => perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(1)} k/s`;

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('# Evaluator benchmark: json-rules-engine vs json-logic-js vs compiled');
  console.log(`date: ${new Date().toISOString()}`);
  console.log(`machine: ${cpus[0]?.model ?? 'unknown cpu'}, ${cpus.length} cores, ${os.platform()} ${os.release()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`node ${process.version}; ${seconds} s per measurement, 3 rounds interleaved, median reported\n`);

  const versions = (only.length ? only : presetVersions());
  const table: string[] = [];
  let allMet = true;
  for (const version of versions) {
    const document = readPreset(version);
    const policy = loadPolicy(document);
    const engine = policy.engine;
    const jl = jsonLogicDecider(document);
    const sets = factSets(document, 4096);
    const mask = sets.length - 1;

    // Agreement first: the three must make the same decisions on these fact sets.
    const mix = new Map<string, number>();
    let disagreements = 0;
    for (const facts of sets) {
      const reference = await engine.evaluate(facts);
      const compiled = engine.decide(facts);
      const logic = jl(facts);
      if (!same(reference, compiled) || !same(reference, logic)) disagreements++;
      const key = `${reference.outcome}:${reference.event.params.reason}`;
      mix.set(key, (mix.get(key) ?? 0) + 1);
    }
    if (disagreements > 0) throw new Error(`${version}: the evaluators disagree on ${disagreements} of ${sets.length} fact sets`);

    let j = 0;
    const jre = async (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (await engine.evaluate(sets[j++ & mask])).limits.length;
      return s;
    };
    const logic = (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += jl(sets[j++ & mask]).limits.length;
      return s;
    };
    const compiled = (n: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += engine.decide(sets[j++ & mask]).limits.length;
      return s;
    };
    const figures = { jre: [] as number[], logic: [] as number[], compiled: [] as number[] };
    for (let round = 0; round < 3; round++) {
      figures.jre.push(await rate(jre, 256));
      figures.logic.push(await rate(logic, 4096));
      figures.compiled.push(await rate(compiled, 65536));
    }
    const r = { jre: median(figures.jre), logic: median(figures.logic), compiled: median(figures.compiled) };
    const overJre = r.compiled / r.jre;
    const overLogic = r.compiled / r.logic;
    const met = overJre >= 100 && overLogic >= 2;
    allMet &&= met;
    console.log(`## ${version} (${document.rules.length} rules, ${sets.length} fact sets; outcomes ${[...mix].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(100 * n / sets.length).toFixed(0)}%`).join(', ')})`);
    console.log(`  json-rules-engine (PolicyEngine.evaluate)  ${format(r.jre).padStart(11)}   rounds: ${figures.jre.map(format).join(', ')}`);
    console.log(`  json-logic-js (rule list)                  ${format(r.logic).padStart(11)}   rounds: ${figures.logic.map(format).join(', ')}`);
    console.log(`  compiled (PolicyEngine.decide)             ${format(r.compiled).padStart(11)}   rounds: ${figures.compiled.map(format).join(', ')}`);
    console.log(`  compiled / json-rules-engine = ${overJre.toFixed(0)}×   compiled / json-logic-js = ${overLogic.toFixed(1)}×   ${met ? 'targets met' : 'TARGET MISSED (≥100×, ≥2×)'}\n`);
    table.push(`| ${version} | ${format(r.jre)} | ${format(r.logic)} | ${format(r.compiled)} | ${overJre.toFixed(0)}× | ${overLogic.toFixed(1)}× |`);
  }
  console.log('| preset | json-rules-engine | json-logic-js | compiled | compiled/jre | compiled/json-logic |');
  console.log('|---|---|---|---|---|---|');
  for (const row of table) console.log(row);
  console.log(`\n${allMet ? 'All targets met' : 'Some targets missed'} (≥100× json-rules-engine, ≥2× json-logic-js).${sink === -1 ? '' : ''}`);
}

await main();


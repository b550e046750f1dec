/**
 * The compiled evaluator (server/policy/compile.ts) decides exactly as json-rules-engine
 * (PolicyEngine.evaluate), property-based:
 * - each preset on DIFFERENTIAL_RUNS (default 100 000) generated fact sets: booleans, enum values and
 *   numbers concentrated at every parameter boundary of the document (value-1, value, value+1, 0,
 *   large), now and then a member missing or of the wrong type, a top-level fact missing or not an
 *   object, other parameter values, and exempt rule sets;
 * - random documents generated from the fact catalog (all/any/not trees, boolean, enum, string and
 *   number comparisons, fact references, named conditions, condition priorities, rule priorities with
 *   ties), each accepted by validateDocument, each on a few hundred fact sets;
 * - operator edge cases, one by one.
 * Compared: outcome, reason, rule and limits, or that both throw. The interpreter that compile.ts
 * falls back to (facts the fast path refuses) is compared too: on every fact set the fast path
 * refuses, and on one in eight of the others.
 *
 * json-rules-engine is the slow side (a few thousand decisions per second per core on a loaded
 * machine), so it runs in worker threads, one per core, on batches of fact sets while the main thread
 * generates the next batches and runs the compiled side.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import catalogJson from '../../rules/facts.json' with { type: 'json' };
import { CompileError, compilePolicy, interpretPolicy, type CompiledDecision } from '../../server/policy/compile.ts';
import { parameterValues, type Condition, type PolicyDocument } from '../../server/policy/document.ts';
import { validateDocument } from '../../server/policy/validate.ts';
import { PolicyEngine } from '../../server/policy/engine.ts';
import type { Evaluation, FactValues } from '../../server/policy/evaluation.ts';
import { presetVersions, readPreset } from '../../server/policy/registry.ts';

const runsPerPreset = Number(process.env.DIFFERENTIAL_RUNS ?? 100_000);
const randomDocuments = Number(process.env.DIFFERENTIAL_DOCUMENTS ?? 100);
const factSetsPerDocument = Number(process.env.DIFFERENTIAL_FACTS_PER_DOCUMENT ?? 250);
const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261123);
const batchSize = 1000;

type Member = { type: 'string' | 'number' | 'boolean'; enum?: string[] };
const catalog = catalogJson as unknown as { facts: Record<string, { members: Record<string, Member> }>; events: { limits: Record<string, string> } };

// ---------------------------------------------------------------------------------------------------
// What is compared.

type Summary = { outcome: string; reason: string; rule: string | null; limits: string[] } | { error: true };
interface Item {
  facts: FactValues;
  exempt: string[] | null;
}

function summarize(evaluation: Evaluation): Summary {
  return { outcome: evaluation.outcome, reason: evaluation.event.params.reason, rule: evaluation.rule, limits: evaluation.limits };
}
function summarizeSync(decide: CompiledDecision, item: Item): Summary {
  try {
    return summarize(decide(item.facts, item.exempt ? new Set(item.exempt) : undefined));
  } catch {
    return { error: true };
  }
}
/** Within one rule priority json-rules-engine lists limits in promise-settling order: compare those as sets. */
function normalize(summary: Summary, sortLimits: boolean): Summary {
  return 'error' in summary || !sortLimits ? summary : { ...summary, limits: [...summary.limits].sort() };
}
/** Whether two rules with a `limit` share a priority. */
function limitTies(document: PolicyDocument): boolean {
  const priorities = document.rules.filter((r) => r.event.params.limit !== undefined).map((r) => r.priority);
  return new Set(priorities).size !== priorities.length;
}

// ---------------------------------------------------------------------------------------------------
// json-rules-engine in worker threads (PolicyEngine.evaluate, loaded with tsx), or in this thread.

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.tsxApi).then(({ tsImport }) => tsImport(workerData.engine, workerData.engine));
const engines = new Map();
let queue = Promise.resolve();
parentPort.on('message', (message) => { queue = queue.then(() => run(message)); });
async function run({ id, key, document, items }) {
  try {
    const { PolicyEngine } = await loaded;
    const results = new Array(items.length);
    for (let start = 0; start < items.length; start += 16) {
      if (!engines.has(key)) engines.set(key, new PolicyEngine(document));
      const engine = engines.get(key);
      await Promise.all(items.slice(start, start + 16).map(async (item, i) => {
        try {
          const e = await engine.evaluate(item.facts, { exempt: item.exempt ? new Set(item.exempt) : undefined });
          results[start + i] = { outcome: e.outcome, reason: e.event.params.reason, rule: e.rule, limits: e.limits };
        } catch {
          results[start + i] = { error: true };
        }
      }));
    }
    parentPort.postMessage({ id, results });
  } catch (error) {
    parentPort.postMessage({ id, fatal: String(error && error.stack || error) });
  }
}
`;

async function evaluateHere(engines: Map<string, PolicyEngine>, key: string, document: PolicyDocument, items: Item[]): Promise<Summary[]> {
  const results: Summary[] = [];
  for (let start = 0; start < items.length; start += 16) {
    if (!engines.has(key)) engines.set(key, new PolicyEngine(document));
    const engine = engines.get(key)!;
    const chunk = await Promise.all(items.slice(start, start + 16).map(async (item): Promise<Summary> => {
      try {
        return summarize(await engine.evaluate(item.facts, { exempt: item.exempt ? new Set(item.exempt) : undefined }));
      } catch {
        return { error: true };
      }
    }));
    results.push(...chunk);
  }
  return results;
}

class Reference {
  private workers: Worker[] = [];
  private next = 0;
  private id = 0;
  private readonly pending = new Map<number, { resolve: (r: Summary[]) => void; reject: (e: Error) => void }>();
  private readonly local = new Map<string, PolicyEngine>();
  private localQueue: Promise<unknown> = Promise.resolve();
  mode = 'this thread';

  async start(): Promise<void> {
    try {
      const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
      const tsxApi = pathToFileURL(join(tsxRoot, JSON.parse(readFileSync(join(tsxRoot, 'package.json'), 'utf8')).exports['./esm/api'].import.default)).href;
      const engine = new URL('../../server/policy/engine.ts', import.meta.url).href;
      const count = Math.max(1, Math.min(4, availableParallelism()));
      this.workers = Array.from({ length: count }, () => {
        const worker = new Worker(workerSource, { eval: true, workerData: { tsxApi, engine } });
        worker.on('message', ({ id, results, fatal }) => {
          const waiter = this.pending.get(id)!;
          this.pending.delete(id);
          if (fatal) waiter.reject(new Error(fatal));
          else waiter.resolve(results);
        });
        return worker;
      });
      // One round trip each proves the workers load the engine; otherwise json-rules-engine runs here.
      const probe = readPreset(presetVersions()[0]);
      await Promise.all(this.workers.map((w) => this.send(w, 'probe', probe, [{ facts: {}, exempt: null }])));
      this.mode = `${count} worker threads`;
    } catch (error) {
      console.warn(`json-rules-engine runs in this thread: the worker threads did not start (${(error as Error).message.split('\n')[0]})`);
      await this.stop();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }

  private send(worker: Worker, key: string, document: PolicyDocument, items: Item[]): Promise<Summary[]> {
    return new Promise((resolve, reject) => {
      const id = this.id++;
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, key, document, items });
    });
  }

  evaluate(key: string, document: PolicyDocument, items: Item[]): Promise<Summary[]> {
    if (this.workers.length > 0) return this.send(this.workers[this.next++ % this.workers.length], key, document, items);
    const run = this.localQueue.then(() => evaluateHere(this.local, key, document, items));
    this.localQueue = run.catch(() => undefined);
    return run;
  }

  get parallelism(): number {
    return Math.max(1, this.workers.length);
  }
}

/** Whether every catalog fact is a plain object: what the compiled fast path takes. */
function allPlain(facts: FactValues): boolean {
  return Object.keys(catalog.facts).every((name) => {
    const value = facts[name] as unknown;
    return typeof value === 'object' && value !== null && (value as object).constructor === Object;
  });
}

interface Mismatch {
  item: Item;
  reference: Summary;
  compiled: Summary;
  interpreted: Summary;
}

/**
 * Runs `batches` batches of items through json-rules-engine (reference), the compiled function and the
 * interpreter; returns how many items were compared and the first mismatches.
 */
async function differential(
  reference: Reference, key: string, document: PolicyDocument, batches: Array<() => Item[]>,
): Promise<{ compared: number; outcomes: Map<string, number>; mismatches: Mismatch[]; generateMs: number; compiledMs: number }> {
  const compiled = new PolicyEngine(document);
  const interpreted = interpretPolicy(document);
  const sortLimits = limitTies(document);
  const mismatches: Mismatch[] = [];
  const outcomes = new Map<string, number>();
  let compared = 0;
  const inflight: Promise<void>[] = [];
  let generateMs = 0;
  let compiledMs = 0;
  for (const batch of batches) {
    const t0 = performance.now();
    const items = batch();
    const t1 = performance.now();
    const mine = items.map((item) => summarizeSync((f, e) => compiled.decide(f, e ?? undefined), item));
    // The interpreter decides what the fast path refuses (facts missing or not plain objects): check it
    // on all of those, and on one in eight of the rest.
    const theirs = items.map((item, i) => (i % 8 === 0 || !allPlain(item.facts) ? summarizeSync(interpreted, item) : mine[i]));
    generateMs += t1 - t0;
    compiledMs += performance.now() - t1;
    inflight.push(reference.evaluate(key, document, items).then((results) => {
      results.forEach((result, i) => {
        compared++;
        const label = 'error' in result ? 'error' : `${result.outcome}:${result.reason}`;
        outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
        const expected = JSON.stringify(normalize(result, sortLimits));
        if (JSON.stringify(normalize(mine[i], sortLimits)) !== expected || JSON.stringify(normalize(theirs[i], sortLimits)) !== expected) {
          if (mismatches.length < 5) mismatches.push({ item: items[i], reference: result, compiled: mine[i], interpreted: theirs[i] });
        }
      });
    }));
    if (inflight.length >= reference.parallelism * 2) await inflight.shift();
  }
  await Promise.all(inflight);
  return { compared, outcomes, mismatches, generateMs, compiledMs };
}

// ---------------------------------------------------------------------------------------------------
// Fact sets.

const MISSING = Symbol('missing');
const large = [1_000_000_000, Number.MAX_SAFE_INTEGER];
/** Values of the wrong type, or none: what inline what-if facts could carry. */
const oddValues = [MISSING, undefined, null, '12', 'abc', '', true, false, NaN, [3], {}];
/** What a top-level fact could be instead of an object. */
const oddFacts = [MISSING, undefined, null, 7, 'sender', []];

/** Numbers each fact member is compared with in `document`: literals and parameter values. */
function comparedNumbers(document: PolicyDocument): Map<string, number[]> {
  const params = parameterValues(document);
  const found = new Map<string, number[]>();
  const operandValue = (v: unknown): number | undefined => {
    if (typeof v === 'number') return v;
    if (v && typeof v === 'object' && (v as { fact?: string }).fact === 'params') {
      const p = params[(v as { path: string }).path.slice(2)];
      return typeof p === 'number' ? p : undefined;
    }
    return undefined;
  };
  const add = (key: string, v: number | undefined) => {
    if (v !== undefined) found.set(key, [...(found.get(key) ?? []), v]);
  };
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('condition' in c) walk(document.conditions![c.condition] as Condition);
    else {
      const left = `${c.fact}.${c.path!.slice(2)}`;
      add(left, operandValue(c.value));
      if (c.value && typeof c.value === 'object' && !Array.isArray(c.value)) add(`${c.value.fact}.${c.value.path!.slice(2)}`, operandValue({ fact: c.fact, path: c.path }));
    }
  };
  Object.values(document.conditions ?? {}).forEach((c) => walk(c as Condition));
  document.rules.forEach((r) => walk(r.conditions as Condition));
  return found;
}

const around = (values: number[]) => [...new Set(values.flatMap((v) => [v - 1, v, v + 1]))];

/**
 * The value of each boolean member that the document's refusing rules (deny, limit, request) do not
 * look for, as far as their literals tell: what ordinary traffic carries.
 */
function quietBooleans(document: PolicyDocument): Map<string, boolean> {
  const score = new Map<string, number>(); // > 0: `true` is what refusals look for
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('condition' in c) walk(document.conditions![c.condition] as Condition);
    else if (typeof c.value === 'boolean' && (c.operator === 'equal' || c.operator === 'notEqual')) {
      const key = `${c.fact}.${c.path!.slice(2)}`;
      score.set(key, (score.get(key) ?? 0) + ((c.value === true) === (c.operator === 'equal') ? 1 : -1));
    }
  };
  for (const rule of document.rules) if (rule.event.type !== 'allow') walk(rule.conditions as Condition);
  return new Map([...score].map(([key, s]) => [key, s <= 0]));
}

type Hint = { fact: string; member: string; value: unknown };

/**
 * For each rule, member values that satisfy the comparisons at the top of its `all` (or its first
 * `any` branch) with the document's own parameters: a fact set built on them reaches that rule.
 */
function ruleHints(document: PolicyDocument): Hint[][] {
  const params = parameterValues(document);
  const resolve = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) && (v as { fact?: string }).fact === 'params' ? params[(v as { path: string }).path.slice(2)] : v;
  const satisfy = (c: Record<string, any>): unknown => {
    const b = resolve(c.value);
    switch (c.operator) {
      case 'equal': return b;
      case 'notEqual': return typeof b === 'boolean' ? !b : typeof b === 'number' ? b + 1 : undefined;
      case 'in': return Array.isArray(b) ? b[0] : undefined;
      case 'lessThan': return typeof b === 'number' ? b - 1 : undefined;
      case 'lessThanInclusive': case 'greaterThanInclusive': return b;
      case 'greaterThan': return typeof b === 'number' ? b + 1 : undefined;
      default: return undefined;
    }
  };
  const collect = (c: Condition, out: Hint[]): void => {
    if ('all' in c) c.all.forEach((x) => collect(x, out));
    else if ('any' in c) collect(c.any[0], out);
    else if ('condition' in c) collect(document.conditions![c.condition] as Condition, out);
    else if ('fact' in c && typeof c.value !== 'object') {
      const value = satisfy(c);
      if (value !== undefined) out.push({ fact: c.fact, member: c.path!.slice(2), value });
    } else if ('fact' in c && Array.isArray(c.value) && c.operator === 'in') {
      out.push({ fact: c.fact, member: c.path!.slice(2), value: c.value[0] });
    } else if ('fact' in c && c.value && typeof c.value === 'object' && !Array.isArray(c.value)) {
      const value = satisfy(c);
      if (value !== undefined) out.push({ fact: c.fact, member: c.path!.slice(2), value });
    }
  };
  return document.rules.map((rule) => {
    const out: Hint[] = [];
    collect(rule.conditions as Condition, out);
    return out;
  });
}

function applyHints(facts: FactValues, hints: Hint[], keep: number[]): FactValues {
  const out: FactValues = { ...facts };
  hints.forEach((hint, i) => {
    const current = out[hint.fact];
    if (keep[i] >= 85 || current === null || typeof current !== 'object' || Array.isArray(current)) return;
    out[hint.fact] = { ...current, [hint.member]: hint.value };
  });
  return out;
}

/** Reads a fast-check-generated array of 32-bit words as a stream of bytes (wrapping around). */
class Bytes {
  private i = 0;
  constructor(private readonly words: number[]) {}
  next(): number {
    const word = this.words[(this.i >> 2) % this.words.length] >>> 0;
    const byte = (word >>> ((this.i & 3) * 8)) & 255;
    this.i++;
    return byte;
  }
}

/**
 * Fact sets for `document`: every catalog member; booleans, enum values, ids, and numbers drawn
 * around every boundary the document has (each number it compares a member with, every number
 * parameter's value, min and max: v-1, v, v+1, v+0.5, 0, large). Now and then a member is missing or
 * of the wrong type, a top-level fact is missing or not an object (1 in `oddness + 1`), the parameters
 * are other values (min, value, max), and rules are exempt.
 * A quarter are uniform; a quarter ordinary traffic (booleans mostly at their quiet value, numbers
 * mostly below the thresholds); half aim at one rule (ordinary traffic with the values its comparisons
 * look for, each kept 85% of the time) so that every rule gets to decide, and to nearly decide.
 *
 * fast-check generates an array of 32-bit words that is decoded into the fact set: an order of
 * magnitude faster than nested record/oneof arbitraries, which matters at 100 000 fact sets a preset.
 */
function itemArbitrary(document: PolicyDocument, options: { oddness: number }): fc.Arbitrary<Item> {
  const compared = comparedNumbers(document);
  const quiet = quietBooleans(document);
  const hints = ruleHints(document);
  const own = parameterValues(document);
  const parameters = Object.entries(document.parameters);
  const names = document.rules.map((r) => r.name);
  const parameterNumbers = parameters.flatMap(([, p]) => (p.type === 'number' ? [p.value, p.min, p.max] : []));
  const everyBoundary = [...around([0, 1, ...parameterNumbers, ...[...compared.values()].flat()]), ...large];

  type Plan = { name: string; member: Member; quiet: boolean; uniform: Array<[number, unknown[] | null]>; ordinary: Array<[number, unknown[] | null]>; range: number };
  const plans = Object.entries(catalog.facts).filter(([fact]) => fact !== 'params').map(([fact, { members: ms }]) => ({
    fact,
    members: Object.entries(ms).map(([name, member]): Plan => {
      const key = `${fact}.${name}`;
      const near = compared.get(key) ?? [];
      const nearList = near.length ? [...around(near), ...near.map((v) => v + 0.5)] : [];
      const quietList = [0, ...near.filter((v) => v >= 2).map((v) => v - 1)];
      // [weight, values] — values null: a random integer in 0..range.
      const uniform: Array<[number, unknown[] | null]> = [[nearList.length ? 6 : 0, nearList], [3, everyBoundary], [1, null]];
      const ordinary: Array<[number, unknown[] | null]> = [[nearList.length ? 2 : 0, nearList], [12, quietList], [3, everyBoundary], [1, null]];
      return { name, member, quiet: quiet.get(key) ?? false, uniform, ordinary, range: 2 * Math.max(1, ...near, ...parameterNumbers) };
    }),
  }));
  const choose = (table: Array<[number, unknown[] | null]>, b: number, c: number, d: number, range: number): unknown => {
    let pick = b % table.reduce((sum, [w]) => sum + w, 0);
    for (const [weight, values] of table) {
      if (pick < weight) return values ? values[c % values.length] : ((c << 8) | d) % (range + 1);
      pick -= weight;
    }
    throw new Error('unreachable');
  };
  const most = Math.max(1, ...hints.map((h) => h.length));
  const bytes = 4 + plans.reduce((n, p) => n + 2 + 4 * p.members.length, 0) + 1 + parameters.length + 1 + most + 5;

  const decode = (words: number[]): Item => {
    const r = new Bytes(words);
    const mode = r.next() % 4;
    const ordinary = mode !== 0;
    let facts: FactValues = {};
    for (const { fact, members: ms } of plans) {
      const top = r.next();
      const odd = r.next();
      if (top % (options.oddness + 1) === 0) {
        const value = oddFacts[odd % oddFacts.length];
        if (value !== MISSING) facts[fact] = value as never;
        continue;
      }
      const values: Record<string, unknown> = {};
      for (const plan of ms) {
        const [a, b, c, d] = [r.next(), r.next(), r.next(), r.next()];
        if (a === 0) {
          const value = oddValues[b % oddValues.length];
          if (value !== MISSING) values[plan.name] = value;
          continue;
        }
        const { member } = plan;
        if (member.type === 'boolean') values[plan.name] = ordinary ? (b % 9 === 0 ? (c & 1) === 1 : plan.quiet) : (b & 1) === 1;
        else if (member.enum) values[plan.name] = member.enum[b % member.enum.length];
        else if (member.type === 'string') values[plan.name] = ['', 'u1', 'u2', 'app7'][b % 4];
        else values[plan.name] = choose(ordinary ? plan.ordinary : plan.uniform, b, c, d, plan.range);
      }
      facts[fact] = values;
    }
    // Mostly the document's own parameter values; one in five, each at its min, value or max.
    const variant = r.next() % 5 === 0;
    const params: Record<string, unknown> = {};
    for (const [name, p] of parameters) {
      const b = r.next();
      if (!variant) continue;
      params[name] = p.type === 'number' ? [p.min, p.value, p.max, p.value + 1, Math.max(p.min, p.value - 1)][b % 5] : p.type === 'boolean' ? (b & 1) === 1 : p.options[b % p.options.length];
    }
    facts.params = variant ? params : own;
    const rule = r.next() % hints.length;
    const keep = Array.from({ length: most }, () => r.next() % 100);
    if (mode >= 2) facts = applyHints(facts, hints[rule], keep);
    let exempt: string[] | null = null;
    if (r.next() % 4 === 0) {
      const count = 1 + (r.next() % Math.min(3, names.length));
      exempt = [...new Set(Array.from({ length: count }, () => names[r.next() % names.length]))];
    }
    return { facts, exempt };
  };
  const words = Math.ceil(bytes / 4);
  return fc.array(fc.integer(), { minLength: words, maxLength: words }).map(decode);
}

function batchesOf(arbitrary: fc.Arbitrary<Item>, total: number, seedBase: number): Array<() => Item[]> {
  const batches: Array<() => Item[]> = [];
  for (let done = 0, i = 0; done < total; done += batchSize, i++) {
    const n = Math.min(batchSize, total - done);
    batches.push(() => fc.sample(arbitrary, { numRuns: n, seed: seedBase + i, unbiased: true }));
  }
  return batches;
}

// ---------------------------------------------------------------------------------------------------
// Random documents from the catalog.

const operand = (fact: string, member: string) => ({ fact, path: `$.${member}` });
const members = Object.entries(catalog.facts).flatMap(([fact, { members: ms }]) => Object.entries(ms).map(([name, m]) => ({ fact, name, ...m })));
const booleanMembers = members.filter((m) => m.type === 'boolean').map((m) => operand(m.fact, m.name)).concat([operand('params', 'flag')]);
const numberMembers = members.filter((m) => m.type === 'number').map((m) => operand(m.fact, m.name)).concat([operand('params', 'limitA'), operand('params', 'limitB')]);
const idMembers = members.filter((m) => m.type === 'string' && !m.enum).map((m) => operand(m.fact, m.name));
const modes = ['calendar-day', 'rolling-24h', 'off'];
const enumMembers = members.filter((m) => m.enum).map((m) => ({ ...operand(m.fact, m.name), values: m.enum! })).concat([{ ...operand('params', 'mode'), values: modes }]);
const numberLiterals = [0, 1, 5, 10, 20, 160, 500, 1000];
const ids = ['', 'u1', 'u2'];
const limitNames = Object.keys(catalog.events.limits);

const comparisonPriority = fc.option(fc.constantFrom(1, 2, 3), { nil: undefined, freq: 3 });
function withPriority<T extends object>(node: T, priority: number | undefined): T {
  return priority === undefined ? node : { ...node, priority };
}

const leafArbitrary: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    left: fc.constantFrom(...booleanMembers), operator: fc.constantFrom('equal', 'notEqual'),
    value: fc.oneof(fc.boolean(), fc.constantFrom(...booleanMembers)), priority: comparisonPriority,
  }).map(({ left, operator, value, priority }) => withPriority({ ...left, operator, value }, priority)),
  fc.constantFrom(...enumMembers).chain((m) => fc.record({
    operator: fc.constantFrom('equal', 'notEqual', 'in', 'notIn'), one: fc.constantFrom(...m.values), list: fc.subarray(m.values),
    reference: fc.option(fc.constantFrom(...enumMembers.filter((o) => o !== m)), { freq: 4 }), priority: comparisonPriority,
  }).map(({ operator, one, list, reference, priority }) => {
    const membership = operator === 'in' || operator === 'notIn';
    const value = membership ? list : reference ? { fact: reference.fact, path: reference.path } : one;
    return withPriority({ fact: m.fact, path: m.path, operator, value }, priority);
  })),
  fc.record({
    left: fc.constantFrom(...idMembers), operator: fc.constantFrom('equal', 'notEqual', 'in', 'notIn'),
    one: fc.oneof(fc.constantFrom(...ids), fc.constantFrom(...idMembers)), list: fc.subarray(ids), priority: comparisonPriority,
  }).map(({ left, operator, one, list, priority }) => withPriority({ ...left, operator, value: operator === 'in' || operator === 'notIn' ? list : one }, priority)),
  fc.record({
    left: fc.constantFrom(...numberMembers),
    operator: fc.constantFrom('lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'equal', 'notEqual'),
    value: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...numberLiterals) }, { weight: 1, arbitrary: fc.constantFrom(...numberMembers) }),
    priority: comparisonPriority,
  }).map(({ left, operator, value, priority }) => withPriority({ ...left, operator, value }, priority)),
) as fc.Arbitrary<Condition>;

/** A condition tree whose `condition` references name one of `named`; the top is never a bare comparison. */
function treeArbitrary(named: string[]): fc.Arbitrary<Condition> {
  const groupPriority = fc.option(fc.constantFrom(1, 2, 3), { nil: undefined, freq: 4 });
  const reference = fc.record({ name: fc.constantFrom(...(named.length ? named : ['unused'])), priority: groupPriority })
    .map(({ name, priority }) => withPriority({ condition: name }, priority));
  const { node } = fc.letrec<{ node: Condition }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 3, depthSize: 'small' },
      { weight: 4, arbitrary: leafArbitrary },
      fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 4 }), priority: groupPriority }).map(({ all, priority }) => withPriority({ all }, priority)),
      fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 4 }), priority: groupPriority }).map(({ any, priority }) => withPriority({ any }, priority)),
      fc.record({ not: tie('node'), priority: groupPriority }).map(({ not, priority }) => withPriority({ not }, priority)),
      ...(named.length ? [reference] : []),
    ),
  }));
  const children = fc.array(node, { minLength: 1, maxLength: 5 });
  return fc.oneof(
    { weight: 3, arbitrary: children.map((all) => ({ all })) },
    { weight: 2, arbitrary: children.map((any) => ({ any })) },
    { weight: 1, arbitrary: node.map((not) => ({ not })) },
    ...(named.length ? [{ weight: 1, arbitrary: fc.constantFrom(...named).map((condition) => ({ condition })) }] : []),
  ) as fc.Arbitrary<Condition>;
}

const eventArbitrary = fc.oneof(
  fc.record({ type: fc.constantFrom('allow', 'request', 'deny'), reason: fc.constantFrom('allowed', 'blocked', 'not_allowed', 'message_request') })
    .map(({ type, reason }) => ({ type, params: { reason } })),
  fc.record({ limit: fc.constantFrom(...limitNames), reason: fc.constantFrom('daily_limit', 'rate_limited') })
    .map(({ limit, reason }) => ({ type: 'limit', params: { reason, limit } })),
);

const documentArbitrary: fc.Arbitrary<unknown> = fc.record({
  limitA: fc.constantFrom(...numberLiterals), limitB: fc.constantFrom(...numberLiterals), flag: fc.boolean(), mode: fc.constantFrom(...modes),
  named: fc.integer({ min: 0, max: 3 }),
}).chain(({ limitA, limitB, flag, mode, named }) => {
  const names = Array.from({ length: named }, (_, i) => `named${i}`);
  return fc.record({
    // A named condition refers only to those declared before it: no cycles.
    conditions: fc.tuple(...names.map((_, i) => treeArbitrary(names.slice(0, i)))),
    rules: fc.array(fc.record({ priority: fc.constantFrom(1, 2, 3, 10, 100), conditions: treeArbitrary(names), event: eventArbitrary }), { minLength: 1, maxLength: 10 }),
    default: fc.constantFrom('allow', 'request', 'deny').map((type) => ({ type, params: { reason: 'default_decision' } })),
  }).map(({ conditions, rules, default: defaultEvent }) => ({
    name: 'dm',
    version: 'random',
    description: 'A generated policy.',
    source: ['000'],
    parameters: {
      limitA: { type: 'number', value: limitA, min: 0, max: 1000, unit: 'sends', description: 'A number.' },
      limitB: { type: 'number', value: limitB, min: 0, max: 1000, unit: 'sends', description: 'Another number.' },
      flag: { type: 'boolean', value: flag, description: 'A switch.' },
      mode: { type: 'enum', value: mode, options: modes, description: 'A choice.' },
    },
    default: defaultEvent,
    ...(names.length ? { conditions: Object.fromEntries(names.map((n, i) => [n, conditions[i]])) } : {}),
    rules: rules.map((r, i) => ({ name: `rule-${i}`, family: 'R1', description: 'A generated rule.', ...r })),
  }));
});

// ---------------------------------------------------------------------------------------------------

const reference = new Reference();
beforeAll(() => reference.start(), 60_000);
afterAll(() => reference.stop());

function report(label: string, compared: number, outcomes: Map<string, number>, started: number, detail = ''): void {
  const mix = [...outcomes].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ${((100 * n) / compared).toFixed(1)}%`).join(', ');
  console.info(`${label}: ${compared} fact sets identical in ${((performance.now() - started) / 1000).toFixed(1)} s (json-rules-engine in ${reference.mode}${detail ? `; ${detail}` : ''}); ${mix}`);
}

describe('compiled evaluator = json-rules-engine on the presets', () => {
  for (const [i, version] of presetVersions().entries()) {
    it(`${version}: ${runsPerPreset} generated fact sets`, async () => {
      const started = performance.now();
      const document = readPreset(version);
      const arbitrary = itemArbitrary(document, { oddness: 200 });
      const { compared, outcomes, mismatches, generateMs, compiledMs } = await differential(reference, version, document, batchesOf(arbitrary, runsPerPreset, seed + i * 1_000_003));
      report(version, compared, outcomes, started, `generating ${(generateMs / 1000).toFixed(1)} s, compiled + interpreter ${(compiledMs / 1000).toFixed(1)} s`);
      expect(mismatches.map((m) => JSON.stringify(m))).toEqual([]);
      expect(compared).toBe(runsPerPreset);
      // The fact sets reach (nearly) every decision of the preset.
      const reasons = new Set([...outcomes.keys()]);
      if (runsPerPreset >= 10_000) {
        for (const rule of document.rules) expect(reasons, rule.name).toContain(`${rule.event.type}:${rule.event.params.reason}`);
      }
    }, 600_000);
  }
});

describe('compiled evaluator = json-rules-engine on random documents', () => {
  it(`${randomDocuments} documents generated from the catalog, ${factSetsPerDocument} fact sets each`, async () => {
    const started = performance.now();
    const documents = fc.sample(documentArbitrary, { numRuns: randomDocuments, seed });
    const runs: Promise<Awaited<ReturnType<typeof differential>>>[] = [];
    let compared = 0;
    const outcomes = new Map<string, number>();
    const mismatches: Array<Mismatch & { document: unknown }> = [];
    for (const [i, raw] of documents.entries()) {
      const result = validateDocument(raw);
      if (!result.ok) expect.fail(`generated document ${i} is invalid: ${JSON.stringify(result.errors.slice(0, 3))}\n${JSON.stringify(raw)}`);
      const document = result.document;
      const arbitrary = itemArbitrary(document, { oddness: 100 });
      runs.push(differential(reference, `random-${i}`, document, [() => fc.sample(arbitrary, { numRuns: factSetsPerDocument, seed: seed + i, unbiased: true })]).then((r) => {
        compared += r.compared;
        r.outcomes.forEach((n, k) => outcomes.set(k, (outcomes.get(k) ?? 0) + n));
        if (mismatches.length < 3) mismatches.push(...r.mismatches.slice(0, 1).map((m) => ({ ...m, document })));
        return r;
      }));
      if (runs.length >= reference.parallelism * 2) await runs.shift();
    }
    await Promise.all(runs);
    report(`${randomDocuments} random documents`, compared, outcomes, started);
    if (mismatches.length && process.env.DIFFERENTIAL_DUMP) writeFileSync(process.env.DIFFERENTIAL_DUMP, JSON.stringify(mismatches, (_, v) => (v === undefined ? "__undefined__" : Number.isNaN(v) ? "__NaN__" : v)));
    expect(mismatches.map((m) => JSON.stringify(m))).toEqual([]);
    expect(compared).toBe(randomDocuments * factSetsPerDocument);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------------
// Edge cases, one by one, on hand-written documents (some of which validateDocument would refuse).

function documentWith(conditions: Record<string, unknown>[], extra: Partial<PolicyDocument> = {}): PolicyDocument {
  return {
    name: 'dm', version: 'edge', description: 'Edge cases.', source: ['000'],
    parameters: { limit: { type: 'number', value: 10, min: 0, max: 100, unit: 'sends', description: 'A limit.' } },
    default: { type: 'allow', params: { reason: 'allowed' } },
    rules: conditions.map((c, i) => ({
      name: `rule-${i}`, family: 'R1', description: 'Edge.', priority: 100 - i,
      conditions: { all: [c] } as any, event: { type: 'deny', params: { reason: `rule_${i}` } },
    })),
    ...extra,
  };
}

/** Both sides on one fact set: the same decision, or both throw. */
async function agree(document: PolicyDocument, facts: unknown, exempt?: Set<string>, decide?: CompiledDecision): Promise<Summary> {
  const engine = new PolicyEngine(document);
  let expected: Summary;
  try {
    expected = summarize(await engine.evaluate(facts as FactValues, { exempt }));
  } catch {
    expected = { error: true };
  }
  const run = decide ?? ((f: FactValues, e?: ReadonlySet<string> | null) => engine.decide(f, e ?? undefined));
  let actual: Summary;
  try {
    actual = summarize(run(facts as FactValues, exempt));
  } catch {
    actual = { error: true };
  }
  expect(actual, `compiled on ${JSON.stringify(facts)}`).toEqual(expected);
  let interpreted: Summary;
  try {
    interpreted = summarize(interpretPolicy(document)(facts as FactValues, exempt));
  } catch {
    interpreted = { error: true };
  }
  expect(interpreted, `interpreted on ${JSON.stringify(facts)}`).toEqual(expected);
  return expected;
}

const numberValues: unknown[] = [5, 10, 11, 10.5, -1, 0, '5', '12', '10', '5abc', 'abc', '', ' ', true, false, null, undefined, NaN, Infinity, -Infinity, [5], [5, 6], [], {}, 1e21, '0x10', '1e3'];

describe('operator edge cases', () => {
  it('ordering operators compare only what parses as a number, like json-rules-engine', async () => {
    for (const operator of ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']) {
      for (const value of [10, '10', { fact: 'params', path: '$.limit' }]) {
        const document = documentWith([{ fact: 'quota', path: '$.dailyUsed', operator, value }]);
        for (const dailyUsed of numberValues) await agree(document, { quota: { dailyUsed }, params: { limit: 10 } });
        // The member missing: undefined never orders.
        expect(await agree(document, { quota: {}, params: { limit: 10 } })).toMatchObject({ outcome: 'allow' });
      }
    }
  });

  it('equal and notEqual are strict', async () => {
    for (const value of [0, '0', false, null, true, 'x']) {
      for (const operator of ['equal', 'notEqual']) {
        const document = documentWith([{ fact: 'relation', path: '$.blocked', operator, value }]);
        for (const blocked of [0, '0', false, null, undefined, true, 'x', NaN, [], MISSING]) {
          await agree(document, { relation: blocked === MISSING ? {} : { blocked } });
        }
      }
    }
  });

  it('in / notIn look the fact value up with indexOf; a value that is not a list throws or matches substrings', async () => {
    for (const operator of ['in', 'notIn']) {
      for (const value of [['direct', 'group_create'], [], [1, '1', null, true], 'direct group_create', 7, null, { fact: 'send', path: '$.kinds' }]) {
        const document = documentWith([{ fact: 'send', path: '$.kind', operator, value }]);
        for (const kind of ['direct', 'group', 'x', '', 1, '1', null, true, undefined, NaN]) {
          await agree(document, { send: { kind, kinds: ['direct'] } }, undefined, Array.isArray(value) ? undefined : interpretPolicy(document));
        }
        // A list literal compiles; anything else is refused at compile time (validateDocument refuses it too).
        if (!Array.isArray(value)) expect(() => compilePolicy(document)).toThrow(CompileError);
      }
    }
  });

  it('contains / doesNotContain need an array fact value', async () => {
    for (const operator of ['contains', 'doesNotContain']) {
      for (const value of ['u1', 1, null, { fact: 'sender', path: '$.id' }]) {
        const document = documentWith([{ fact: 'group', path: '$.participants', operator, value }]);
        for (const participants of [['u1', 'u2'], [1, '1'], [], 'u1 u2', 'xu1', null, undefined, {}, 5, [null]]) {
          await agree(document, { group: { participants }, sender: { id: 'u1' } });
        }
      }
    }
  });

  it('members resolve to undefined when missing, inherited or under a non-object; a path on a non-object fact is ignored', async () => {
    const document = documentWith([
      { fact: 'sender', path: '$.verified', operator: 'equal', value: true },
      { fact: 'params', path: '$.toString', operator: 'notEqual', value: 0 },
      { fact: 'params', path: '$.constructor', operator: 'equal', value: null },
      { fact: 'app', path: '$.grant.scope', operator: 'equal', value: 'dm' },
    ], { parameters: {} });
    for (const sender of [{ verified: true }, {}, { verified: undefined }, true, 'x', 0, null, [], Object.assign(Object.create(null), { verified: true }), { constructor: 1, verified: true }]) {
      await agree(document, { sender, params: {}, app: {} });
    }
    for (const params of [{}, { toString: 0 }, { toString: 1 }, { constructor: null }, Object.create(null), 0]) {
      await agree(document, { sender: {}, params, app: {} });
    }
    for (const app of [{}, { grant: { scope: 'dm' } }, { grant: 'dm' }, { grant: null }, { grant: Object.create({ scope: 'dm' }) }, { grant: { scope: 'dm', x: 1 } }]) {
      await agree(document, { sender: {}, params: {}, app });
    }
  });

  it('a missing top-level fact throws exactly when json-rules-engine evaluates a condition that reads it', async () => {
    const suspended = { fact: 'sender', path: '$.suspended', operator: 'equal', value: true };
    const overQuota = { fact: 'quota', path: '$.dailyUsed', operator: 'greaterThanInclusive', value: 10 };
    // Same condition priority: both are evaluated, so a missing quota throws even when sender decides.
    const together = documentWith([{ any: [suspended, overQuota] }]);
    expect(await agree(together, { sender: { suspended: true } })).toEqual({ error: true });
    // A higher-priority condition that settles the `any` keeps json-rules-engine from reading quota…
    const first = documentWith([{ any: [{ ...suspended, priority: 2 }, overQuota] }]);
    expect(await agree(first, { sender: { suspended: true } })).toMatchObject({ outcome: 'deny' });
    // …but not when it does not settle it.
    expect(await agree(first, { sender: { suspended: false } })).toEqual({ error: true });
    // Every rule runs: a missing fact in a lower rule throws even when a higher one decides.
    const two = documentWith([suspended, overQuota]);
    expect(await agree(two, { sender: { suspended: true } })).toEqual({ error: true });
    expect(await agree(two, { sender: { suspended: true }, quota: {} })).toMatchObject({ rule: 'rule-0' });
    // A fact given as undefined is present; one nobody reads may be missing; no facts at all throws.
    expect(await agree(two, { sender: undefined, quota: undefined })).toMatchObject({ outcome: 'allow' });
    expect(await agree(documentWith([suspended]), { sender: { suspended: true } })).toMatchObject({ outcome: 'deny' });
    for (const facts of [{}, null, undefined, 5, 'sender', [], { '': {}, sender: {}, quota: {} }]) await agree(two, facts);
    // A missing fact in a value reference counts too.
    const reference = documentWith([{ fact: 'quota', path: '$.dailyUsed', operator: 'greaterThan', value: { fact: 'params', path: '$.limit' } }]);
    expect(await agree(reference, { quota: { dailyUsed: 11 } })).toEqual({ error: true });
    expect(await agree(reference, { quota: { dailyUsed: 11 }, params: { limit: 10 } })).toMatchObject({ outcome: 'deny' });
  });

  it('facts that are not plain objects take the interpreter and decide the same', async () => {
    class Sender {
      suspended = true;
    }
    const document = documentWith([{ fact: 'sender', path: '$.suspended', operator: 'equal', value: true }]);
    for (const sender of [new Sender(), Object.assign(Object.create(null), { suspended: true }), new Map([['suspended', true]]), [true]]) {
      await agree(document, { sender });
    }
    const inherited = Object.create({ sender: { suspended: true } });
    await agree(document, inherited);
  });

  it('documented difference: members a fact value inherits from a prototype that is not Object.prototype', async () => {
    // buildFacts and JSON never make such objects; json-rules-engine reads own members only.
    const document = documentWith([{ fact: 'sender', path: '$.suspended', operator: 'equal', value: true }]);
    const facts = { sender: Object.create({ suspended: true }) };
    expect((await new PolicyEngine(document).evaluate(facts)).rule).toBeNull();
    expect(new PolicyEngine(document).decide(facts).rule).toBe('rule-0');
  });

  it('named conditions, nested all/any/not and empty groups', async () => {
    const document: PolicyDocument = {
      ...documentWith([]),
      conditions: {
        follows: { any: [{ fact: 'relation', path: '$.recipientFollowsSender', operator: 'equal', value: true }, { condition: 'open' }] },
        open: { all: [{ fact: 'recipient', path: '$.inbox', operator: 'equal', value: 'everyone' }] },
        nothing: { any: [] },
        everything: { all: [] },
      } as any,
      rules: [
        { name: 'gate', family: 'R3', description: 'x', priority: 10, conditions: { not: { condition: 'follows' } }, event: { type: 'deny', params: { reason: 'gate' } } },
        { name: 'empty-any', family: 'R3', description: 'x', priority: 5, conditions: { all: [{ condition: 'nothing' }, { fact: 'sender', path: '$.verified', operator: 'equal', value: true }] }, event: { type: 'request', params: { reason: 'empty_any' } } },
        { name: 'empty-all', family: 'R3', description: 'x', priority: 1, conditions: { condition: 'everything' }, event: { type: 'allow', params: { reason: 'empty_all' } } },
      ],
    };
    for (const recipientFollowsSender of [true, false]) {
      for (const inbox of ['everyone', 'following']) {
        for (const verified of [true, false]) await agree(document, { relation: { recipientFollowsSender }, recipient: { inbox }, sender: { verified } });
      }
    }
  });

  it('exempt rules may match but neither decide nor add their limit', async () => {
    const document: PolicyDocument = {
      ...documentWith([]),
      rules: [
        { name: 'cooldown', family: 'R14', description: 'x', priority: 800, conditions: { all: [{ fact: 'sender', path: '$.inCooldown', operator: 'equal', value: true }] }, event: { type: 'limit', params: { reason: 'cooldown', limit: 'cooldown' } } },
        { name: 'daily', family: 'R10', description: 'x', priority: 780, conditions: { all: [{ fact: 'quota', path: '$.dailyUsed', operator: 'greaterThanInclusive', value: 10 }] }, event: { type: 'limit', params: { reason: 'daily_limit', limit: 'daily' } } },
        { name: 'same-tier', family: 'R10', description: 'x', priority: 780, conditions: { all: [{ fact: 'quota', path: '$.dailyUsed', operator: 'greaterThanInclusive', value: 20 }] }, event: { type: 'limit', params: { reason: 'daily_limit', limit: 'apiUser24h' } } },
        { name: 'gate', family: 'R3', description: 'x', priority: 500, conditions: { all: [{ fact: 'relation', path: '$.recipientFollowsSender', operator: 'equal', value: false }] }, event: { type: 'request', params: { reason: 'gate' } } },
      ],
    };
    const facts = { sender: { inCooldown: true }, quota: { dailyUsed: 15 }, relation: { recipientFollowsSender: false } };
    expect(await agree(document, facts)).toEqual({ outcome: 'limit', reason: 'cooldown', rule: 'cooldown', limits: ['cooldown', 'daily'] });
    expect(await agree(document, facts, new Set(['cooldown']))).toEqual({ outcome: 'limit', reason: 'daily_limit', rule: 'daily', limits: ['daily'] });
    expect(await agree(document, facts, new Set(['cooldown', 'daily']))).toEqual({ outcome: 'request', reason: 'gate', rule: 'gate', limits: [] });
    expect(await agree(document, facts, new Set(['cooldown', 'daily', 'gate', 'nope']))).toEqual({ outcome: 'allow', reason: 'allowed', rule: null, limits: [] });
    expect(await agree(document, facts, new Set())).toMatchObject({ rule: 'cooldown' });
    // Ties of priority: document order decides.
    expect(await agree(document, { ...facts, quota: { dailyUsed: 25 } }, new Set(['cooldown']))).toMatchObject({ rule: 'daily' });
  });

  it('literals are data in the generated source, whatever they contain', async () => {
    const nasty = ['"); globalThis.pwned = true; ("', '\\', '\u2028\u2029', '</script>', '${globalThis.pwned = true}', "'", '`'];
    const document = documentWith(nasty.map((value) => ({ fact: 'sender', path: '$.id', operator: 'equal', value })));
    document.rules.forEach((rule, i) => {
      rule.name = nasty[i];
      (rule.event.params as any).limit = nasty[i];
    });
    const compiled = compilePolicy(document);
    for (const id of [...nasty, 'u1']) await agree(document, { sender: { id } });
    expect((globalThis as any).pwned).toBeUndefined();
    expect(compiled.decide({ sender: { id: nasty[0] } }).rule).toBe(nasty[0]);
  });

  it('refuses at compile time what it cannot compile, and PolicyEngine.decide then throws', () => {
    const unknown = documentWith([{ fact: 'sender', path: '$.verified', operator: 'startsWith', value: 'x' }]);
    expect(() => compilePolicy(unknown)).toThrow(CompileError);
    expect(() => new PolicyEngine(unknown).decide({ sender: {} })).toThrow(CompileError);
    const filter = documentWith([{ fact: 'sender', path: '$..verified', operator: 'equal', value: true }]);
    expect(() => compilePolicy(filter)).toThrow(/plain member path/);
  });

  it('decide is unaffected by an earlier evaluation that threw', async () => {
    const document: PolicyDocument = {
      ...documentWith([]),
      rules: [
        { name: 'blocked', family: 'R1', description: 'x', priority: 990, conditions: { all: [{ fact: 'relation', path: '$.blocked', operator: 'equal', value: true }] }, event: { type: 'deny', params: { reason: 'blocked' } } },
        { name: 'daily', family: 'R10', description: 'x', priority: 780, conditions: { all: [{ fact: 'quota', path: '$.dailyUsed', operator: 'greaterThanInclusive', value: 10 }] }, event: { type: 'limit', params: { reason: 'daily_limit', limit: 'daily' } } },
      ],
    };
    const engine = new PolicyEngine(document);
    const overQuota = { relation: { blocked: false }, quota: { dailyUsed: 10 } };
    expect(() => engine.decide({ quota: { dailyUsed: 10 } })).toThrow(/Undefined fact: relation/);
    expect(engine.decide(overQuota)).toMatchObject({ outcome: 'limit', rule: 'daily', limits: ['daily'] });
  });
});

/**
 * A run that rejects may still be evaluating its lower priority groups; were its json-rules-engine
 * instance pooled again, they would mark it FINISHED under the next borrower, which would then skip
 * its own lower priority groups — here the daily cap, so a send over the cap would be allowed.
 */
describe('PolicyEngine.evaluate after a run that threw', () => {
  it('decides the next send on the same pooled instance correctly', async () => {
    const document: PolicyDocument = {
      ...documentWith([]),
      rules: [
        { name: 'blocked', family: 'R1', description: 'x', priority: 990, conditions: { all: [{ fact: 'relation', path: '$.blocked', operator: 'equal', value: true }] }, event: { type: 'deny', params: { reason: 'blocked' } } },
        { name: 'daily', family: 'R10', description: 'x', priority: 780, conditions: { all: [{ fact: 'quota', path: '$.dailyUsed', operator: 'greaterThanInclusive', value: 10 }] }, event: { type: 'limit', params: { reason: 'daily_limit', limit: 'daily' } } },
      ],
    };
    const engine = new PolicyEngine(document);
    await expect(engine.evaluate({ quota: { dailyUsed: 10 } })).rejects.toThrow(/Undefined fact: relation/);
    const next = await engine.evaluate({ relation: { blocked: false }, quota: { dailyUsed: 10 } });
    expect(next).toMatchObject({ outcome: 'limit', rule: 'daily' });
  });
});

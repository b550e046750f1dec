/**
 * Backtest speed (issue 4, point 4): replays `--attempts` logged attempts through the active version
 * (x-2023) with replay() of server/lifecycle/backtests/replay.ts, and prints attempts/s and seconds.
 *
 * Building the log fast: a small world (`--accounts`, `--edges`, a few app grants) is loaded, and
 * `--templates` real decisions are made through DecisionService.enforce at times spread over a day
 * (the bench world's send mix plus some API sends). Their decision_log rows are then copied straight
 * into decision_log through the writer, `--attempts` times in all, each copy with its own id, time
 * (spread evenly over one day) and fingerprints, and its account ids shifted so that senders and
 * recipients range over `--population` accounts (the facts stay the real decisions' facts); the
 * originals are then deleted. The replay window is that day; its 24 h warm-up holds no attempt.
 *
 * The copies' `facts` are written in the codec's layout 2 (a token array, server/decisions/logged-facts.ts),
 * what the decision path records; `--facts-layout 1` writes layout 1 (the same values as JSON, logged
 * until 2026-12-06) and `--facts-layout 0` the JSON logged before the codec
 * (`[{ subject, facts: { params, … }, exempt? }]`), both of which replays still read.
 *
 * Run: npm run bench:backtest -- [--attempts 1000000] [--templates 3000] [--population 100000] [--facts-layout 2] [--replays 3]
 * Target (issue 10): 1 000 000 attempts within 5 s, through the rule families' own modules.
 */
import { sql } from 'drizzle-orm';
import type { Params } from '../server/policy/document.ts';
import { currentLayout, decodeLoggedFacts, encodeLoggedFacts, type LoggedSubject } from '../server/decisions/logged-facts.ts';
import { SendRequest } from '../server/decisions/request.ts';
import { importGraph } from '../server/graph/import.ts';
import { replay } from '../server/lifecycle/backtests/replay.ts';
import { dayMs } from '../server/limits/windows.ts';
import { flag, machineLine, median, mib, peakRss, startTempService, thousands } from './support/common.ts';
import { mainThreadMinorFaults, minorFaults, threadCounters, threadsBetween } from './support/threads.ts';
import { accountId, hash32, importStream, sendBodies, type WorldSize } from './support/world.ts';

const attempts = flag('attempts', 1_000_000);
const templates = flag('templates', 3000);
const population = flag('population', 100_000);
const world: WorldSize = { accounts: flag('accounts', 5000), edges: flag('edges', 50_000) };
const factsLayout = flag('facts-layout', 2);
if (![0, 1, 2].includes(factsLayout)) throw new Error('--facts-layout: 2 (token arrays), 1 (JSON arrays) or 0 (the JSON before the codec)');
const replays = flag('replays', 3);
const apps = 5;
const apiSenders = 50;

console.log(`backtest — ${new Date().toISOString()}`);
console.log(machineLine());
console.log(`log: ${thousands(attempts)} attempts copied from ${thousands(templates)} real decisions on a world of ${thousands(world.accounts)} accounts / ${thousands(world.edges)} edges, senders over ${thousands(population)} accounts, facts in layout ${factsLayout}${[' (the JSON before the codec)', ' (JSON arrays)', ' (token arrays)'][factsLayout]}`);

/** An account id of the bench world (`a<number>`) shifted for the copy, any other string as it is. */
const shiftedId = (value: unknown, copy: number) => (typeof value === 'string' && /^a\d+$/.test(value) ? `a${(Number(value.slice(1)) + copy * 7919) % population}` : value);
/** A JSON text with its quoted account ids shifted for the copy. */
const shiftedIds = (text: string, copy: number) => text.replace(/"(a\d+)"/g, (_, id: string) => `"${shiftedId(id, copy)}"`);

/**
 * A copy's facts, in the format the copies get, their account ids shifted for the copy: a JSON text's
 * by its quoted ids, a token array's (whose strings carry their length) decoded, shifted and encoded.
 */
function copiedFacts(subjects: LoggedSubject[], params: Params, copy: number): string {
  const exempt = subjects[0]?.exempt ?? [];
  if (factsLayout === 2) {
    return encodeLoggedFacts(subjects.map(({ subject, facts }) => ({
      subject: shiftedId(subject, copy) as string | null,
      facts: Object.fromEntries(Object.entries(facts).map(([fact, members]) =>
        [fact, Object.fromEntries(Object.entries(members as Record<string, unknown>).map(([member, value]) => [member, shiftedId(value, copy)]))])),
    })), exempt);
  }
  const json = factsLayout === 1
    ? JSON.stringify([1, exempt, ...subjects.map(({ subject, facts }) => [subject, ...currentLayout.flatMap(([fact, members]) => members.map((member) => facts[fact]?.[member] ?? null))])])
    : JSON.stringify(subjects.map(({ subject, facts, exempt: rules }) => ({ subject, facts: { ...facts, params }, ...(rules ? { exempt: rules } : {}) })));
  return shiftedIds(json, copy);
}

const temp = await startTempService({ listen: false });
const { store, decisions, policies } = temp.service;
try {
  // The small world, plus app grants for the API senders.
  const from = Date.UTC(2026, 10, 20);
  const to = from + dayMs;
  await importGraph(temp.service, importStream(world), from - 2 * dayMs);
  const grants = Array.from({ length: apiSenders }, (_, i) => JSON.stringify({ type: 'app_grant', account: accountId(i * 7), app: `app-${i % apps}` })).join('\n');
  await importGraph(temp.service, new Blob([grants]).stream(), from - 2 * dayMs);

  // Real decisions, in time order over the day, 100 at a time.
  let started = performance.now();
  const next = sendBodies(world, 42);
  for (let k = 0; k < templates; k += 100) {
    const now = from + Math.floor((k / templates) * dayMs);
    const batch = Array.from({ length: Math.min(100, templates - k) }, (_, j) => {
      let body = JSON.parse(next());
      if (hash32(k + j) % 20 === 0) {
        const i = (hash32(k + j + 1) % apiSenders) * 7;
        body = { ...body, kind: 'direct', senderId: accountId(i), recipientIds: body.recipientIds.slice(0, 1).filter((r: string) => r !== accountId(i)), channel: 'api', appId: `app-${(i / 7) % apps}` };
        if (!body.recipientIds.length) body.recipientIds = [accountId(i + 1)];
      }
      return decisions.enforce(SendRequest.parse(body), now + j);
    });
    await Promise.all(batch);
  }
  const mix = await store.db.all<{ decision: string; reason: string; n: number }>(sql`select decision, reason, count(*) as n from decision_log group by 1, 2 order by n desc`);
  console.log(`  ${thousands(templates)} real decisions in ${((performance.now() - started) / 1000).toFixed(1)} s: ${mix.slice(0, 8).map((r) => `${r.decision}/${r.reason} ${r.n}`).join(', ')}`);

  // Copies: shifted account ids, their own id, time and fingerprints.
  const rows = await store.db.all<Record<string, unknown>>(sql`select * from decision_log order by at, rowid`);
  const templateFacts = rows.map((row) => decodeLoggedFacts(String(row.facts)));
  const templateParams = await Promise.all(rows.map(async (row) => (await policies.version(String(row.version)))!.params));
  const columns = ['id', 'at', 'sender_id', 'recipient_ids', 'kind', 'channel', 'decision', 'reason', 'rule', 'policy', 'version',
    'experiment_id', 'arm', 'text_fingerprint', 'fingerprints', 'text_length', 'request', 'facts', 'send_id',
    'app_id', 'conversation_id', 'counted', 'api_request', 'cooldown_until', 'fingerprint_target'];
  started = performance.now();
  const chunk = 5000;
  const perJob = 100_000;
  for (let base = 0; base < attempts; base += perJob) {
    await store.writer.write(async (tx) => {
      for (let start = base; start < Math.min(base + perJob, attempts); start += chunk) {
        const values: unknown[][] = [];
        for (let k = start; k < Math.min(start + chunk, attempts, base + perJob); k++) {
          const t = rows[k % rows.length];
          const copy = Math.floor(k / rows.length);
          const shift = (text: string) => shiftedIds(text, copy);
          const fp = (text: string) => text.replace(/"((?:text|link):[^"]+)"/g, `"$1~${copy}"`);
          values.push([
            `bt-${k}`, from + Math.floor((k / attempts) * dayMs), shift(`"${t.sender_id}"`).slice(1, -1), shift(String(t.recipient_ids)),
            t.kind, t.channel, t.decision, t.reason, t.rule, t.policy, t.version, t.experiment_id, t.arm,
            t.text_fingerprint === null ? null : `${t.text_fingerprint}~${copy}`, fp(String(t.fingerprints)), t.text_length,
            shift(String(t.request)), copiedFacts(templateFacts[k % rows.length], templateParams[k % rows.length], copy), t.send_id,
            t.app_id, t.conversation_id === null ? null : shift(`"${t.conversation_id}"`).slice(1, -1), t.counted, t.api_request, t.cooldown_until,
            t.fingerprint_target === null ? null : shift(`"${t.fingerprint_target}"`).slice(1, -1),
          ]);
        }
        const select = columns.map((_, i) => `value->>${i}`).join(', ');
        await tx.run(sql`insert into decision_log (${sql.raw(columns.join(', '))}) select ${sql.raw(select)} from json_each(${JSON.stringify(values)}) where true`);
      }
    });
  }
  // Only the copies stay in the window: the replayed count is exactly --attempts.
  await store.writer.write(async (tx) => { await tx.run(sql`delete from decision_log where id not like 'bt-%'`); });
  const built = (performance.now() - started) / 1000;
  const bytes = await store.db.get<{ n: number }>(sql`select sum(length(request) + length(facts) + length(fingerprints)) as n from decision_log`);
  console.log(`  log built: ${thousands(attempts)} rows in ${built.toFixed(1)} s (${thousands(attempts / built)} rows/s), ${mib(Number(bytes?.n ?? 0))} of request/facts JSON`);

  // The log indexer folds the copies on its own thread first, as it would have as they were logged.
  await store.indexer.caughtUp();
  // The replays, timed: the same window `--replays` times (each a fresh replay, as a backtest job
  // runs one), since the machine's phase can move one run by a third; the median is the figure.
  const candidate = policies.active();
  const seconds: number[] = [];
  for (let run = 1; run <= replays; run++) {
    const faultsBefore = minorFaults();
    const mainFaultsBefore = mainThreadMinorFaults();
    const cpuBefore = process.cpuUsage();
    const threadsBefore = threadCounters();
    started = performance.now();
    const [report] = await replay(store, { from, to, candidates: [candidate], deciding: (v) => policies.version(v) });
    const took = (performance.now() - started) / 1000;
    seconds.push(took);
    const cpu = process.cpuUsage(cpuBefore);
    const faults = faultsBefore === null ? null : minorFaults()! - faultsBefore;
    const mainFaults = mainFaultsBefore === null ? null : mainThreadMinorFaults()! - mainFaultsBefore;
    const replayed = report.attempts + report.warmUpAttempts;
    console.log(`  replay ${run} of ${candidate.version}: ${thousands(replayed)} attempts in ${took.toFixed(2)} s — ${thousands(replayed / took)} attempts/s (t=${(started / 1000).toFixed(1)}–${(performance.now() / 1000).toFixed(1)} s since start, for --cpu-prof)`);
    // By thread: the collector's helpers' faults and CPU are where promoted garbage shows (session 24).
    console.log(`    by thread (minor faults / CPU): ${threadsBetween(threadsBefore, threadCounters())}`);
    if (run === 1) console.log(`    report: changed ${thousands(report.changed)}; actual ${JSON.stringify(report.mix.actual)}; candidate ${JSON.stringify(report.mix.candidate)}`);
    // Every thread's CPU (the replay and its reader thread), and the fresh pages it touched: on the
    // benchmarks' machine each first touch of a 4 KiB page costs ~10 µs (bench/RESULTS.md, sessions 10 and 16).
    console.log(`    CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (every thread)`
      + (faults === null ? '' : `, ${thousands(faults)} minor page faults (${mib(faults * 4096)} of pages first touched; ${thousands(mainFaults!)} on the main thread, the rest on the reader's and the collector's)`));
    if (run === replays) {
      const projected = median(seconds) * (1_000_000 / replayed);
      console.log(`  1 000 000 attempts, median of ${replays} replays: ${projected.toFixed(2)} s (target ≤ 5 s: ${projected <= 5 ? 'met' : 'NOT met'}${replayed < 1_000_000 ? ', projected from a smaller log' : ''})`);
    }
  }
  console.log(`  process peak RSS: ${mib(peakRss())}`);
} finally {
  await temp.close();
}

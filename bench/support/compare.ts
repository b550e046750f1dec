/**
 * The side-by-side measurement of issue 4, point 2: a Hono hello-world POST server in this process,
 * and the real service's POST /v1/sends — every send drawn afresh (the target's figure), then with
 * a share of replies to recent messages, then the uniform stream's dry runs (POST /v1/sends/check:
 * decided the same way, nothing recorded, so that a decision's CPU splits into deciding and
 * recording), then the uniform stream with an idempotency key on every send (no target: what a backend
 * that retries pays for its keys) — each loaded by autocannon in a child process with the same stream of send bodies,
 * and each between two hello-world runs whose mean its ratios use, since the machine is shared and
 * its speed drifts. With several rounds the target lines give the median.
 *
 * Each run also reports the CPU it cost per answered request, on the server (every thread of this
 * process) and in the load generator: on a machine with few cores the two share them, and the
 * figures say what a decision may cost for the target to be reachable here at all.
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { performance as perfHooks } from 'node:perf_hooks';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import type { Service } from '../../server/service.ts';
import { benchToken, median, mib, peakRss, thousands } from './common.ts';
import { runLoad, type LoadFigures } from './load.ts';
import { mainThreadCpuUs, minorFaults, watchGcPauses, type GcPauses } from './threads.ts';
import type { Traffic, WorldSize } from './world.ts';

export interface CompareOptions {
  service: Service;
  /** The service's base URL. */
  url: string;
  world: WorldSize;
  connections: number;
  seconds: number;
  /** Seconds of unmeasured load on each server first (JIT, caches, connections). */
  warmup: number;
  /** The share of replies in the second, conversational run of the service (see Traffic). */
  replyShare?: number;
  /** Rounds of hello world, uniform sends and replies (one hello-world run more closes the last). */
  rounds?: number;
}

/** One measured run: the load generator's figures and what the server process spent on it. */
export interface MeasuredRun extends LoadFigures {
  /** CPU time of the whole server process (every thread) per 2xx response, in µs. */
  serverCpuUs: number;
  /** CPU time of the load generator per 2xx response, in µs. */
  generatorCpuUs: number;
  /** The main thread's share of serverCpuUs, in µs a response; null where /proc can't tell. */
  mainThreadCpuUs: number | null;
  /** The main thread's garbage-collection pauses during the run. */
  gc: GcPauses;
  /** The process's minor page faults per response; null where /proc can't tell. */
  pageFaults: number | null;
  /** The share of the run the server's event loop was busy (0–1). */
  eventLoopBusy: number;
  /** The service's writer batches committed during the run: how many, their jobs and transaction milliseconds in all. */
  batches: { count: number; jobs: number; ms: number };
}

/** A run of the service between two hello-world runs, and the mean of those two (what its ratios divide by). */
export interface Bracketed {
  run: MeasuredRun;
  hello: [MeasuredRun, MeasuredRun];
  /** Requests a second, and server CPU µs a request, of the two hello-world runs on average. */
  helloRate: number;
  helloCpu: number;
}

/** One round: the service's three runs, each between hello-world runs, with their ratios. */
export interface Round {
  /** Every send drawn afresh (the target's figure). */
  sends: Bracketed;
  /** The same with a share of replies (`replyShare`). */
  conversational: Bracketed;
  /** The uniform stream's dry run (POST /v1/sends/check): decided, nothing recorded. */
  dryRun: Bracketed;
  /** The uniform stream with an idempotency key on every send. */
  keyed: Bracketed;
  /** When the uniform run began and ended (server clock, ms): its decisions in the log. */
  sendsWindow: [number, number];
  /** Decisions a second ÷ the hello-world's around the uniform run. */
  ratio: number;
  /** Server CPU a decision ÷ the hello-world's around each run: uniform, with replies, dry runs. */
  cpuRatio: number;
  conversationalCpuRatio: number;
  dryRunCpuRatio: number;
}

/** Every round, and the median round's figures (what the target lines say). */
export interface Comparison {
  rounds: Round[];
  ratio: number;
  p99: number;
  cpuRatio: number;
  conversationalCpuRatio: number;
  dryRunCpuRatio: number;
}

const cores = os.cpus().length;

export async function compareWithHelloWorld(o: CompareOptions): Promise<Comparison> {
  // The issue's hello world: it reads the same JSON body and answers a small JSON object.
  const app = new Hono();
  app.post('/v1/sends', async (c) => {
    const b = await c.req.json();
    return c.json({ decision: 'allow', reason: 'hello', senderId: b.senderId });
  });
  let hello: ServerType | null = null;
  const helloUrl = await new Promise<string>((resolve) => {
    hello = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(`http://127.0.0.1:${info.port}/v1/sends`));
  });
  try {
    const sendsUrl = `${o.url}/v1/sends`;
    const checkUrl = `${o.url}/v1/sends/check`;
    const replyShare = o.replyShare ?? 0.6;
    const roundCount = Math.max(1, o.rounds ?? 1);
    let seed = 1;
    /** The writer's batches while a run lasts: how well its commits are grouped. */
    const batches = { count: 0, jobs: 0, ms: 0 };
    o.service.store.writer.onBatchCommitted((jobs, ms) => { batches.count++; batches.jobs += jobs; batches.ms += ms; });
    if (process.env.NO_INDEXER) await o.service.store.indexer.stop();
    const gc = watchGcPauses();
    const run = async (url: string, secs: number, traffic?: Traffic): Promise<MeasuredRun> => {
      Object.assign(batches, { count: 0, jobs: 0, ms: 0 });
      const cpu = process.cpuUsage();
      const mainCpu = mainThreadCpuUs();
      const faults = minorFaults();
      gc.reset();
      const loop = perfHooks.eventLoopUtilization();
      const f = await runLoad({ url, token: benchToken, connections: o.connections, seconds: secs, world: o.world, seed: seed++, traffic });
      // The log indexer folds what the run recorded on its own thread; its catching up is part of what the decisions cost.
      if (url === sendsUrl) await o.service.store.indexer.caughtUp();
      const used = process.cpuUsage(cpu);
      const mainUsed = mainCpu === null ? null : mainThreadCpuUs()! - mainCpu;
      const faulted = faults === null ? null : minorFaults()! - faults;
      // The last pauses of the run are reported a tick late.
      await new Promise((resolve) => setImmediate(resolve));
      const ok = Math.max(f.ok, 1);
      return {
        ...f, serverCpuUs: (used.user + used.system) / ok, generatorCpuUs: f.generatorCpuSeconds * 1e6 / ok,
        mainThreadCpuUs: mainUsed === null ? null : mainUsed / ok, gc: gc.read(), pageFaults: faulted === null ? null : faulted / ok,
        eventLoopBusy: perfHooks.eventLoopUtilization(loop).utilization,
        batches: { ...batches },
      };
    };
    const show = (label: string, f: MeasuredRun, startedAt: number) => console.log(
      `  ${label.padEnd(22)} ${thousands(f.perSecond).padStart(7)} req/s   p50 ${f.latency.p50} ms   p90 ${f.latency.p90} ms   p99 ${f.latency.p99} ms   max ${f.latency.max} ms   `
      + `(${thousands(f.ok)} ok, ${f.non2xx} non-2xx, ${f.errors} errors; t=${(startedAt / 1000).toFixed(1)}–${(performance.now() / 1000).toFixed(1)} s)\n`
      + `  ${''.padEnd(22)} CPU a request: server ${f.serverCpuUs.toFixed(0)} µs`
      + (f.mainThreadCpuUs === null ? '' : ` (main thread ${f.mainThreadCpuUs.toFixed(0)}, other threads ${(f.serverCpuUs - f.mainThreadCpuUs).toFixed(0)})`)
      + `, load generator ${f.generatorCpuUs.toFixed(0)} µs; event loop busy ${(100 * f.eventLoopBusy).toFixed(0)} %`
      + (f.batches.count ? `; writer batches ${(f.batches.jobs / f.batches.count).toFixed(1)} jobs, ${(1000 * f.batches.ms / f.batches.count).toFixed(0)} µs each` : '')
      + `\n  ${''.padEnd(22)} GC pauses (main thread): ${(1000 * f.gc.totalMs / Math.max(f.ok, 1)).toFixed(1)} µs a request, ${f.gc.count} pauses, longest ${f.gc.longestMs.toFixed(1)} ms`
      + (f.pageFaults === null ? '' : `; minor page faults ${f.pageFaults.toFixed(2)} a request`),
    );

    if (o.warmup > 0) {
      await run(helloUrl, o.warmup);
      await run(sendsUrl, o.warmup);
      console.log(`  warm-up: ${o.warmup} s on each server, not counted`);
    }
    // Each run of the service sits between two hello-world runs, and its ratios take their mean: the
    // machine's speed drifts within minutes (the hello-world's CPU a request moved 42 → 93 µs within
    // one bench, session 15), so the nearer the hello-world runs, the less a drift moves one side of a
    // ratio alone. Rounds of uniform sends, replies, dry runs and keyed sends; the target lines give the median round.
    const helloSeconds = Math.max(2, Math.ceil(o.seconds / 2));
    const rounds: Round[] = [];
    let t = performance.now();
    let helloBefore = await run(helloUrl, helloSeconds);
    show('hello world', helloBefore, t);
    const bracketed = async (label: string, url: string, traffic?: Traffic): Promise<Bracketed> => {
      t = performance.now();
      const measured = await run(url, o.seconds, traffic);
      show(label, measured, t);
      t = performance.now();
      const helloAfter = await run(helloUrl, helloSeconds);
      show('hello world', helloAfter, t);
      const hello: [MeasuredRun, MeasuredRun] = [helloBefore, helloAfter];
      helloBefore = helloAfter;
      return {
        run: measured, hello,
        helloRate: (hello[0].perSecond + hello[1].perSecond) / 2, helloCpu: (hello[0].serverCpuUs + hello[1].serverCpuUs) / 2,
      };
    };
    for (let r = 0; r < roundCount; r++) {
      const from = Date.now();
      const sends = await bracketed(`POST /v1/sends (${r + 1})`, sendsUrl);
      // The hello-world run after it logs nothing: the window holds the uniform run's decisions alone.
      const to = Date.now();
      const conversational = await bracketed(`  ${Math.round(replyShare * 100)} % replies`, sendsUrl, { replyShare });
      const dryRun = await bracketed('  dry run (/check)', checkUrl);
      const keyed = await bracketed('  idempotency keys', sendsUrl, { replyShare: 0, idempotencyKeys: true });
      rounds.push({
        sends, conversational, dryRun, keyed, sendsWindow: [from, to],
        ratio: sends.run.perSecond / sends.helloRate, cpuRatio: sends.run.serverCpuUs / sends.helloCpu,
        conversationalCpuRatio: conversational.run.serverCpuUs / conversational.helloCpu, dryRunCpuRatio: dryRun.run.serverCpuUs / dryRun.helloCpu,
      });
    }

    const each = (values: number[], digits: number) => (rounds.length > 1 ? ` (rounds: ${values.map((v) => v.toFixed(digits)).join(', ')})` : '');
    const ratios = rounds.map((r) => r.ratio);
    const p99s = rounds.map((r) => r.sends.run.latency.p99);
    const cpuRatios = rounds.map((r) => r.cpuRatio);
    const conversationalCpuRatios = rounds.map((r) => r.conversationalCpuRatio);
    const ratio = median(ratios);
    const p99 = median(p99s);
    const cpuRatio = median(cpuRatios);
    const conversationalCpuRatio = median(conversationalCpuRatios);
    const dryRunCpuRatios = rounds.map((r) => r.dryRunCpuRatio);
    const dryRunCpuRatio = median(dryRunCpuRatios);
    const of = rounds.length > 1 ? `median of ${rounds.length} rounds` : 'one round';
    console.log(`  decisions/s ÷ hello-world/s, ${of}: ${ratio.toFixed(3)}${each(ratios, 3)} (target ≥ 0.4: ${ratio >= 0.4 ? 'met' : 'NOT met'})`);
    console.log(`  decision p99, ${of}: ${p99} ms${each(p99s, 0)} (target < 15 ms: ${p99 < 15 ? 'met' : 'NOT met'})`);
    console.log(`  service CPU a decision ÷ hello-world CPU a request, ${of}: ${cpuRatio.toFixed(2)} uniform senders${each(cpuRatios, 2)}, `
      + `${conversationalCpuRatio.toFixed(2)} with replies${each(conversationalCpuRatios, 2)} (target ≤ 2.5: ${cpuRatio <= 2.5 && conversationalCpuRatio <= 2.5 ? 'met' : 'NOT met'})`);
    // Deciding against recording: what the same stream costs when nothing is queued, logged, indexed or committed.
    const recordingUs = rounds.map((r) => r.sends.run.serverCpuUs - r.dryRun.run.serverCpuUs);
    console.log(`  dry run CPU ÷ hello-world CPU, ${of}: ${dryRunCpuRatio.toFixed(2)}${each(dryRunCpuRatios, 2)}; `
      + `recording (uniform run − dry run): ${median(recordingUs).toFixed(0)} µs a decision${each(recordingUs, 0)}`);

    // What the measured attempts were decided: neither the cap nor duplicates should dominate.
    const [sendsFrom, sendsTo] = rounds[0].sendsWindow;
    const mix = await o.service.store.db.all<{ decision: string; reason: string; n: number }>(sql`select decision, reason, count(*) as n
      from decision_log where at >= ${sendsFrom} and at <= ${sendsTo} group by decision, reason order by n desc`);
    const total = mix.reduce((sum, row) => sum + Number(row.n), 0);
    console.log(`  decisions logged during the first uniform run: ${thousands(total)} — ${mix.slice(0, 8).map((row) => `${row.decision}/${row.reason} ${(100 * Number(row.n) / Math.max(total, 1)).toFixed(1)}%`).join(', ')}`);
    const mem = process.memoryUsage();
    console.log(`  service process: rss ${mib(mem.rss)}, heap used ${mib(mem.heapUsed)}, peak rss ${mib(peakRss())}`);
    const conversationalRatios = rounds.map((r) => r.conversational.run.perSecond / r.conversational.helloRate);
    console.log(`  with ${Math.round(replyShare * 100)} % replies, ${of}: ${median(conversationalRatios).toFixed(3)} × hello-world, p99 ${median(rounds.map((r) => r.conversational.run.latency.p99))} ms`);
    const keyedCpuRatios = rounds.map((r) => r.keyed.run.serverCpuUs / r.keyed.helloCpu);
    const keyedUs = rounds.map((r) => r.keyed.run.serverCpuUs - r.sends.run.serverCpuUs);
    console.log(`  with an idempotency key on every send, ${of}: ${median(rounds.map((r) => r.keyed.run.perSecond / r.keyed.helloRate)).toFixed(3)} × hello-world, `
      + `p99 ${median(rounds.map((r) => r.keyed.run.latency.p99))} ms, CPU ${median(keyedCpuRatios).toFixed(2)} × hello-world's${each(keyedCpuRatios, 2)}: `
      + `a key costs ${median(keyedUs).toFixed(0)} µs a decision more than none${each(keyedUs, 0)}`);
    // What this machine allows: at the target rate, the server and the load generator share its cores.
    const helloRate = median(rounds.map((r) => r.sends.helloRate));
    const helloCpu = median(rounds.map((r) => r.sends.helloCpu));
    const serverCpu = median(rounds.map((r) => r.sends.run.serverCpuUs));
    const generatorCpu = median(rounds.map((r) => r.sends.run.generatorCpuUs));
    const target = helloRate / 2;
    const budget = (cores * 1e6) / target - generatorCpu;
    const ceiling = (cores * 1e6) / (serverCpu + generatorCpu);
    console.log(`  CPU budget (medians): 0.5 × hello-world is ${thousands(target)}/s; on ${cores} cores, with the load generator's ${generatorCpu.toFixed(0)} µs a request, `
      + `a decision may cost the server at most ${budget.toFixed(0)} µs of CPU (hello-world's answer costs ${helloCpu.toFixed(0)} µs); it costs ${serverCpu.toFixed(0)} µs`);
    console.log(`  CPU ceiling at that cost: ${thousands(ceiling)} decisions/s = ${(ceiling / helloRate).toFixed(3)} × hello-world, if every core were busy`);
    return { rounds, ratio, p99, cpuRatio, conversationalCpuRatio, dryRunCpuRatio };
  } finally {
    if (hello) await new Promise<void>((resolve) => hello!.close(() => resolve()));
  }
}

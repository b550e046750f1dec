/**
 * Decisions without HTTP: the service's enforce() called directly, 100 in flight at a time, on a
 * world of `--accounts` and `--edges`, then the log indexer's catching up — each timed apart, so a
 * profile (node --cpu-prof) shows where a decision's CPU goes. Then, in alternating rounds, the same
 * sends decided and recorded (enforce, the indexer's catching up included) and decided only (check,
 * the dry run: nothing queued, logged, indexed or committed): the difference is what recording costs.
 *
 * `--keyed 1`: every send carries an idempotency key of its own (what a key costs: bench/RESULTS.md, session 25).
 *
 * Run: npx tsx bench/support/decide-in-process.ts [--accounts 100000] [--edges 1000000] [--decisions 20000] [--keyed 1]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { flag, machineLine, thousands } from './common.ts';
import { serviceOnWorld } from './in-process.ts';

const world = { accounts: flag('accounts', 100_000), edges: flag('edges', 1_000_000) };
const n = flag('decisions', 20_000);
console.log(machineLine());
const { temp, batch } = await serviceOnWorld(world, { keyed: flag('keyed', 0) === 1 });
try {
  const { store } = temp.service;
  for (let i = 0; i < 20; i++) await batch(100); // warm-up
  await store.indexer.caughtUp();
  if (process.env.NO_INDEXER) await store.indexer.stop();
  const cpu = process.cpuUsage();
  let t = performance.now();
  for (let done = 0; done < n; done += 100) await batch(100);
  const decideMs = performance.now() - t;
  const decideCpu = process.cpuUsage(cpu);
  t = performance.now();
  await store.indexer.caughtUp();
  const indexMs = performance.now() - t;
  const allCpu = process.cpuUsage(cpu);
  const us = (c: NodeJS.CpuUsage) => (c.user + c.system) / n;
  console.log(`deciding t=${((t - decideMs) / 1000).toFixed(2)}–${(t / 1000).toFixed(2)} s (for top-frames.ts --from/--to, ×1e6)`);
  console.log(`${thousands(n)} decisions: ${(1000 * decideMs / n).toFixed(1)} µs wall each, ${us(decideCpu).toFixed(1)} µs CPU each (every thread) while deciding; `
    + `indexer caught up ${indexMs.toFixed(0)} ms later; ${us(allCpu).toFixed(1)} µs CPU each in all`);

  // Garbage collection pauses of this thread, as the runtime reports them (delivered a tick later).
  // A young-generation collection closes each round, so that each pays for its own garbage.
  v8.setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as (options: { type: 'minor'; execution: 'sync' }) => void;
  let gcMs = 0;
  new PerformanceObserver((list) => { for (const entry of list.getEntries()) gcMs += entry.duration; }).observe({ entryTypes: ['gc'] });
  const totals = { enforce: { cpu: 0, gc: 0, n: 0 }, check: { cpu: 0, gc: 0, n: 0 } };
  const rounds = 4;
  for (let round = 0; round < rounds; round++) {
    for (const how of ['enforce', 'check'] as const) {
      await new Promise((resolve) => setImmediate(resolve));
      const gcBefore = gcMs;
      const before = process.cpuUsage();
      const count = Math.ceil(n / rounds / 100) * 100;
      for (let done = 0; done < count; done += 100) await batch(100, how);
      if (how === 'enforce') await store.indexer.caughtUp();
      collect({ type: 'minor', execution: 'sync' });
      const used = process.cpuUsage(before);
      // The round's GC entries arrive on a later turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 50));
      totals[how].cpu += used.user + used.system;
      totals[how].gc += (gcMs - gcBefore) * 1000;
      totals[how].n += count;
    }
  }
  const per = (how: keyof typeof totals) => ({ cpu: totals[how].cpu / totals[how].n, gc: totals[how].gc / totals[how].n });
  const [recorded, only] = [per('enforce'), per('check')];
  console.log(`alternating rounds, ${thousands(totals.check.n)} sends each way: decided and recorded ${recorded.cpu.toFixed(1)} µs CPU (GC ${recorded.gc.toFixed(1)}), `
    + `decided only ${only.cpu.toFixed(1)} µs (GC ${only.gc.toFixed(1)}); recording ${(recorded.cpu - only.cpu).toFixed(1)} µs a decision`);
} finally {
  await temp.close();
}

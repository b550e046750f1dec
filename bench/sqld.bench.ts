/**
 * More than one instance (issue 12), side by side in one run: decisions/s, latency and CPU a decision
 * of one instance on a local file against 1, 2 and 4 instances sharing one libSQL server (sqld over
 * ws://). Every instance is a real service in a child process (server/main.ts); the load is autocannon
 * in child processes of its own (bench/support/load.ts), its connections split evenly over the
 * instances, with the decision-path bench's stream of send bodies over a world of `--accounts`
 * accounts and `--edges` follow edges (imported through POST /v1/import first, not timed).
 *
 * Instances on a server own their senders (server/cluster/ownership.ts). Two loads: routed by
 * sender — each instance is sent only the senders it owns, as a balancer hashing the sender would —
 * and any instance — every instance is sent every sender, so most sends are forwarded to their owner.
 *
 * CPU a decision is what the mode's processes used over the run — every instance, and sqld where
 * there is one — divided by the decisions answered, read from /proc (the load generator is left out).
 *
 * Last, a reference for what sharing costs: two instances that share nothing, each on a sqld of its
 * own and sent every sender — two single-instance deployments side by side on the same cores. What
 * the mode shares adds work to that (reading the others' records, the hop to the journal's writer);
 * only larger batches, where it merges several instances' appends into one transaction, can take
 * any away.
 *
 * Run: npm run bench:sqld -- [--seconds 8] [--connections 50] [--accounts 20000] [--edges 200000] [--rate 0]
 * Targets: 2 instances on sqld ≥ 0.5 × one on a file (decisions/s); 2 on sqld > 1 on sqld; 4 ≥ 2;
 * p99 < 25 ms each; the mode's CPU a decision ≤ 2 × one instance on a file's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childToken, startServer, type Child } from '../test/support/child-service.ts';
import { findSqld, startSqld, type Sqld } from '../test/support/sqld.ts';
import { flag, machineLine, thousands } from './support/common.ts';
import { runLoad, type LoadFigures } from './support/load.ts';
import { shardsByInstance } from './support/shard-owners.ts';
import { processCpuUs } from './support/threads.ts';
import { importChunks, type WorldSize } from './support/world.ts';

const seconds = flag('seconds', 8);
const connections = flag('connections', 50);
const world: WorldSize = { accounts: flag('accounts', 20_000), edges: flag('edges', 200_000) };
/** A fixed offered load in requests a second over all instances (0: as fast as answers come), to compare CPU a decision where no run is short of cores. */
const rate = flag('rate', 0);
interface Run {
  label: string;
  perSecond: number;
  p50: number;
  p99: number;
  cpuUs: number;
  /** Of cpuUs: sqld's share. */
  sqldCpuUs: number;
  errors: number;
  /** Of the errors: answers other than 2xx, and requests that timed out. */
  non2xx: number;
  timeouts: number;
}

async function importWorld(url: string): Promise<void> {
  const body = [...importChunks(world)].join('');
  const res = await fetch(`${url}/v1/import`, {
    method: 'POST', headers: { authorization: `Bearer ${childToken}`, 'content-type': 'application/x-ndjson' }, body,
  });
  if (res.status !== 200) throw new Error(`import: ${res.status} ${await res.text()}`);
}

/**
 * Loads `instances` for `seconds`, splitting the connections; the figures of the whole mode. Given
 * `shards` (each instance's), an instance is sent only the senders of its own.
 */
async function measure(label: string, instances: Child[], sqld: Sqld | Sqld[] | null, seed: number, shards?: number[][]): Promise<Run> {
  const servers = sqld === null ? [] : Array.isArray(sqld) ? sqld : [sqld];
  const pids = [...instances.map((c) => c.process.pid!), ...servers.map((s) => s.pid)];
  const per = Math.ceil(connections / instances.length);
  // A short warm-up on every instance (compiles, opens connections), not counted.
  await Promise.all(instances.map((c, i) => runLoad({ url: `${c.url}/v1/sends`, token: childToken, connections: per, seconds: 2, world, seed: seed * 100 + i, senderShards: shards?.[i] })));
  const before = pids.map(processCpuUs);
  const figures: LoadFigures[] = await Promise.all(instances.map((c, i) => runLoad({
    url: `${c.url}/v1/sends`, token: childToken, connections: per, seconds, world, seed: seed * 100 + 50 + i, senderShards: shards?.[i],
    ratePerSecond: rate ? rate / instances.length : undefined,
  })));
  const usedEach = pids.map((pid, i) => (processCpuUs(pid) - before[i]) / 1e6);
  const used = usedEach.reduce((sum, u) => sum + u, 0);
  const sqldUsed = usedEach.slice(instances.length).reduce((sum, u) => sum + u, 0);
  const ok = figures.reduce((s, f) => s + f.ok, 0);
  const run: Run = {
    label,
    perSecond: figures.reduce((s, f) => s + f.perSecond, 0),
    // Each load generator's own percentiles; the slowest instance's p99 is the mode's.
    p50: Math.max(...figures.map((f) => f.latency.p50)),
    p99: Math.max(...figures.map((f) => f.latency.p99)),
    cpuUs: (used * 1e6) / Math.max(ok, 1),
    sqldCpuUs: (sqldUsed * 1e6) / Math.max(ok, 1),
    errors: figures.reduce((s, f) => s + f.errors + f.non2xx, 0),
    non2xx: figures.reduce((s, f) => s + f.non2xx, 0),
    timeouts: figures.reduce((s, f) => s + f.timeouts, 0),
  };
  console.log(`  ${label.padEnd(36)} ${thousands(run.perSecond).padStart(6)} decisions/s   p50 ${run.p50} ms   p99 ${run.p99} ms   CPU a decision ${run.cpuUs.toFixed(0)} µs (instances${servers.length ? ` + sqld ${run.sqldCpuUs.toFixed(0)}` : ''})   ${run.errors} errors (${run.non2xx} non-2xx, ${run.timeouts} timed out)`);
  // Each instance's share apart: the one that writes the journal does more than the others.
  if (instances.length > 1) {
    const each = usedEach.slice(0, instances.length).map((u) => ((u * 1e6) / Math.max(ok, 1)).toFixed(0));
    console.log(`    CPU a decision by instance: ${each.join(' / ')} µs; decisions/s answered by each: ${figures.map((f) => thousands(f.perSecond)).join(' / ')}`);
  }
  for (const sample of figures.flatMap((f) => f.failures.samples).slice(0, 3)) console.log(`    failed: ${sample}`);
  return run;
}

async function withInstances<T>(databaseUrl: string, count: number, body: (instances: Child[]) => Promise<T>): Promise<T> {
  const instances: Child[] = [];
  try {
    // One after the other: the first creates and migrates the database, the next find it ready.
    for (let i = 0; i < count; i++) instances.push(await startServer(databaseUrl, { DM_POLICY_CLIENT_CLOCK: '0' }));
    if (count === 1 || databaseUrl.startsWith('ws:')) await importWorld(instances[0].url);
    return await body(instances);
  } finally {
    for (const c of instances) {
      c.process.kill('SIGTERM');
      await c.exited;
    }
  }
}

console.log(`more than one instance — ${new Date().toISOString()}`);
console.log(machineLine());
console.log(`world ${thousands(world.accounts)} accounts / ${thousands(world.edges)} edges; autocannon ${connections} connections split over the instances, ${seconds} s per run${rate ? `, offering ${thousands(rate)} requests/s in all` : ''}`);
const dir = mkdtempSync(join(tmpdir(), 'dm-policy-bench-sqld-'));
const runs: Run[] = [];
try {
  runs.push(await withInstances(`file:${join(dir, 'bench.db')}`, 1, (c) => measure('1 instance, local file', c, null, 1)));
  const binary = findSqld();
  if (!binary.path) throw new Error(`no sqld binary: ${binary.missing}`);
  for (const count of [1, 2, 4]) {
    const sqld = await startSqld();
    try {
      runs.push(...await withInstances(sqld.url.replace('http:', 'ws:'), count, async (c) => {
        const label = `${count} instance${count > 1 ? 's' : ''}, sqld ws://`;
        if (count === 1) return [await measure(label, c, sqld, 2 + count)];
        const routed = await measure(`${label}, routed by sender`, c, sqld, 2 + count, await shardsByInstance(sqld.url, c));
        return [routed, await measure(`${label}, any instance`, c, sqld, 12 + count)];
      }));
    } finally {
      await sqld.stop();
    }
  }
  const [a, b] = [await startSqld(), await startSqld()];
  try {
    const on = (server: Sqld) => server.url.replace('http:', 'ws:');
    runs.push(await withInstances(on(a), 1, (first) => withInstances(on(b), 1, (second) =>
      measure('2 instances sharing nothing, a sqld each', [...first, ...second], [a, b], 30))));
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const [file, one, two, twoAny, four, fourAny, apart] = runs;
console.log('');
console.log('| run | decisions/s | vs file | p50 ms | p99 ms | CPU µs a decision | vs file |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of runs) console.log(`| ${r.label} | ${thousands(r.perSecond)} | ${(r.perSecond / file.perSecond).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.cpuUs.toFixed(0)} (sqld ${r.sqldCpuUs.toFixed(0)}) | ${(r.cpuUs / file.cpuUs).toFixed(2)} |`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
for (const [two2, four4, how] of [[two, four, 'routed by sender'], [twoAny, fourAny, 'any instance']] as const) {
  console.log(`  ${how}: 2 on sqld ÷ 1 on a file: ${(two2.perSecond / file.perSecond).toFixed(2)} (target ≥ 0.5: ${met(two2.perSecond >= 0.5 * file.perSecond)}); 2 > 1 on sqld: ${met(two2.perSecond > one.perSecond)}; 4 ≥ 2: ${met(four4.perSecond >= two2.perSecond)}; CPU a decision, 2 ÷ file: ${(two2.cpuUs / file.cpuUs).toFixed(2)} (target ≤ 2: ${met(two2.cpuUs <= 2 * file.cpuUs)})`);
}
console.log(`  p99 < 25 ms: ${runs.slice(0, -1).map((r) => `${r.label} ${met(r.p99 < 25)}`).join(', ')}`);
console.log(`  reference, 2 instances sharing nothing (a sqld each): ${(apart.perSecond / file.perSecond).toFixed(2)} × one on a file, ${(apart.perSecond / one.perSecond).toFixed(2)} × one on sqld, CPU a decision ${(apart.cpuUs / file.cpuUs).toFixed(2)} × a file's, p99 ${apart.p99} ms`);

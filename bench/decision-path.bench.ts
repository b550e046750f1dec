/**
 * The decision path against the HTTP ceiling (issue 4, point 2), side by side in one run:
 *   - a Hono hello-world POST server that parses the same JSON body (`await c.req.json()`, @hono/node-server),
 *   - the real service (createService: x-2023, a temporary file database, the bootstrap token) on a
 *     world of `--accounts` accounts and `--edges` follow edges, loaded with importGraph (staged,
 *     then applied in one writer job) before anything is measured,
 * both in this process, each loaded in turn by autocannon (`--connections`, `--seconds`) on loopback
 * with the same stream of realistic POST /v1/sends bodies (bench/support/world.ts: many senders and
 * recipients, distinct texts). `--rounds` rounds of uniform sends, 60 % replies, the uniform
 * stream's dry run (/v1/sends/check: decided, nothing recorded) and the uniform stream with an
 * idempotency key on every send (reported, no target), each between two hello-world runs
 * (of half its length) whose mean its ratios use; the target lines give the median round, since the
 * machine is shared and its speed drifts (bench/RESULTS.md: the hello-world's CPU a request moves
 * between ~45 and ~90 µs, at times within one bench).
 *
 * autocannon runs in a child process (bench/support/load.ts), not in this one: in-process it would
 * share the server's event loop and take CPU from the very thing it measures.
 *
 * Run: npm run bench:decision-path -- [--accounts 100000] [--edges 1000000] [--seconds 5]
 *        [--connections 50] [--warmup 2] [--rounds 3]
 * Each run prints t=…, seconds since the process started, to find its samples in a --cpu-prof profile
 * (bench/support/top-frames.ts --from/--to, in µs).
 * Targets (issue 10): service CPU a decision ≤ 2.5 × the hello world's a request; decisions/s ≥ 0.4 × hello-world/s; p99 < 15 ms.
 */
import { importGraph } from '../server/graph/import.ts';
import { flag, machineLine, startTempService, thousands } from './support/common.ts';
import { compareWithHelloWorld } from './support/compare.ts';
import { importStream, type WorldSize } from './support/world.ts';

const world: WorldSize = { accounts: flag('accounts', 100_000), edges: flag('edges', 1_000_000) };
const seconds = flag('seconds', 5);
const connections = flag('connections', 50);
const warmup = flag('warmup', 2);
const rounds = flag('rounds', 3);

console.log(`decision path — ${new Date().toISOString()}`);
console.log(machineLine());
console.log(`world: ${thousands(world.accounts)} accounts, ${thousands(world.edges)} follow edges; autocannon ${connections} connections, ${seconds} s per run, in a child process`);

const temp = await startTempService();
try {
  const loadStarted = performance.now();
  const imported = await importGraph(temp.service, importStream(world), Date.now());
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const rows = imported.imported.accounts + imported.imported.follows;
  console.log(`world loaded in ${loadSeconds.toFixed(1)} s (${thousands(rows / loadSeconds)} rows/s, importGraph: staged, then one writer job)`);
  await compareWithHelloWorld({ service: temp.service, url: temp.url, world, connections, seconds, warmup, rounds });
} finally {
  await temp.close();
}

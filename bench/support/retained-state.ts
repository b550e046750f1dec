/**
 * How much decision state a decision leaves in memory: heap used after full collections, before and
 * after `--decisions` enforced decisions (100 in flight, no HTTP, the log indexer stopped), in bytes
 * a decision, three rounds. On a small world every pair has been met after the warm-up, so what grows
 * is the windows' state — kept for 24 hours whatever the rate, so it sizes a service's memory; on a
 * large one the pairs met for the first time (kept for good, bounded by the graph) add to it.
 *
 * Run: npx tsx bench/support/retained-state.ts [--accounts 300] [--edges 20000] [--decisions 20000]
 */
import { runInNewContext } from 'node:vm';
import v8 from 'node:v8';
import { flag, machineLine } from './common.ts';
import { serviceOnWorld } from './in-process.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const world = { accounts: flag('accounts', 300), edges: flag('edges', 20_000) };
const n = flag('decisions', 20_000);
console.log(machineLine());
const { temp, batch } = await serviceOnWorld(world);
try {
  await temp.service.store.indexer.stop();
  for (let i = 0; i < 50; i++) await batch(100); // warm-up
  for (let round = 0; round < 3; round++) {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let done = 0; done < n; done += 100) await batch(100);
    gc();
    gc();
    console.log(`${world.accounts} accounts: ${((process.memoryUsage().heapUsed - before) / n).toFixed(0)} bytes of heap kept a decision`);
  }
} finally {
  await temp.close();
}

/**
 * The start-up rebuild alone: a world of `--accounts` and `--edges` imported into a service on a
 * temporary file, then its in-memory state rebuilt from the file `--times` times each way, alternating
 * — as at a start (the graph's edges read on a thread of their own) and in one snapshot (as after a
 * batch that did not commit) — each timed (run under `node --cpu-prof` to see where a rebuild goes).
 *
 * Run: npx tsx bench/support/rebuild-in-process.ts [--accounts 100000] [--edges 1000000] [--times 3]
 */
import { IdempotencyMemory } from '../../server/decisions/idempotency.ts';
import { StoredKeys } from '../../server/decisions/stored-keys.ts';
import { importGraph } from '../../server/graph/import.ts';
import { rebuildWorld } from '../../server/state/rebuild.ts';
import { flag, machineLine, mib, startTempService } from './common.ts';
import { importStream } from './world.ts';

const world = { accounts: flag('accounts', 100_000), edges: flag('edges', 1_000_000) };
console.log(machineLine());
const temp = await startTempService({ listen: false });
try {
  await importGraph(temp.service, importStream(world), Date.now());
  for (let i = 0; i < flag('times', 3); i++) {
    for (const edgesOnThread of [true, false]) {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const { figures: f } = await rebuildWorld(temp.service.store, new IdempotencyMemory(new StoredKeys()), edgesOnThread ? { edgesOnThreadFrom: 0 } : {});
      const used = process.cpuUsage(cpu);
      console.log(`rebuild ${i + 1}, ${edgesOnThread ? 'edges on a thread (a start)' : 'one snapshot'}: ${(performance.now() - t).toFixed(0)} ms, `
        + `CPU ${((used.user + used.system) / 1000).toFixed(0)} ms (${f.accounts} accounts, ${f.graphEdges} graph rows), rss ${mib(process.memoryUsage().rss)} `
        + `(t=${(t / 1000).toFixed(1)}–${(performance.now() / 1000).toFixed(1)} s)`);
    }
  }
} finally {
  await temp.close();
}

/**
 * The start-up rebuild alone: a world of `--accounts` and `--edges` imported into a service on a
 * temporary file, then its in-memory state rebuilt from the file `--times` times, each timed (run
 * under `node --cpu-prof` to see where a rebuild goes).
 *
 * Run: npx tsx bench/support/rebuild-in-process.ts [--accounts 100000] [--edges 1000000] [--times 3]
 */
import { importGraph } from '../../server/graph/import.ts';
import { flag, machineLine, mib, startTempService } from './common.ts';
import { importStream } from './world.ts';

const world = { accounts: flag('accounts', 100_000), edges: flag('edges', 1_000_000) };
console.log(machineLine());
const temp = await startTempService({ listen: false });
try {
  await importGraph(temp.service, importStream(world), Date.now());
  for (let i = 0; i < flag('times', 3); i++) {
    const t = performance.now();
    await temp.service.state.rebuild();
    const f = temp.service.state.lastRebuild;
    console.log(`rebuild ${i + 1}: ${(performance.now() - t).toFixed(0)} ms (${f.accounts} accounts, ${f.graphEdges} graph rows), rss ${mib(process.memoryUsage().rss)} (t=${(t / 1000).toFixed(1)}–${(performance.now() / 1000).toFixed(1)} s)`);
  }
} finally {
  await temp.close();
}

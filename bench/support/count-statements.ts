/**
 * A diagnostic, not a benchmark: how many SQL statements one enforced decision prepares, and how long
 * a decision takes in-process (DecisionService.enforce, no HTTP), one at a time and 100 at a time.
 * It counts by wrapping the `libsql` driver's prepare() before the store opens.
 *
 * Run: tsx bench/support/count-statements.ts [--accounts 10000] [--edges 100000] [--decisions 1000]
 */
import { createRequire } from 'node:module';

const libsql = createRequire(import.meta.url)('libsql') as { prototype: { prepare(sql: string): unknown } };
const counts = new Map<string, number>();
const prepare = libsql.prototype.prepare;
libsql.prototype.prepare = function (this: unknown, sql: string) {
  const key = sql.replace(/\s+/g, ' ').slice(0, 80);
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return prepare.call(this, sql);
};

const { flag, startTempService } = await import('./common.ts');
const { importGraph } = await import('../../server/graph/import.ts');
const { SendRequest } = await import('../../server/decisions/request.ts');
const { importStream, sendBodies } = await import('./world.ts');

const world = { accounts: flag('accounts', 10_000), edges: flag('edges', 100_000) };
const n = flag('decisions', 1000);
const temp = await startTempService({ listen: false });
try {
  const { decisions } = temp.service;
  await importGraph(temp.service, importStream(world), Date.now());
  const next = sendBodies(world, 9);
  const one = () => decisions.enforce(SendRequest.parse(JSON.parse(next())), Date.now());
  for (let i = 0; i < 200; i++) await one();
  counts.clear();
  let started = performance.now();
  for (let i = 0; i < n; i++) await one();
  const sequential = (performance.now() - started) / n;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`one at a time: ${sequential.toFixed(2)} ms per decision; ${(total / n).toFixed(1)} statements prepared per decision:`);
  for (const [sql, c] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log(`  ${(c / n).toFixed(2)}  ${sql}`);
  started = performance.now();
  for (let r = 0; r < n / 100; r++) await Promise.all(Array.from({ length: 100 }, one));
  console.log(`100 at a time (grouped commits): ${((performance.now() - started) / n).toFixed(2)} ms per decision`);
} finally {
  await temp.close();
}

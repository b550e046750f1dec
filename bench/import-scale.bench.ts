/**
 * Scale of state (issue 10, targets 3): loads `--accounts` accounts and `--edges` follow edges through
 * POST /v1/import of the real service (x-2023, a temporary file database), the NDJSON streamed by a
 * client in a child process from a generator (bench/support/world.ts), and reports the time, the rows
 * per second and the service process's peak RSS (process.resourceUsage().maxRSS). Then, unless
 * `--decide 0`, it runs the decision-path comparison (bench/support/compare.ts) on that world for
 * `--decide` seconds per run (the decision figures must hold at that size). Last, the service is
 * stopped and started again on the same file in a child process (server/main.ts): the time until it
 * listens is the rebuild of the in-memory state, and its peak RSS what that state costs.
 *
 * Targets at 1 M accounts and 10 M edges: import within 60 s, the service's RSS within 1.5 GiB,
 * start-up within 30 s.
 *
 * Run: npm run bench:import -- [--accounts 1000000] [--edges 10000000] [--decide 10] [--connections 50]
 */
import { fork } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchToken, flag, machineLine, mib, peakRss, startTempService, thousands } from './support/common.ts';
import { compareWithHelloWorld } from './support/compare.ts';
import type { WorldSize } from './support/world.ts';
import { startServer } from '../test/support/child-service.ts';
import { readFileSync } from 'node:fs';

/** A process's peak resident set size, from /proc (VmHWM). */
function peakRssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

const world: WorldSize = { accounts: flag('accounts', 1_000_000), edges: flag('edges', 10_000_000) };
const decide = flag('decide', 10);
const connections = flag('connections', 50);

interface ClientReport { status: number; body: string; bytes: number; sendSeconds: number; seconds: number; clientPeakRss: number }

console.log(`import scale — ${new Date().toISOString()}`);
console.log(machineLine());
console.log(`world: ${thousands(world.accounts)} accounts, ${thousands(world.edges)} follow edges, through POST /v1/import (client in a child process)`);

const temp = await startTempService();
try {
  const before = peakRss();
  let sampledMax = process.memoryUsage().rss;
  const sampler = setInterval(() => { sampledMax = Math.max(sampledMax, process.memoryUsage().rss); }, 250);
  const started = performance.now();
  const report = await new Promise<ClientReport>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./support/import-child.ts', import.meta.url)),
      [JSON.stringify({ url: `${temp.url}/v1/import`, token: benchToken, world })],
      { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let got: ClientReport | null = null;
    child.on('message', (m) => { got = m as ClientReport; });
    child.on('error', reject);
    child.on('exit', (code) => (got ? resolve(got) : reject(new Error(`import client exited with ${code}`))));
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (report.status !== 200) throw new Error(`import answered ${report.status}: ${report.body.slice(0, 300)}`);
  const result = JSON.parse(report.body) as { imported: { accounts: number; follows: number }; lines: number };
  const rows = result.imported.accounts + result.imported.follows;
  const db = join(temp.dir, 'bench.db');
  const size = (p: string) => { try { return statSync(p).size; } catch { return 0; } };
  console.log(`  imported: ${thousands(result.imported.accounts)} accounts, ${thousands(result.imported.follows)} follows (${thousands(result.lines)} lines, ${mib(report.bytes)} of NDJSON)`);
  console.log(`  time: ${seconds.toFixed(1)} s (the client finished sending after ${report.sendSeconds.toFixed(1)} s)`);
  console.log(`  rate: ${thousands(rows / seconds)} rows/s, ${(report.bytes / 1024 ** 2 / seconds).toFixed(1)} MiB/s`);
  console.log(`  service peak RSS: ${mib(peakRss())} (before the import: ${mib(before)}; sampled max rss during it: ${mib(sampledMax)}); client peak RSS: ${mib(report.clientPeakRss)}`);
  console.log(`  database file: ${mib(size(db))} (+ WAL ${mib(size(`${db}-wal`))})`);
  if (decide > 0) {
    console.log(`decision path on this world (autocannon ${connections} connections, ${decide} s per run):`);
    await compareWithHelloWorld({ service: temp.service, url: temp.url, world, connections, seconds: decide, warmup: 2 });
  }
  // Start-up: the state rebuilt from the file by a fresh service.
  await temp.service.close();
  const databaseUrl = `file:${db}`;
  const startedUp = performance.now();
  const child = await startServer(databaseUrl, { DM_POLICY_BOOTSTRAP_TOKEN: benchToken });
  const startSeconds = (performance.now() - startedUp) / 1000;
  const rebuilt = await fetch(`${child.url}/healthz`);
  console.log(`  start-up on this file (a fresh service, its state rebuilt): ${startSeconds.toFixed(1)} s until it listened (target ≤ 30 s); `
    + `its peak RSS ${mib(peakRssOf(child.process.pid!))} (target ≤ 1.5 GiB); health ${rebuilt.status}`);
  console.log(`  ${/decision state rebuilt[^\n]*/.exec(child.output())?.[0] ?? '(the service did not say how long its rebuild took)'}`);
  child.process.kill('SIGTERM');
  await child.exited;
} finally {
  await temp.close();
}

/**
 * Every benchmark, one after another, with sizes that fit in about ten minutes on a 2-core machine
 * (each bench's own defaults are the issue's full sizes; see bench/RESULTS.md). Each bench runs in a
 * process of its own, its output passed through; the figures that matter are repeated at the end.
 *
 * Run: npm run bench
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineLine } from './support/common.ts';

const benches: Array<{ name: string; file: string; args: string[] }> = [
  { name: 'evaluator', file: 'evaluator.bench.ts', args: ['--seconds=1'] },
  { name: 'decision-path', file: 'decision-path.bench.ts', args: ['--accounts', '100000', '--edges', '1000000', '--seconds', '5', '--rounds', '3'] },
  { name: 'import-scale', file: 'import-scale.bench.ts', args: ['--accounts', '500000', '--edges', '5000000', '--decide', '10'] },
  { name: 'backtest', file: 'backtest.bench.ts', args: ['--attempts', '1000000'] },
  { name: 'sqld', file: 'sqld.bench.ts', args: ['--seconds', '5'] },
  { name: 'sqld-contention', file: 'sqld-contention.bench.ts', args: ['--seconds', '2'] },
  { name: 'idle', file: 'idle.bench.ts', args: ['--seconds', '10'] },
  { name: 'process-hop', file: 'process-hop.bench.ts', args: ['--round-trips', '2000'] },
  { name: 'sqld-reads', file: 'sqld-reads.bench.ts', args: ['--reads', '500'] },
];

/** Lines worth repeating in the summary. */
const figure = /target|÷|req\/s|attempts\/s|rows\/s|peak RSS|time:|All targets|CPU a second|^\| /;

const summary: string[] = [];
const started = performance.now();
console.log(`npm run bench — ${new Date().toISOString()}`);
console.log(machineLine());
let failed = 0;
for (const bench of benches) {
  const file = fileURLToPath(new URL(`./${bench.file}`, import.meta.url));
  console.log(`\n=== ${bench.name}: tsx bench/${bench.file} ${bench.args.join(' ')}`);
  const t = performance.now();
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...bench.args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      process.stdout.write(d);
      const lines = (rest + d).split('\n');
      rest = lines.pop()!;
      for (const l of lines) if (figure.test(l)) summary.push(`[${bench.name}] ${l.trim()}`);
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  const seconds = (performance.now() - t) / 1000;
  summary.push(`[${bench.name}] ${code === 0 ? 'done' : `FAILED (exit ${code})`} in ${seconds.toFixed(0)} s`);
  if (code !== 0) failed++;
}
console.log(`\n=== summary (${((performance.now() - started) / 60_000).toFixed(1)} min)`);
for (const l of summary) console.log(l);
process.exitCode = failed ? 1 : 0;

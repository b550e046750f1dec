/**
 * What a service costs doing nothing: the CPU a second and the wake-ups a second of each of its
 * threads, and of sqld's process, measured over `--seconds` once the service has settled. On a local
 * file one service; on a libSQL server (sqld over ws://) two instances, which renew their leases and
 * read each other's progress. A thread that wakes on a timer costs something on every wake-up
 * (bench/RESULTS.md, session 12: ~0.5 ms for the log indexer's idle round on this machine), and that
 * cost is paid by every instance all day.
 *
 * Run: npm run bench:idle -- [--seconds 10]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type Child } from '../test/support/child-service.ts';
import { findSqld, startSqld, type Sqld } from '../test/support/sqld.ts';
import { flag, machineLine } from './support/common.ts';

const seconds = flag('seconds', 10);
const settleMs = 3000;
/** Linux's clock ticks a second (USER_HZ), which /proc's utime and stime count in. */
const ticksPerSecond = 100;

interface ThreadSample { cpuTicks: number; wakeups: number }

/** Every thread of `pid`: its CPU ticks and voluntary context switches (each a sleep it woke from). */
function sample(pid: number): Map<string, ThreadSample> {
  const threads = new Map<string, ThreadSample>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      threads.set(task, { cpuTicks: Number(fields[11]) + Number(fields[12]), wakeups: Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)![1]) });
    } catch { /* the thread ended meanwhile */ }
  }
  return threads;
}

/** CPU ms a second and wake-ups a second over the window, for the process and its busiest threads. */
async function measure(label: string, pids: number[]): Promise<number[]> {
  const before = pids.map(sample);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = pids.map(sample);
  const perProcess: number[] = [];
  pids.forEach((pid, i) => {
    const threads = [...after[i]].map(([task, a]) => {
      const b = before[i].get(task) ?? { cpuTicks: 0, wakeups: 0 };
      return { task, cpuMs: ((a.cpuTicks - b.cpuTicks) * 1000) / ticksPerSecond / seconds, wakeups: (a.wakeups - b.wakeups) / seconds };
    });
    const cpuMs = threads.reduce((sum, t) => sum + t.cpuMs, 0);
    const wakeups = threads.reduce((sum, t) => sum + t.wakeups, 0);
    perProcess.push(cpuMs);
    const busiest = threads.filter((t) => t.wakeups >= 1 || t.cpuMs > 0).sort((a, b) => b.wakeups - a.wakeups).slice(0, 4)
      .map((t) => `${t.task === String(pid) ? 'main' : `thread ${t.task}`} ${t.wakeups.toFixed(0)}/s`).join(', ');
    console.log(`  ${label} — process ${i + 1} of ${pids.length}: ${cpuMs.toFixed(1)} ms of CPU a second, ${wakeups.toFixed(0)} wake-ups a second (${busiest})`);
  });
  return perProcess;
}

async function idle(databaseUrl: string, count: number): Promise<Child[]> {
  const instances: Child[] = [];
  for (let i = 0; i < count; i++) instances.push(await startServer(databaseUrl));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return instances;
}

async function stop(instances: Child[]): Promise<void> {
  for (const c of instances) {
    c.process.kill('SIGTERM');
    await c.exited;
  }
}

console.log(`an idle service — ${new Date().toISOString()}`);
console.log(machineLine());
console.log(`${seconds} s a run, after ${settleMs / 1000} s to settle; CPU from /proc in ${1000 / ticksPerSecond} ms ticks`);
const dir = mkdtempSync(join(tmpdir(), 'dm-policy-bench-idle-'));
let sqld: Sqld | null = null;
try {
  const onFile = await idle(`file:${join(dir, 'idle.db')}`, 1);
  try {
    await measure('1 instance, local file', onFile.map((c) => c.process.pid!));
  } finally {
    await stop(onFile);
  }
  const binary = findSqld();
  if (!binary.path) throw new Error(`no sqld binary: ${binary.missing}`);
  sqld = await startSqld();
  const onServer = await idle(sqld.url.replace('http:', 'ws:'), 2);
  try {
    const cpu = await measure('2 instances and sqld', [...onServer.map((c) => c.process.pid!), sqld.pid]);
    console.log(`  2 instances and sqld together: ${cpu.reduce((a, b) => a + b, 0).toFixed(1)} ms of CPU a second (sqld ${cpu[cpu.length - 1].toFixed(1)})`);
  } finally {
    await stop(onServer);
  }
} finally {
  await sqld?.stop();
  rmSync(dir, { recursive: true, force: true });
}

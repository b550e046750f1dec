/**
 * What a run cost this process beside its total CPU: the main thread's own CPU (everything else —
 * the log indexer's and checkpointer's threads, V8's collector helpers, libuv's pool — is the rest
 * of process.cpuUsage()), the process's minor page faults, and the main thread's garbage-collection
 * pauses, whose longest bounds what a p99 can be.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

/** Linux's clock ticks a second (USER_HZ), which /proc's utime and stime count in. */
const ticksPerSecond = 100;

/** The fields of a /proc stat file after the command name (which may hold spaces): field 3 of the line is the first. */
function statFields(file: string): string[] {
  const stat = readFileSync(file, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** utime + stime in µs from a stat file's fields: fields 14 and 15 of the line, 12 and 13 after the name. */
const cpuUsOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) * (1e6 / ticksPerSecond);
/** minflt from a stat file's fields: field 10 of the line, 8 after the name. */
const minfltOf = (fields: string[]) => Number(fields[7]);

/** utime + stime of a /proc stat file in µs. */
function cpuUs(file: string): number {
  return cpuUsOf(statFields(file));
}

/** The main thread's CPU so far in µs (its task's utime + stime), or null where /proc has no such file. */
export function mainThreadCpuUs(): number | null {
  try {
    return cpuUs(`/proc/self/task/${process.pid}/stat`);
  } catch {
    return null;
  }
}

/** The CPU another process has used so far in µs (utime + stime of /proc/<pid>/stat): a child or a server the bench started. */
export function processCpuUs(pid: number): number {
  return cpuUs(`/proc/${pid}/stat`);
}

/**
 * Minor page faults of the whole process so far (/proc/self/stat's minflt), or null without /proc:
 * on a virtual machine each first touch of a fresh page can cost microseconds, so a run that keeps
 * taking fresh memory pays for it in CPU no profile attributes to a function.
 */
export function minorFaults(): number | null {
  return minflt('/proc/self/stat');
}

/** The main thread's share of minorFaults (its task's minflt), or null without /proc. */
export function mainThreadMinorFaults(): number | null {
  return minflt(`/proc/self/task/${process.pid}/stat`);
}

function minflt(file: string): number | null {
  try {
    return minfltOf(statFields(file));
  } catch {
    return null;
  }
}

/** Garbage-collection pauses of the main thread since `reset`: how many, their total and the longest, in ms. */
export interface GcPauses {
  count: number;
  totalMs: number;
  longestMs: number;
}

/** Counts the main thread's collection pauses as the runtime reports them (a tick late). */
export function watchGcPauses(): { reset(): void; read(): GcPauses } {
  const pauses: GcPauses = { count: 0, totalMs: 0, longestMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.count++;
      pauses.totalMs += entry.duration;
      pauses.longestMs = Math.max(pauses.longestMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  return {
    reset: () => Object.assign(pauses, { count: 0, totalMs: 0, longestMs: 0 }),
    read: () => ({ ...pauses }),
  };
}

/** Each thread's minor page faults and CPU (µs) so far, by thread id; empty without /proc. */
export function threadCounters(): Map<number, { faults: number; cpuUs: number }> {
  const counters = new Map<number, { faults: number; cpuUs: number }>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return counters;
  }
  for (const task of tasks) {
    try {
      const fields = statFields(`/proc/self/task/${task}/stat`);
      counters.set(Number(task), { faults: minfltOf(fields), cpuUs: cpuUsOf(fields) });
    } catch {
      // the thread ended meanwhile
    }
  }
  return counters;
}

/**
 * What each thread did between two threadCounters() readings, the busy ones only, as
 * "main 9,472 / 5,030 ms, 4808 4,750 / 210 ms" (minor faults / CPU). A thread that ended meanwhile (a
 * scan's reading thread) is not listed; its counts are in the process's.
 */
export function threadsBetween(before: ReturnType<typeof threadCounters>, after: ReturnType<typeof threadCounters>): string {
  const number = (n: number) => Math.round(n).toLocaleString('en-US');
  return [...after].map(([tid, c]) => ({ tid, faults: c.faults - (before.get(tid)?.faults ?? 0), ms: (c.cpuUs - (before.get(tid)?.cpuUs ?? 0)) / 1000 }))
    .filter((t) => t.faults > 500 || t.ms > 100)
    .map((t) => `${t.tid === process.pid ? 'main' : t.tid} ${number(t.faults)} / ${number(t.ms)} ms`).join(', ');
}

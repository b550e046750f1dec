/**
 * How V8 runs this process's heap: set by createService, before a service allocates anything of its
 * own. A service owns its process (server/main.ts), so these are process-wide on purpose.
 *
 * Allocation-site pretenuring is turned off. V8 watches, per allocation site (an object or array
 * literal), whether what it allocates survives young collections and, once nearly all of it does,
 * allocates there straight in the old generation from then on. A backtest's objects live for one
 * replayed attempt, but sites it allocates at were judged long-lived
 * (`--trace-pretenuring-statistics`: three sites tenured from the moment the bench's log was built,
 * every object of theirs found alive at each young collection), and a million-attempt replay then
 * promoted ~600 MiB: ~135 000 fresh pages first touched and the collector's four threads busy
 * 2–4 s of CPU beside the replay. Alternating runs of `npm run bench:backtest`: 6.40–9.14 s a replay
 * with it, 4.78–5.73 s without (~30 000 faults, ~300 MiB less peak RSS). Now that a replay reads its
 * facts into the same objects (reusingFactsReader) less is at stake, still 5–20 % of a replay. The
 * decision path's figures stayed within the machine's noise; the start-up rebuild at 1 M accounts and
 * 10 M edges takes ~2 s more (its long-lived objects are copied through the young generation), on a
 * 30 s target (bench/RESULTS.md, session 24).
 */
import { setFlagsFromString } from 'node:v8';

export function tuneHeap(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

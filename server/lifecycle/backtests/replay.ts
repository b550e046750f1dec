/**
 * Replays a window of the decision log, in time order, through one or more candidate versions, each
 * with counters of its own: what a candidate allows changes what it counts.
 *
 * Warm-up: the attempts of the 24 h before `from` (longer if a candidate counts duplicates over a
 * longer window) are replayed first, for counting only and not reported. They are recorded as they
 * really were decided, so every candidate starts the window with the counters the service really had —
 * the question a backtest answers is "had this version been enforced from `from` on". Every window
 * the counters use (daily cap, API rates, duplicates) fits in the warm-up, so those counters are exact
 * however long the history before it; a cooldown and pair history older than the warm-up are read off
 * the logged facts (see replay-state.ts and pair-history.ts).
 *
 * @example
 *   const [report] = await replay(store.db, {
 *     from: now - dayMs, to: now, candidates: [await policies.version('x-2023-draft')],
 *     deciding: (v) => policies.version(v),
 *   });
 *   report.changed; // attempts whose outcome the draft would change
 */
import type { Executor } from '../../../db/client.ts';
import {
  countDecisionLog, readCounterResets, readDecisionLogPage, readExemptionSpans, type LogPosition,
} from '../../../db/stores/decision-log-read.ts';
import type { Decision } from '../../decisions/decide.ts';
import { duplicateWindowMs, type Params } from '../../decisions/facts.ts';
import { dayMs } from '../../limits/windows.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';
import { toReplayAttempt, type ReplayAttempt } from './attempt.ts';
import { asLogged, decideSubjects } from './evaluate.ts';
import { ExemptionsOverTime } from './exemptions.ts';
import { LoggedPairs } from './pair-history.ts';
import { replayFacts } from './replay-facts.ts';
import { ReplayState } from './replay-state.ts';
import { ReplayTally, type ReplayReport } from './report.ts';

export interface ReplayProgress {
  /** Attempts read so far, warm-up included. */
  processed: number;
  total: number;
}

export interface ReplayOptions {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  /** The versions to replay; a sweep passes one per value. All share one pass over the log. */
  candidates: LoadedPolicy[];
  /** The version that really decided a logged attempt (e.g. PolicyRegistry.version), for the warm-up. */
  deciding: (version: string) => Promise<LoadedPolicy | null>;
  /** Whose log to replay; the first candidate's policy by default. */
  policy?: string;
  /** Extra labels for each candidate's report, e.g. the swept parameter's value. */
  parameters?: Array<Record<string, number> | undefined>;
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ReplayProgress) => void | Promise<void>;
}

/** The longest the replay runs before yielding to the event loop, so the service keeps answering. */
const sliceMs = 10;

interface World {
  policy: LoadedPolicy;
  state: ReplayState;
  tally: ReplayTally;
}

const loggedParams = (attempt: ReplayAttempt) => (attempt.log.facts[0]?.facts.params ?? {}) as Params;

/** The warm-up needed so every candidate's counting windows start inside the replay. */
export function warmUpMs(candidates: LoadedPolicy[]): number {
  return Math.max(dayMs, ...candidates.map((c) => duplicateWindowMs(c.params)));
}

export async function replay(db: Executor, options: ReplayOptions): Promise<ReplayReport[]> {
  const { from, to, candidates, signal } = options;
  if (!candidates.length) return [];
  const policy = options.policy ?? candidates[0].name;
  const warmUpFrom = from - warmUpMs(candidates);
  const pageSize = options.pageSize ?? 5000;

  const total = await countDecisionLog(db, { policy, from: warmUpFrom, to });
  const exemptions = new ExemptionsOverTime(await readExemptionSpans(db, warmUpFrom, to));
  const resets = await readCounterResets(db, warmUpFrom, to);
  const keep = warmUpMs(candidates);
  const worlds: World[] = candidates.map((c) => ({ policy: c, state: new ReplayState(keep), tally: new ReplayTally() }));
  const pairs = new LoggedPairs();
  const deciders = new Map<string, Promise<LoadedPolicy | null>>();
  const decidingVersion = (version: string) => {
    let found = deciders.get(version);
    if (!found) deciders.set(version, (found = options.deciding(version)));
    return found;
  };
  let nextReset = 0;
  let processed = 0;
  let sliceStart = performance.now();
  let warmUpAttempts = 0;

  const applyResetsUntil = (at: number) => {
    for (; nextReset < resets.length && resets[nextReset].at <= at; nextReset++) {
      for (const w of worlds) w.state.resetCounters(resets[nextReset].accountId);
    }
  };

  await options.onProgress?.({ processed, total });
  let after: LogPosition | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const page = await readDecisionLogPage(db, { policy, from: warmUpFrom, to, after, limit: pageSize });
    if (!page.length) break;
    for (const log of page) {
      applyResetsUntil(log.at);
      const attempt = toReplayAttempt(log);
      const senderId = attempt.request.senderId;
      const exempt = exemptions.at(senderId, attempt.at);
      observe(attempt, worlds, pairs);

      if (attempt.at < from) {
        warmUpAttempts++;
        const real = await decideAsReally(attempt, await decidingVersion(log.version), exempt);
        for (const w of worlds) w.state.record(attempt, real, loggedParams(attempt));
      } else {
        for (const w of worlds) {
          const decision = await decideAsCandidate(attempt, w, pairs, exempt);
          w.tally.add(attempt, decision);
          w.state.record(attempt, decision, w.policy.params);
        }
      }
      if (attempt.request.kind === 'direct' && (log.decision === 'allow' || log.decision === 'request')) {
        pairs.ledger.delivered(senderId, attempt.request.recipientIds[0], attempt.at);
      }
      processed++;
      // Evaluations resolve as microtasks, which never let I/O in: yield by the clock, not by the count.
      if (performance.now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
        sliceStart = performance.now();
      }
    }
    const last = page[page.length - 1];
    after = { at: last.at, seq: last.seq };
    await options.onProgress?.({ processed, total: Math.max(total, processed) });
    if (page.length < pageSize) break;
  }

  const iso = (ms: number) => new Date(ms).toISOString();
  return worlds.map((w, i) => w.tally.report({
    window: { from: iso(from), to: iso(to), warmUpFrom: iso(warmUpFrom) },
    candidate: { policy: w.policy.name, version: w.policy.version, ...(options.parameters?.[i] ? { parameters: options.parameters[i] } : {}) },
    warmUpAttempts,
  }));
}

/**
 * The decision the attempt really got, in full: the deciding version evaluated again on the logged
 * facts. The log keeps only the winning rule, and what an attempt counts also depends on rules that
 * matched without winning (a cooldown tripped beside a daily limit).
 */
function decideAsReally(attempt: ReplayAttempt, deciding: LoadedPolicy | null, exempt: ReadonlySet<string>): Promise<Decision> | Decision {
  const { facts } = attempt.log;
  if (!deciding || !facts.length) return asLogged(attempt, deciding);
  return decideSubjects(deciding, facts.map((s) => ({ subject: s.subject, facts: s.facts })), exempt);
}

/** The candidate's decision, on the logged facts with its own counters and parameters. */
function decideAsCandidate(attempt: ReplayAttempt, world: World, pairs: LoggedPairs, exempt: ReadonlySet<string>): Promise<Decision> | Decision {
  const { facts } = attempt.log;
  if (!facts.length) return asLogged(attempt, null);
  const subjects = facts.map((s) => ({ subject: s.subject, facts: replayFacts(attempt, s, world.state, pairs, world.policy.params) }));
  return decideSubjects(world.policy, subjects, exempt);
}

/** What the log says about an attempt before it is decided: pair baselines, and cooldowns still unknown. */
function observe(attempt: ReplayAttempt, worlds: World[], pairs: LoggedPairs): void {
  const { log, request, at } = attempt;
  for (const { subject, facts } of log.facts) {
    if (subject !== null && facts.relation) pairs.observe(request.senderId, subject, facts.relation, at);
  }
  if (attempt.isMessage) {
    const running = log.facts[0]?.facts.sender?.inCooldown === true;
    for (const w of worlds) w.state.seedCooldown(request.senderId, running, at);
  }
}

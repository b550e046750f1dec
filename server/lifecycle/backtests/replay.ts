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
 *   const [report] = await replay(store, {
 *     from: now - dayMs, to: now, candidates: [await policies.version('x-2023-draft')],
 *     deciding: (v) => policies.version(v),
 *   });
 *   report.changed; // attempts whose outcome the draft would change
 */
import {
  countDecisionLogAtMost, readCounterResets, readDecisionLog, readExemptionSpans, type LogStore,
} from '../../../db/stores/decision-log-read.ts';
import { reusingFactsReader } from '../../decisions/logged-facts.ts';
import { duplicateWindowMs } from '../../limits/duplicate-spam.ts';
import { ExemptionsOverTime } from '../../limits/exemptions.ts';
import { dayMs } from '../../limits/windows.ts';
import type { Decision } from '../../policy/decision.ts';
import type { LoadedPolicy } from '../../policy/registry.ts';
import { toReplayAttempt, type ReplayAttempt } from './attempt.ts';
import { asLogged, decideSubjects } from './evaluate.ts';
import { AccountNumbers, NamedAccounts, PairNumbers } from '../../state/numbering.ts';
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
  /** Rows read per statement (readDecisionLog's default by the kind of store otherwise). */
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

/** The warm-up needed so every candidate's counting windows start inside the replay. */
export function warmUpMs(candidates: LoadedPolicy[]): number {
  return Math.max(dayMs, ...candidates.map((c) => duplicateWindowMs(c.params)));
}

export async function replay(store: LogStore, options: ReplayOptions): Promise<ReplayReport[]> {
  const { from, to, candidates, signal } = options;
  if (!candidates.length) return [];
  const policy = options.policy ?? candidates[0].name;
  const warmUpFrom = from - warmUpMs(candidates);
  const { db } = store;

  // What progress counts up to: exact once the replay ends.
  const atMost = await countDecisionLogAtMost(db, { from: warmUpFrom, to });
  const exemptions = new ExemptionsOverTime(await readExemptionSpans(db, warmUpFrom, to));
  const resets = await readCounterResets(db, warmUpFrom, to);
  // A direct message meets two pairs, (sender, recipient) and back; a group invite one per invitee and
  // back. Room for them is made up front: growing a table writes it again into fresh memory.
  const expectedPairs = Math.ceil(2.5 * atMost);
  const accounts = new AccountNumbers();
  const numbers = { accounts, named: new NamedAccounts(accounts), pairs: new PairNumbers(expectedPairs) };
  const worlds: World[] = candidates.map((c) => ({
    policy: c, state: new ReplayState(duplicateWindowMs(c.params), expectedPairs), tally: new ReplayTally(),
  }));
  const pairs = new LoggedPairs(expectedPairs);
  // Nothing keeps an attempt's facts once it is decided and recorded: the next attempt's are read into them.
  const readFacts = reusingFactsReader();
  /** The versions that really decided, by version: looked up once each. */
  const deciders = new Map<string, LoadedPolicy | null>();
  let nextReset = 0;
  let processed = 0;
  let sliceStart = performance.now();
  let warmUpAttempts = 0;

  const applyResetsUntil = (at: number) => {
    for (; nextReset < resets.length && resets[nextReset].at <= at; nextReset++) {
      const account = numbers.accounts.of(resets[nextReset].accountId);
      for (const w of worlds) w.state.resetCounters(account);
    }
  };

  await options.onProgress?.({ processed, total: atMost });
  for await (const page of readDecisionLog(store, { policy, from: warmUpFrom, to }, options.pageSize)) {
    signal?.throwIfAborted();
    for (const log of page) {
      applyResetsUntil(log.at);
      const warmUp = log.at < from;
      // The warm-up is decided by the version that really decided, the window by the candidates.
      let deciding = warmUp ? deciders.get(log.version) : null;
      if (deciding === undefined) deciders.set(log.version, (deciding = await options.deciding(log.version)));
      const attempt = toReplayAttempt(log, numbers, (deciding ?? candidates[0]).params, readFacts);
      const exempt = exemptions.at(log.senderId, attempt.at);
      observe(attempt, worlds, pairs);

      if (warmUp) {
        warmUpAttempts++;
        const real = decideAsReally(attempt, deciding, exempt);
        // Counted with the deciding version's parameters; a world's own when that version is gone.
        for (const w of worlds) w.state.record(attempt, real, deciding?.params ?? w.policy.params);
      } else {
        for (const w of worlds) {
          // The last world to decide takes the logged facts themselves: nothing reads them after it.
          const decision = decideAsCandidate(attempt, w, pairs, exempt, w === worlds[worlds.length - 1]);
          w.tally.add(attempt, decision);
          w.state.record(attempt, decision, w.policy.params);
        }
      }
      if (attempt.request.kind === 'direct' && (log.decision === 'allow' || log.decision === 'request')) {
        pairs.ledger.delivered(attempt.toRecipient, attempt.fromRecipient, attempt.at, attempt.log.seq);
      }
      processed++;
      // Nothing here waits for I/O, so nothing else would run: yield by the clock, not by the count
      // (read every 64 attempts, ~0.3 ms of replay: reading it at each was 1 % of a replay).
      if ((processed & 63) === 0 && performance.now() - sliceStart >= sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
        sliceStart = performance.now();
      }
    }
    await options.onProgress?.({ processed, total: Math.max(atMost, processed) });
  }
  await options.onProgress?.({ processed, total: processed });

  const iso = (ms: number) => new Date(ms).toISOString();
  return worlds.map((w, i) => w.tally.report({
    window: { from: iso(from), to: iso(to), warmUpFrom: iso(warmUpFrom) },
    candidate: { policy: w.policy.name, version: w.policy.version, ...(options.parameters?.[i] ? { parameters: options.parameters[i] } : {}) },
    warmUpAttempts,
  }));
}

/**
 * The decision the attempt really got, in full: the deciding version evaluated again on the logged
 * facts, which carry its parameters (the log doesn't keep them: a published version never changes).
 * The log keeps only the winning rule, and what an attempt counts also depends on rules that matched
 * without winning (a cooldown tripped beside a daily limit).
 */
function decideAsReally(attempt: ReplayAttempt, deciding: LoadedPolicy | null, exempt: ReadonlySet<string>): Decision {
  const { subjects } = attempt;
  if (!deciding || !subjects.length) return asLogged(attempt, deciding);
  return decideSubjects(deciding, subjects, exempt);
}

/**
 * The candidate's decision, on the logged facts with its own counters and parameters. `last`: the
 * last world to decide the attempt, whose facts replace the logged ones in place (replayFacts), so
 * the attempt's subjects are decided as they are.
 */
function decideAsCandidate(attempt: ReplayAttempt, world: World, pairs: LoggedPairs, exempt: ReadonlySet<string>, last: boolean): Decision {
  const { subjects } = attempt;
  const { params } = world.policy;
  if (!subjects.length) return asLogged(attempt, null);
  if (!last) return decideSubjects(world.policy, subjects.map((s) => ({ subject: s.subject, facts: replayFacts(attempt, s, world.state, pairs, params, false) })), exempt);
  for (const s of subjects) replayFacts(attempt, s, world.state, pairs, params, true);
  return decideSubjects(world.policy, subjects, exempt);
}

/** What the log says about an attempt before it is decided: pair baselines, and cooldowns still unknown. */
function observe(attempt: ReplayAttempt, worlds: World[], pairs: LoggedPairs): void {
  const { subjects, sender, at } = attempt;
  for (const { subject, account, pair, facts } of subjects) {
    if (subject !== null && facts.relation) pairs.observe(pair, PairNumbers.reverse(pair, attempt.sender, account), facts.relation, at);
  }
  if (attempt.isMessage) {
    const running = subjects[0]?.facts.sender?.inCooldown === true;
    for (const w of worlds) w.state.seedCooldown(sender, running, at);
  }
}

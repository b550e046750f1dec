/**
 * The facts a replayed attempt is decided on: the logged facts of each subject (the graph, the message,
 * the group, the app — what the candidate can't change), with every member that a counter derives
 * replaced by the replay's own counters, and the candidate's parameters as `params`.
 */
import { duplicateWindowMs } from '../../limits/duplicate-spam.ts';
import { rollingWindowStart } from '../../limits/windows.ts';
import type { Params } from '../../policy/document.ts';
import type { FactValues } from '../../policy/evaluation.ts';
import { PairNumbers } from '../../state/numbering.ts';
import type { ReplayAttempt, ReplaySubject } from './attempt.ts';
import type { LoggedPairs } from './pair-history.ts';
import type { ReplayState } from './replay-state.ts';

/**
 * `inPlace`: the world's members are written into the logged facts themselves rather than a copy, for
 * the last world to decide the attempt (nothing reads the logged facts after it): the copies, at
 * every attempt, were a sixth of what a replay allocated.
 */
export function replayFacts(attempt: ReplayAttempt, logged: ReplaySubject, world: ReplayState, pairs: LoggedPairs, params: Params, inPlace: boolean): FactValues {
  const { request, at: now, sender } = attempt;
  const { subject, facts } = logged;
  const duplicateRecipients = attempt.fingerprints.length
    ? world.duplicateRecipients(sender, attempt.fingerprints, world.duplicateTarget(attempt, false), rollingWindowStart(now, duplicateWindowMs(params)))
    : 0;
  const pair = subject === null ? null : pairs.factsIn(world.pairs, logged.pair, PairNumbers.reverse(logged.pair, sender, logged.account), now);
  const api = world.apiUsage(sender, request.appId ?? null, now);
  const inCooldown = world.inCooldown(sender, now) ?? facts.sender?.inCooldown ?? false;
  const dailyUsed = world.dailyUsed(sender, params, now);
  if (inPlace) {
    // Logged facts have every member; a row that somehow lacks one of these facts gets it, as a copy would.
    facts.params = params;
    (facts.sender ??= {}).inCooldown = inCooldown;
    if (pair !== null) {
      const relation = (facts.relation ??= {});
      relation.priorConversation = pair.priorConversation;
      relation.receivedFromRecipient = pair.receivedFromRecipient;
      relation.lastReceivedAgeSeconds = pair.lastReceivedAgeSeconds;
      relation.repliesSinceReceived = pair.repliesSinceReceived;
    }
    (facts.content ??= {}).duplicateRecipients = duplicateRecipients;
    const quota = (facts.quota ??= {});
    quota.dailyUsed = dailyUsed;
    quota.apiUser15m = api.apiUser15m;
    quota.apiUser24h = api.apiUser24h;
    quota.apiApp24h = api.apiApp24h;
    return facts;
  }
  // Members set one by one over a copy, not spread from a second object: this runs for every attempt and candidate.
  return {
    ...facts,
    params,
    sender: { ...facts.sender, inCooldown },
    relation: pair === null ? facts.relation : {
      ...facts.relation,
      priorConversation: pair.priorConversation,
      receivedFromRecipient: pair.receivedFromRecipient,
      lastReceivedAgeSeconds: pair.lastReceivedAgeSeconds,
      repliesSinceReceived: pair.repliesSinceReceived,
    },
    content: { ...facts.content, duplicateRecipients },
    quota: {
      ...facts.quota,
      dailyUsed,
      apiUser15m: api.apiUser15m,
      apiUser24h: api.apiUser24h,
      apiApp24h: api.apiApp24h,
    },
  };
}
